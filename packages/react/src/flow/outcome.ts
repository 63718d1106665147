import type { CompletedResult, FlowOutcome } from '@portone-kit/core';

export type { FlowOutcome } from '@portone-kit/core';

/** The merchant's server check of a completed window: resolve when the server confirms, throw otherwise. */
export type Verify<Verification = unknown> = (result: CompletedResult) => Promise<Verification> | Verification;

/**
 * What a flow's `start` takes besides the request. Without `verify` a completed window ends `unverified`,
 * never `succeeded`.
 */
export interface StartOptions<Verification = unknown> {
  verify?: Verify<Verification> | undefined;
  /** This window's timeout, instead of the `windowTimeoutMs` of the hook's options. */
  windowTimeoutMs?: number | undefined;
  /**
   * Called where the attempt settles, mounted or not: once with the outcome `start` resolves, and once
   * more for each later change of it (a window that timed out and answered late; a `reverify`).
   */
  onSettled?: ((outcome: FlowOutcome<Verification>) => void) | undefined;
}
