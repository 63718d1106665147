// Compile-time checks, run by `pnpm typecheck`: each @ts-expect-error must meet an error.
import type { BillingKeyRequest, PaymentRequest } from '@portone-kit/core';

const base = { merchant_uid: 'order_1', amount: 1000, buyer_tel: '010-1234-5678' };

export const payment: PaymentRequest = { ...base, pg: 'mobilians', pay_method: 'card' };
export const viaChannel: PaymentRequest = { ...base, channelKey: 'key', pay_method: 'trans' };
export const withMid: PaymentRequest = { ...base, pg: 'mobilians.170622040674', pay_method: 'phone' };
export const billing: BillingKeyRequest = {
  ...base,
  pg: 'mobilians.170622040674',
  pay_method: 'phone',
  customer_uid: 'c',
};
// pg may be left out: the kit then sends pg 'mobilians'.
export const withoutPg: PaymentRequest = { ...base, pay_method: 'card' };
export const billingWithoutPg: BillingKeyRequest = { ...base, pay_method: 'phone', amount: 0, customer_uid: 'c' };

// @ts-expect-error another PG is not this kit's business
export const otherPg: PaymentRequest = { ...base, pg: 'kcp', pay_method: 'card' };
// @ts-expect-error pg and channelKey exclude each other
export const both: PaymentRequest = { ...base, pg: 'mobilians', channelKey: 'key', pay_method: 'card' };
// @ts-expect-error Mobilians serves card, trans and phone only
export const vbank: PaymentRequest = { ...base, pg: 'mobilians', pay_method: 'vbank' };
// @ts-expect-error the SDK needs a number
export const stringAmount: PaymentRequest = { ...base, amount: '1000', pg: 'mobilians', pay_method: 'card' };
// @ts-expect-error buyer_tel is required by Mobilians
export const noTel: PaymentRequest = { merchant_uid: 'o', amount: 1, pg: 'mobilians', pay_method: 'card' };
// @ts-expect-error a payment has no customer_uid: that is the billing-key flow
export const paymentWithKey: PaymentRequest = { ...base, pg: 'mobilians', pay_method: 'card', customer_uid: 'c' };
// @ts-expect-error a billing key needs a customer_uid
export const billingWithoutKey: BillingKeyRequest = { ...base, pg: 'mobilians', pay_method: 'phone' };
// @ts-expect-error Mobilians issues billing keys for phone payments only
export const cardBilling: BillingKeyRequest = { ...base, pg: 'mobilians', pay_method: 'card', customer_uid: 'c' };
