import type { PaymentStatus } from '@portone-kit/core/rest';

// What the sandbox's payment window answers and records, once, for the in-memory fake (`createFakeImp`)
// and the emulator (`POST /sandbox/payments`) alike. Browser-safe: no Node import here.

/** What the buyer did in the window. */
export type WindowOutcome = 'approve' | 'decline' | 'cancel';

/** The `error_code` and `error_msg` PortOne's SDK gives the callback (and the redirect) for a refusal. */
export interface WindowError {
  error_code: string;
  error_msg: string;
}

/** F1002: the merchant_uid is paid already; refused before any window opens, with no imp_uid. */
export const ALREADY_PAID: WindowError = { error_code: 'F1002', error_msg: '이미 결제가 이루어진 거래건입니다' };

/** F0005: the buyer closed the window or pressed cancel (the wording of PortOne's own F0005 messages). */
export const BUYER_CANCELLED: WindowError = {
  error_code: 'F0005',
  error_msg: '결제가 중단되었습니다 | 사용자가 결제를 취소하였습니다',
};

/** F0004: the PG refused; a decline with no code of its own gets this one. */
export const DECLINED: WindowError = { error_code: 'F0004', error_msg: 'PG사 결제요청에 실패하여 중단합니다' };

/** The declines the window offers a person (and tests may name): F0004 first, then Mobilians' usual ones. */
export const DECLINE_CHOICES = [
  { code: DECLINED.error_code, message: DECLINED.error_msg },
  { code: 'LIMIT_EXCEEDED', message: '월 결제 한도를 초과했습니다' },
  { code: 'INVALID_AUTH_CODE', message: '인증번호가 일치하지 않습니다' },
  { code: 'CARRIER_BLOCKED', message: '통신사 소액결제가 차단된 번호입니다' },
] as const;

/**
 * The status the window records for each outcome, read back by `GET /payments/{imp_uid}`.
 * A buyer's cancel records `ready`, not `failed`: PortOne documents `ready` as "not paid yet (window
 * left)", and its maintainers say most PGs leave an abandoned payment `ready` (KG Inicis is the named
 * exception that marks it `failed`); nothing says Mobilians is an exception (UNCONFIRMED). Both are
 * "not paid", which is all a client may conclude: anything but `paid` is unpaid.
 */
export const RECORDED_STATUS = {
  approve: 'paid',
  decline: 'failed',
  cancel: 'ready',
} as const satisfies Record<WindowOutcome, PaymentStatus>;

/** The refusal of a window that was declined (with its code, or F0004) or cancelled (F0005). */
export function refusalOf(
  outcome: Exclude<WindowOutcome, 'approve'>,
  decline: { code?: string | null; message?: string | null } = {},
): WindowError {
  if (outcome === 'cancel') return BUYER_CANCELLED;
  return { error_code: decline.code ?? DECLINED.error_code, error_msg: decline.message ?? DECLINED.error_msg };
}
