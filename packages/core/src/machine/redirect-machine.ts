import type { CancelledResult, CompletedResult, PaymentResult, RedirectResult } from '../result/types.js';
import type { FlowError } from './flow-machine.js';

export type RedirectStatus =
  | 'reading'
  | 'no-result'
  | 'verifying'
  | 'succeeded'
  | 'unverified'
  | 'failed'
  | 'cancelled';

/**
 * The `m_redirect_url` page's state, keyed by the result it shows (`key`: the query PortOne appended).
 * `context` is what the page knew when it read that result (the intent its tab saved).
 */
export type RedirectMachineState<Context> =
  | { status: 'reading' | 'no-result'; key: null }
  | { status: 'verifying' | 'unverified'; key: string; context: Context; result: CompletedResult }
  | { status: 'succeeded'; key: string; context: Context; result: CompletedResult; verification: unknown }
  | { status: 'cancelled'; key: string; context: Context; result: CancelledResult }
  | { status: 'failed'; key: string; context: Context; result: PaymentResult | null; error: FlowError };

export type RedirectEvent<Context> =
  /** A result was read (`key` null: the URL holds none). Starts over, whatever came before. */
  | { type: 'read'; key: null }
  | { type: 'read'; key: string; result: RedirectResult; context: Context }
  | { type: 'verified'; key: string; verification: unknown }
  | { type: 'verify-failed'; key: string; cause: unknown }
  | { type: 'unverified'; key: string };

export const initialRedirectState: RedirectMachineState<never> = { status: 'reading', key: null };

/**
 * `reading -> no-result | verifying -> succeeded | unverified | failed`, or straight to `failed` and
 * `cancelled`. Events about another result than the one read last are ignored, so an answer for a URL
 * the page no longer shows changes nothing. Pure.
 */
export function redirectReducer<Context>(
  state: RedirectMachineState<Context>,
  event: RedirectEvent<Context>,
): RedirectMachineState<Context> {
  if (event.type === 'read') {
    if (event.key === null) return { status: 'no-result', key: null };
    const { key, result, context } = event;
    if (result.status === 'completed') return { status: 'verifying', key, context, result };
    if (result.status === 'cancelled') return { status: 'cancelled', key, context, result };
    return result.status === 'invalid'
      ? { status: 'failed', key, context, result: null, error: { kind: 'redirect', reason: result.reason } }
      : { status: 'failed', key, context, result, error: { kind: 'payment', result } };
  }
  if (state.status !== 'verifying' || event.key !== state.key) return state;
  const { key, context, result } = state;
  if (event.type === 'verified') return { status: 'succeeded', key, context, result, verification: event.verification };
  if (event.type === 'unverified') return { status: 'unverified', key, context, result };
  return { status: 'failed', key, context, result, error: { kind: 'verification', result, cause: event.cause } };
}
