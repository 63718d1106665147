import type { BillingKeyRequest, PaymentRequest } from '../request/types.js';
import type { ValidationProblem } from '../request/validate.js';
import type { CancelledResult, CompletedResult, FailedResult, PaymentResult, RedirectResult } from '../result/types.js';
import type { RedirectMachineState } from './redirect-machine.js';
import type { SdkStatus } from './sdk-machine.js';

/** Which flow: `pay` (a payment) or `issueBillingKey` (a billing key, through the same window). */
export type FlowKind = 'pay' | 'issueBillingKey';

/**
 * Where a flow stands ({@link FlowState} says what each status holds): `idle` (nothing started, or reset),
 * `requesting` (the window is open), `redirecting` (mobile: the result comes back by `m_redirect_url`, on
 * another page), `verifying` (the window completed; the merchant's `verify` is checking it), `succeeded`
 * (`verify` confirmed it), `unverified` (completed, and nothing checked it on a server), `failed` (see its
 * {@link FlowError}) or `cancelled` (the buyer closed the window).
 */
export type FlowStatus =
  | 'idle'
  | 'requesting'
  | 'redirecting'
  | 'verifying'
  | 'succeeded'
  | 'unverified'
  | 'failed'
  | 'cancelled';

/** Why a flow failed: refused by the PG, refused by the merchant's check, or never sent. */
export type FlowError =
  | { kind: 'payment'; result: FailedResult }
  | { kind: 'verification'; result: CompletedResult; cause: unknown }
  | { kind: 'invalid-request'; problems: ValidationProblem[] }
  | { kind: 'sdk'; cause: unknown }
  | { kind: 'not-ready'; sdkStatus: SdkStatus }
  /** Another window of this page is open: this start was refused and sent nothing. */
  | { kind: 'busy' }
  /** The window gave no answer in time. A late answer still moves the flow on: the payment may be real. */
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'redirect'; reason: string };

/**
 * How a flow ended. `succeeded` only comes from the merchant's `verify`; `unverified` means the window
 * completed and nothing checked it on a server.
 */
export type FlowOutcome<Verification = unknown> =
  | { status: 'succeeded'; result: CompletedResult; verification: Verification }
  | { status: 'unverified'; result: CompletedResult }
  | { status: 'cancelled'; result: CancelledResult }
  | { status: 'failed'; error: FlowError };

/**
 * One flow's state. `attempt` identifies each start (the caller numbers them): events from another
 * attempt are ignored. `succeeded` is only reached through the merchant's verification; `unverified`
 * means the window completed and nobody checked it on a server.
 */
export type FlowState<Request> =
  | { status: 'idle'; attempt: number }
  | { status: 'requesting' | 'redirecting'; attempt: number; request: Request }
  | { status: 'verifying' | 'unverified'; attempt: number; request: Request; result: CompletedResult }
  | { status: 'succeeded'; attempt: number; request: Request; result: CompletedResult; verification: unknown }
  | { status: 'failed'; attempt: number; request: Request | null; error: FlowError }
  | { status: 'cancelled'; attempt: number; request: Request; result: CancelledResult };

/**
 * What moves a flow in {@link flowReducer}. `start`, `reject` and `restore` begin the attempt they name
 * (ignored while a flow is in flight); `reset` always applies; the others only when they name the current
 * attempt.
 */
export type FlowEvent<Request> =
  /** The window is about to open for `request`. */
  | { type: 'start'; attempt: number; request: Request }
  /** The start was refused before anything was sent. */
  | { type: 'reject'; attempt: number; error: FlowError }
  /** Mobile path: the result will come back by `m_redirect_url`. */
  | { type: 'redirect'; attempt: number }
  /** The window answered. */
  | { type: 'result'; attempt: number; result: RedirectResult }
  /** The merchant's `verify` resolved with `verification`. */
  | { type: 'verified'; attempt: number; verification: unknown }
  /** There is no `verify` to run. */
  | { type: 'unverified'; attempt: number }
  /** The merchant's `verify` threw `cause`. */
  | { type: 'verify-failed'; attempt: number; cause: unknown }
  /** `IMP.request_pay` threw `cause`. */
  | { type: 'sdk-failed'; attempt: number; cause: unknown }
  /** The window gave no answer within `afterMs`. */
  | { type: 'timeout'; attempt: number; afterMs: number }
  /** Ask the merchant's server again about a result whose verification failed (the payment may be real). */
  | { type: 'reverify'; attempt: number }
  /** An outcome settled elsewhere (the `m_redirect_url` page) for this request, shown from idle. */
  | { type: 'restore'; attempt: number; request: Request; outcome: FlowOutcome }
  /** Back to idle, from any state. */
  | { type: 'reset' };

/** A payment flow's state (`usePortone().pay` in React). */
export type PayState = FlowState<PaymentRequest>;
/** A billing-key flow's state (`usePortone().issueBillingKey` in React). */
export type BillingKeyState = FlowState<BillingKeyRequest>;

/** Where every flow starts: `idle`, attempt 0. */
export const initialFlowState: FlowState<never> = { status: 'idle', attempt: 0 };

const IN_FLIGHT: readonly FlowStatus[] = ['requesting', 'redirecting', 'verifying'];

/** True while a window is open or a result is being checked. */
export const isFlowInFlight = (status: FlowStatus): boolean => IN_FLIGHT.includes(status);

/**
 * How a flow (or the redirect page's machine) ended, or null while it has not. Computed here once, never
 * re-derived by callers.
 */
export function outcomeOf<Verification = unknown>(
  state: FlowState<unknown> | RedirectMachineState<unknown>,
): FlowOutcome<Verification> | null {
  switch (state.status) {
    case 'succeeded':
      return { status: 'succeeded', result: state.result, verification: state.verification as Verification };
    case 'unverified':
    case 'cancelled':
      return { status: state.status, result: state.result } as FlowOutcome<Verification>;
    case 'failed':
      return { status: 'failed', error: state.error };
    default:
      return null;
  }
}

/** What the window reported, where the state holds it. */
export function resultOf(state: FlowState<unknown>): PaymentResult | null {
  if ('result' in state) return state.result;
  const error = state.status === 'failed' ? state.error : null;
  return error && 'result' in error ? error.result : null;
}

/**
 * True when the state holds a completed window: the buyer may have paid (being verified, verified, never
 * verified, or a verification that failed). Such a state is never hidden by another attempt's end.
 */
export const mayBePaid = (state: FlowState<unknown>): boolean =>
  state.status === 'verifying' ||
  state.status === 'succeeded' ||
  state.status === 'unverified' ||
  (state.status === 'failed' && state.error.kind === 'verification');

/** What a window's result makes of a flow (or the redirect page): checking a completed one, or its end. */
export type AfterResult =
  | { status: 'verifying'; result: CompletedResult }
  | { status: 'cancelled'; result: CancelledResult }
  | { status: 'failed'; result: PaymentResult | null; error: FlowError };

export const afterResult = (result: RedirectResult): AfterResult =>
  result.status === 'completed'
    ? { status: 'verifying', result }
    : result.status === 'cancelled'
      ? { status: 'cancelled', result }
      : result.status === 'invalid'
        ? { status: 'failed', result: null, error: { kind: 'redirect', reason: result.reason } }
        : { status: 'failed', result, error: { kind: 'payment', result } };

/** What the merchant's check of a completed result makes of it. */
export type VerifyEvent =
  | { type: 'verified'; verification: unknown }
  | { type: 'unverified' }
  | { type: 'verify-failed'; cause: unknown };

export const afterVerify = (result: CompletedResult, event: VerifyEvent) =>
  event.type === 'verified'
    ? { status: 'succeeded' as const, result, verification: event.verification }
    : event.type === 'unverified'
      ? { status: 'unverified' as const, result }
      : { status: 'failed' as const, result, error: { kind: 'verification' as const, result, cause: event.cause } };

/**
 * `idle -> requesting -> (redirecting) -> verifying -> succeeded | unverified | failed | cancelled`,
 * `reset` back to idle. Impossible events leave the state as it is. Pure: effects live in the caller.
 */
export function flowReducer<Request>(state: FlowState<Request>, event: FlowEvent<Request>): FlowState<Request> {
  const { attempt } = state;
  if (event.type === 'reset') return { status: 'idle', attempt };
  if (event.type === 'start' || event.type === 'reject' || event.type === 'restore') {
    if (isFlowInFlight(state.status)) return state;
    if (event.type === 'start') return { status: 'requesting', attempt: event.attempt, request: event.request };
    if (event.type === 'reject') return { status: 'failed', attempt: event.attempt, request: null, error: event.error };
    const { outcome, request } = event;
    return outcome.status === 'failed'
      ? { status: 'failed', attempt: event.attempt, request, error: outcome.error }
      : ({ ...outcome, attempt: event.attempt, request } as FlowState<Request>);
  }
  if (event.attempt !== attempt) return state;
  switch (state.status) {
    case 'requesting':
    case 'redirecting': {
      const { request } = state;
      if (event.type === 'redirect') return { status: 'redirecting', attempt, request };
      if (event.type === 'sdk-failed')
        return { status: 'failed', attempt, request, error: { kind: 'sdk', cause: event.cause } };
      if (event.type === 'timeout') {
        return { status: 'failed', attempt, request, error: { kind: 'timeout', afterMs: event.afterMs } };
      }
      if (event.type !== 'result') return state;
      // A failed state keeps the PG's result too (resultOf reads it from the error; the field is harmless).
      return { attempt, request, ...afterResult(event.result) } as FlowState<Request>;
    }
    case 'verifying':
      return event.type === 'verified' || event.type === 'unverified' || event.type === 'verify-failed'
        ? ({ attempt, request: state.request, ...afterVerify(state.result, event) } as FlowState<Request>)
        : state;
    case 'failed':
      // The answer that comes after a timeout is the truth: the buyer may have paid.
      if (event.type === 'result' && state.error.kind === 'timeout' && state.request) {
        return flowReducer<Request>({ status: 'requesting', attempt, request: state.request }, event);
      }
      if (event.type === 'reverify' && state.error.kind === 'verification' && state.request) {
        return { status: 'verifying', attempt, request: state.request, result: state.error.result };
      }
      return state;
    default:
      return state;
  }
}
