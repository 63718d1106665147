import type { BillingKeyRequest, PaymentRequest } from '../request/types.js';
import type { ValidationProblem } from '../request/validate.js';
import type { CancelledResult, CompletedResult, FailedResult, RedirectResult } from '../result/types.js';
import type { SdkStatus } from './sdk-machine.js';

export type FlowKind = 'pay' | 'issueBillingKey';

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
  /** The window gave no answer in time. A late answer still moves the flow on: the payment may be real. */
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'redirect'; reason: string };

/**
 * One flow's state. `attempt` identifies each start (the caller numbers them): events from another
 * attempt (a late callback after `reset` or after a new start) are ignored. `succeeded` is only reached through the merchant's verification; `unverified`
 * means the window completed and nobody checked it on a server.
 */
export type FlowState<Request> =
  | { status: 'idle'; attempt: number }
  | { status: 'requesting' | 'redirecting'; attempt: number; request: Request }
  | { status: 'verifying' | 'unverified'; attempt: number; request: Request; result: CompletedResult }
  | { status: 'succeeded'; attempt: number; request: Request; result: CompletedResult; verification: unknown }
  | { status: 'failed'; attempt: number; request: Request | null; error: FlowError }
  | { status: 'cancelled'; attempt: number; request: Request; result: CancelledResult };

export type FlowEvent<Request> =
  | { type: 'start'; attempt: number; request: Request }
  | { type: 'reject'; attempt: number; error: FlowError }
  | { type: 'redirect'; attempt: number }
  | { type: 'result'; attempt: number; result: RedirectResult }
  | { type: 'verified'; attempt: number; verification: unknown }
  | { type: 'unverified'; attempt: number }
  | { type: 'verify-failed'; attempt: number; cause: unknown }
  | { type: 'sdk-failed'; attempt: number; cause: unknown }
  | { type: 'timeout'; attempt: number; afterMs: number }
  /** Ask the merchant's server again about a result whose verification failed (the payment may be real). */
  | { type: 'reverify'; attempt: number }
  | { type: 'reset' };

export type PayState = FlowState<PaymentRequest>;
export type BillingKeyState = FlowState<BillingKeyRequest>;

export const initialFlowState: FlowState<never> = { status: 'idle', attempt: 0 };

const IN_FLIGHT: readonly FlowStatus[] = ['requesting', 'redirecting', 'verifying'];

/** True while a window is open or a result is being checked: a new start must wait. */
export const isFlowInFlight = (status: FlowStatus): boolean => IN_FLIGHT.includes(status);

/**
 * `idle -> requesting -> (redirecting) -> verifying -> succeeded | unverified | failed | cancelled`,
 * `reset` back to idle. Impossible events leave the state as it is. Pure: effects live in the caller.
 */
export function flowReducer<Request>(state: FlowState<Request>, event: FlowEvent<Request>): FlowState<Request> {
  const { attempt } = state;
  if (event.type === 'reset') return { status: 'idle', attempt };
  if (event.type === 'start' || event.type === 'reject') {
    if (isFlowInFlight(state.status)) return state;
    return event.type === 'start'
      ? { status: 'requesting', attempt: event.attempt, request: event.request }
      : { status: 'failed', attempt: event.attempt, request: null, error: event.error };
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
      const { result } = event;
      if (result.status === 'completed') return { status: 'verifying', attempt, request, result };
      if (result.status === 'cancelled') return { status: 'cancelled', attempt, request, result };
      if (result.status === 'invalid')
        return { status: 'failed', attempt, request, error: { kind: 'redirect', reason: result.reason } };
      return { status: 'failed', attempt, request, error: { kind: 'payment', result } };
    }
    case 'verifying': {
      const { request, result } = state;
      if (event.type === 'verified')
        return { status: 'succeeded', attempt, request, result, verification: event.verification };
      if (event.type === 'unverified') return { status: 'unverified', attempt, request, result };
      if (event.type === 'verify-failed')
        return { status: 'failed', attempt, request, error: { kind: 'verification', result, cause: event.cause } };
      return state;
    }
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
