/** The window finished and PortOne has a payment to check. Not "paid": only the merchant's server may say that. */
export interface CompletedResult {
  status: 'completed';
  impUid: string;
  merchantUid: string;
  /** What the SDK or the redirect gave, unchanged. */
  raw: Readonly<Record<string, unknown>>;
}

/** The PG or PortOne refused the payment. `code` is the PG's raw code when one was given. */
export interface FailedResult {
  status: 'failed';
  code: string | null;
  message: string;
  impUid: string | null;
  merchantUid: string | null;
  raw: Readonly<Record<string, unknown>>;
}

/** The buyer closed or aborted the window (F0005 and the PG's cancel messages). */
export interface CancelledResult extends Omit<FailedResult, 'status'> {
  status: 'cancelled';
}

/** What the browser learnt from the window: a hint for the server, never proof of payment. */
export type PaymentResult = CompletedResult | FailedResult | CancelledResult;

/** A redirect query that cannot be read as a result, and why. */
export interface InvalidRedirectResult {
  status: 'invalid';
  reason: string;
}

/**
 * What a window's answer reads as: a {@link PaymentResult}, or an {@link InvalidRedirectResult} when it
 * cannot be trusted (see `parseRedirectResult`). Never proof of payment.
 */
export type RedirectResult = PaymentResult | InvalidRedirectResult;
