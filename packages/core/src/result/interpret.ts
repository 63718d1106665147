import type { PaymentResult } from './types.js';

type Fields = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const isFalse = (value: unknown): boolean => value === false || value === 'false';

// F0005 is PortOne's "payment aborted"; PGs word the buyer's cancel in their own messages.
const CANCELLED = /F0005|취소|중단|cancel/i;

/**
 * Reads the fields PortOne reports (callback object or redirect query) as a {@link PaymentResult}.
 * `error_code`, or `success`/`imp_success` false, means failed; anything else with an `imp_uid` is
 * completed and waits for the server's verification.
 */
export function interpretFields(fields: Fields): PaymentResult {
  const code = text(fields.error_code);
  const impUid = text(fields.imp_uid);
  const merchantUid = text(fields.merchant_uid);
  if (code || isFalse(fields.success) || isFalse(fields.imp_success) || !impUid || !merchantUid) {
    const message =
      text(fields.error_msg) ??
      (code || isFalse(fields.success) || isFalse(fields.imp_success)
        ? 'the payment failed'
        : `the result has no ${impUid ? 'merchant_uid' : 'imp_uid'}`);
    const cancelled = code === 'F0005' || CANCELLED.test(message);
    return { status: cancelled ? 'cancelled' : 'failed', code, message, impUid, merchantUid, raw: fields };
  }
  return { status: 'completed', impUid, merchantUid, raw: fields };
}

/** Turns the object given to the `IMP.request_pay` callback into a {@link PaymentResult}. Never throws. */
export function interpretPaymentResponse(response: unknown): PaymentResult {
  const fields: Fields =
    response !== null && typeof response === 'object' && !Array.isArray(response)
      ? Object.fromEntries(Object.entries(response))
      : {};
  return interpretFields(fields);
}
