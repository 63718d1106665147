import type { CancelledResult, CompletedResult, PaymentResult, RedirectResult } from '../result/types.js';
import { afterResult, afterVerify, type FlowError, type VerifyEvent } from './flow-machine.js';

/**
 * Where the `m_redirect_url` page stands: `reading` (the URL is not read yet), `no-result` (it holds none),
 * `verifying` (a completed window; the merchant's `verify` is checking it), `succeeded` (`verify` confirmed
 * it), `unverified` (completed, and nothing checked it on a server), `failed` (the PG refused, `verify`
 * threw, or the query could not be trusted: `error.kind` `redirect`) or `cancelled` (the buyer closed the
 * window).
 */
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

/**
 * What moves the redirect page in {@link redirectReducer}: a `read` of the URL, then the merchant's check of
 * that result, named by its `key` (an answer for another key is ignored).
 */
export type RedirectEvent<Context> =
  /** A result was read (`key` null: the URL holds none). Starts over, whatever came before. */
  | { type: 'read'; key: null }
  | { type: 'read'; key: string; result: RedirectResult; context: Context }
  | (VerifyEvent & { key: string });

/** Where the redirect page starts: `reading`, before the URL is read. */
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
    const { key } = event;
    return key === null ? { status: 'no-result', key } : { key, context: event.context, ...afterResult(event.result) };
  }
  if (state.status !== 'verifying' || event.key !== state.key) return state;
  return { key: state.key, context: state.context, ...afterVerify(state.result, event) };
}
