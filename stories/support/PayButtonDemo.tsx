import type { PaymentRequest } from '@portone-kit/core';
import { MobiliansPayButton, type MobiliansPayButtonProps } from '@portone-kit/react';

/**
 * The button's props with the two flows folded into one shape for Storybook's controls: a `customerUid`
 * turns the request into a billing key (phone only, as Mobilians requires).
 */
export type PayButtonDemoProps = Omit<MobiliansPayButtonProps, 'request' | 'customerUid'> & {
  request: PaymentRequest;
  customerUid?: string | undefined;
};

export function PayButtonDemo({ request, customerUid, ...props }: PayButtonDemoProps) {
  if (customerUid === undefined) return <MobiliansPayButton {...props} request={request} />;
  const { pay_method: _method, ...billing } = request;
  return <MobiliansPayButton {...props} request={{ ...billing, pay_method: 'phone' }} customerUid={customerUid} />;
}
