import {
  type BillingKeyRequest,
  type PaymentRequest,
  validateBillingKeyRequest,
  validatePaymentRequest,
} from '@portone-kit/core';
import { type FlowController, useFlow } from './flow/use-flow.js';
import type { PortoneOptions } from './options.js';
import { usePortoneOptions } from './provider.js';
import { type SdkController, useSdk } from './sdk/use-sdk.js';

export interface UsePortone {
  /** The SDK script: `idle | loading | ready | error`, the typed error, and `retry()`. */
  sdk: SdkController;
  /** An authenticated payment: the buyer approves the amount in the window. */
  pay: FlowController<PaymentRequest>;
  /** A billing key through the same window (`customer_uid`), charged later by your server. */
  issueBillingKey: FlowController<BillingKeyRequest>;
}

/**
 * Loads PortOne's V1 SDK on mount and gives the two flows. Options come from the nearest
 * `PortoneProvider`, overridden by those passed here.
 */
export function usePortone(options?: Partial<PortoneOptions>): UsePortone {
  const resolved = usePortoneOptions(options);
  const { sdk, impRef } = useSdk(resolved);
  const common = { impRef, sdkStatus: sdk.status, mobile: resolved.mobile, windowTimeoutMs: resolved.windowTimeoutMs };
  const pay = useFlow<PaymentRequest>({ ...common, kind: 'pay', validate: validatePaymentRequest });
  const issueBillingKey = useFlow<BillingKeyRequest>({
    ...common,
    kind: 'issueBillingKey',
    validate: validateBillingKeyRequest,
  });
  return { sdk, pay, issueBillingKey };
}
