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

/** The fields PortOne reports: in the callback's object, and as the query it appends to `m_redirect_url`. */
export const REDIRECT_FIELDS = [
  'imp_uid',
  'merchant_uid',
  'imp_success',
  'success',
  'error_code',
  'error_msg',
] as const;

/** Turns the object given to the `IMP.request_pay` callback into a {@link PaymentResult}. Never throws. */
export function interpretPaymentResponse(response: unknown): PaymentResult {
  let fields: Record<string, unknown> = {};
  if (response && typeof response === 'object') {
    try {
      // A copy, read once: the SDK may reuse or change its object after the callback.
      if (!Array.isArray(response)) fields = { ...response };
    } catch {
      // A getter or Proxy that throws: read PortOne's fields one by one, so that one bad field cannot turn a
      // payment into a failure.
      for (const name of REDIRECT_FIELDS) {
        try {
          if (Object.hasOwn(response, name)) fields[name] = (response as Fields)[name];
        } catch {
          // Unreadable: left out.
        }
      }
    }
  }
  return interpretFields(fields);
}
