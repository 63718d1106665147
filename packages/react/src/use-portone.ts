import {
  type BillingKeyRequest,
  checkBillingKeyRequest,
  checkPaymentRequest,
  type PaymentRequest,
  pageWindowLock,
} from '@portone-kit/core';
import type { FlowController } from './flow/controller.js';
import { useFlow } from './flow/use-flow.js';
import type { PortoneOptions } from './options.js';
import { usePortoneContext } from './provider.js';
import { type SdkController, useSdk } from './sdk/use-sdk.js';

/** What {@link usePortone} returns: the SDK and the two flows. */
export interface UsePortone {
  /** The SDK script: `idle | loading | ready | error`, the typed error, and `retry()`. */
  sdk: SdkController;
  /** An authenticated payment: the buyer approves the amount in the window. */
  pay: FlowController<PaymentRequest>;
  /** A billing key through the same window (`customer_uid`), charged later by your server. */
  issueBillingKey: FlowController<BillingKeyRequest>;
}

/**
 * The SDK and the two flows. Under a `PortoneProvider` the provider's SDK and window serve (its options
 * overridden by those passed here; other load options load this hook's own SDK); without one, the hook
 * loads the SDK on mount through the page-wide loader and shares the page's one window.
 */
export function usePortone(options?: Partial<PortoneOptions>): UsePortone {
  const context = usePortoneContext(options);
  const { sdk, store } = useSdk(context.sdk, context.options);
  const common = {
    sdk: store,
    sdkStatus: sdk.status,
    lock: context.lock ?? pageWindowLock(),
    mobile: context.options.mobile,
    windowTimeoutMs: context.options.windowTimeoutMs,
  };
  const pay = useFlow<PaymentRequest>({ ...common, kind: 'pay', check: checkPaymentRequest });
  const issueBillingKey = useFlow<BillingKeyRequest>({
    ...common,
    kind: 'issueBillingKey',
    check: checkBillingKeyRequest,
  });
  return { sdk, pay, issueBillingKey };
}
