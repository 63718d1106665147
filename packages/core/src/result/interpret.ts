import type { PaymentResult } from './types.js';

type Fields = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const isFalse = (value: unknown): boolean => value === false || value === 'false';

/**
 * Reads the fields PortOne reports (callback object or redirect query) as a {@link PaymentResult}.
 * `error_code`, or `success`/`imp_success` false, means failed; anything else with both ids is
 * completed and waits for the server's verification.
 */
export function interpretFields(fields: Fields): PaymentResult {
  const code = text(fields.error_code);
  const impUid = text(fields.imp_uid);
  const merchantUid = text(fields.merchant_uid);
  // Any error_code at all, even one of an unexpected type, means the payment did not complete.
  const failed = (fields.error_code ?? '') !== '' || isFalse(fields.success) || isFalse(fields.imp_success);
  if (!failed && impUid && merchantUid) return { status: 'completed', impUid, merchantUid, raw: fields };
  const message =
    text(fields.error_msg) ??
    (failed ? 'the payment failed' : `the result has no ${impUid ? 'merchant_uid' : 'imp_uid'}`);
  return {
    // F0005 is PortOne's "payment aborted"; PGs word the buyer's cancel in their own messages.
    // A bare 중단 ("stopped") or "cancelled" is not enough: declines say them too ("…실패하여 중단합니다",
    // "card cancelled by issuer"); only the buyer's own cancel is one.
    status: /F0005|(사용자|고객|구매자)[^|]*취소|user\s*cancel|cancell?ed by (the )?(user|buyer|customer)/i.test(
      `${code} ${message}`,
    )
      ? 'cancelled'
      : 'failed',
    code,
    message,
    impUid,
    merchantUid,
    raw: fields,
  };
}

/** Turns the object given to the `IMP.request_pay` callback into a {@link PaymentResult}. Never throws. */
export function interpretPaymentResponse(response: unknown): PaymentResult {
  return interpretFields(response && typeof response === 'object' && !Array.isArray(response) ? { ...response } : {});
}
