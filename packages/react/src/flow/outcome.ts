import type { CancelledResult, CompletedResult, FlowError } from '@portone-kit/core';

/**
 * How a flow ended, as `start` resolves it. `succeeded` only comes from the merchant's `verify`;
 * `unverified` means the window completed and nothing checked it on a server.
 */
export type FlowOutcome<Verification = unknown> =
  | { status: 'succeeded'; result: CompletedResult; verification: Verification }
  | { status: 'unverified'; result: CompletedResult }
  | { status: 'cancelled'; result: CancelledResult }
  | { status: 'failed'; error: FlowError };

/** The merchant's server check of a completed window: resolve when the server confirms, throw otherwise. */
export type Verify<Verification = unknown> = (result: CompletedResult) => Promise<Verification> | Verification;

export interface StartOptions<Verification = unknown> {
  verify?: Verify<Verification> | undefined;
  /** This window's timeout, instead of the `windowTimeoutMs` of the hook's options. */
  windowTimeoutMs?: number | undefined;
}
