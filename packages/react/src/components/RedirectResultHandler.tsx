import {
  type CancelledResult,
  type CompletedResult,
  type FlowError,
  type FlowEvent,
  type FlowState,
  flowReducer,
  initialFlowState,
  type PaymentResult,
  parseRedirectResult,
  REDIRECT_FIELDS,
  type RedirectResult,
} from '@portone-kit/core';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { clearPendingIntent, type PendingIntent, readPendingIntent } from '../flow/pending-intent.js';
import { verifyOnce } from '../flow/verify-once.js';
import { useLatest } from '../use-latest.js';
import { announcement, koreanMessages, type PortoneMessages } from './messages.js';

export type RedirectStatus =
  | 'reading'
  | 'no-result'
  | 'verifying'
  | 'succeeded'
  | 'unverified'
  | 'failed'
  | 'cancelled';

export interface RedirectState<Verification = unknown> {
  status: RedirectStatus;
  result: PaymentResult | null;
  error: FlowError | null;
  /** What `verify` resolved with (kept as JSON across reloads), once `succeeded`. */
  verification: Verification | undefined;
  /** What the page that opened the window remembered, when this tab opened it. */
  intent: PendingIntent | null;
  /** The page that started the flow, when it is on this origin. */
  returnPath: string | null;
}

export interface RedirectResultHandlerProps<Verification = unknown> {
  /** The URL to read. Default: the current location. */
  url?: string | URL | undefined;
  /** Your server's check of the result; called once per `imp_uid`. Without it a completed result ends `unverified`. */
  verify?:
    | ((result: CompletedResult, intent: PendingIntent | null) => Promise<Verification> | Verification)
    | undefined;
  onSuccess?: ((state: RedirectState<Verification>) => void) | undefined;
  onFailure?: ((error: FlowError) => void) | undefined;
  onCancel?: ((result: CancelledResult) => void) | undefined;
  /** Remove PortOne's query parameters from the address bar with `history.replaceState`. Default true. */
  cleanUrl?: boolean | undefined;
  /** Go back to the page that started the flow once the result is final (same origin only). Default false. */
  followReturnPath?: boolean | undefined;
  messages?: Partial<PortoneMessages> | undefined;
  /** Your own markup for each state; default: an accessible status message. */
  children?: ((state: RedirectState<Verification>) => ReactNode) | undefined;
}

/** The context a redirect flow runs in: the intent this tab saved before the window, if any. */
interface RedirectContext {
  intent: PendingIntent | null;
}

const ATTEMPT = 1;
/** Where the query PortOne appended stays after `cleanUrl`: in the history entry, for a reload or the back button. */
const HISTORY_KEY = 'portoneKitRedirectQuery';
/** An intent older than this is another visit's: it no longer decides whether a result matches. */
const INTENT_LIFETIME_MS = 60 * 60 * 1000;

function sameOriginPath(path: string | undefined): string | null {
  if (!path) return null;
  try {
    const target = new URL(path, window.location.origin);
    return target.origin === window.location.origin ? `${target.pathname}${target.search}${target.hash}` : null;
  } catch {
    return null;
  }
}

/**
 * The query PortOne appended, or, after `cleanUrl` took it out of the address bar, the one kept in this
 * history entry (so a reload or the back button shows the same result, and a later visit shows none).
 */
function readResultQuery(url: string | URL | undefined, cleanUrl: boolean): string | null {
  const target = new URL(String(url ?? window.location.href), window.location.href);
  const found = REDIRECT_FIELDS.some((name) => target.searchParams.has(name));
  if (url !== undefined) return found ? target.search : null;
  const entry: unknown = window.history.state;
  const state = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
  if (!found) return typeof state[HISTORY_KEY] === 'string' ? state[HISTORY_KEY] : null;
  const query = target.search;
  if (cleanUrl) {
    for (const name of REDIRECT_FIELDS) target.searchParams.delete(name);
    window.history.replaceState({ ...state, [HISTORY_KEY]: query }, '', target.href);
  }
  return query;
}

function toStatus(state: FlowState<RedirectContext>, hasQuery: boolean | null): RedirectStatus {
  if (hasQuery === null) return 'reading';
  if (!hasQuery) return 'no-result';
  switch (state.status) {
    case 'idle':
    case 'requesting':
    case 'redirecting':
      return 'reading';
    default:
      return state.status;
  }
}

/**
 * The `m_redirect_url` page: reads PortOne's result from the URL, matches it with the intent this tab
 * saved, verifies it once per `imp_uid` (StrictMode, reloads and the back button included), then
 * cleans the address bar.
 */
export function RedirectResultHandler<Verification = unknown>(props: RedirectResultHandlerProps<Verification>) {
  const { url, cleanUrl = true, followReturnPath = false, messages: overrides, children } = props;
  const latest = useLatest(props);
  const [state, setState] = useState<FlowState<RedirectContext>>(initialFlowState);
  const [hasQuery, setHasQuery] = useState<boolean | null>(null);
  const stateRef = useRef<FlowState<RedirectContext>>(initialFlowState);
  const mounted = useRef(false);
  const send = useCallback((event: FlowEvent<RedirectContext>) => {
    const next = flowReducer(stateRef.current, event);
    if (next === stateRef.current) return;
    stateRef.current = next;
    if (mounted.current) setState(next);
  }, []);

  const href = url === undefined ? undefined : String(url);
  useEffect(() => {
    mounted.current = true;
    const query = readResultQuery(href, cleanUrl);
    setHasQuery(query !== null);
    if (query === null) return;
    const saved = readPendingIntent();
    const intent = saved && Date.now() - saved.savedAt < INTENT_LIFETIME_MS ? saved : null;
    let result: RedirectResult = parseRedirectResult(query);
    if (result.status !== 'invalid' && intent && intent.merchantUid !== result.merchantUid) {
      result = {
        status: 'invalid',
        reason: `mismatch: the result is for merchant_uid ${result.merchantUid}, this tab started ${intent.merchantUid}`,
      };
    }
    send({ type: 'start', attempt: ATTEMPT, request: { intent } });
    send({ type: 'result', attempt: ATTEMPT, result });
    if (result.status === 'completed') {
      const completed = result;
      const { verify } = latest.current;
      if (!verify) send({ type: 'unverified', attempt: ATTEMPT });
      else {
        void verifyOnce(completed.impUid, completed.merchantUid, () => latest.current.verify?.(completed, intent)).then(
          (record) => {
            if (record.ok) send({ type: 'verified', attempt: ATTEMPT, verification: record.verification });
            else send({ type: 'verify-failed', attempt: ATTEMPT, cause: record.error });
          },
        );
      }
    }
    return () => {
      mounted.current = false;
    };
  }, [href, cleanUrl, send, latest]);

  const status = toStatus(state, hasQuery);
  const request = 'request' in state ? state.request : null;
  const intent = request?.intent ?? null;
  const view: RedirectState<Verification> = {
    status,
    result:
      'result' in state
        ? state.result
        : state.status === 'failed' && 'result' in state.error
          ? state.error.result
          : null,
    error: state.status === 'failed' ? state.error : null,
    verification: state.status === 'succeeded' ? (state.verification as Verification) : undefined,
    intent,
    returnPath: sameOriginPath(intent?.returnPath),
  };

  // Callbacks, the intent's removal and the return trip happen once, when the result is final.
  const settled = useRef(false);
  useEffect(() => {
    if (settled.current || !['succeeded', 'unverified', 'failed', 'cancelled'].includes(status)) return;
    settled.current = true;
    const { onSuccess, onFailure, onCancel } = latest.current;
    if (view.result) clearPendingIntent(view.result.merchantUid ?? undefined);
    if (status === 'succeeded' || status === 'unverified') onSuccess?.(view);
    else if (status === 'cancelled' && view.result?.status === 'cancelled') onCancel?.(view.result);
    else if (view.error) onFailure?.(view.error);
    if (followReturnPath && view.returnPath) window.location.assign(view.returnPath);
  });

  if (children) return <>{children(view)}</>;
  const messages = { ...koreanMessages, ...overrides };
  const flow = intent?.flow ?? 'pay';
  const unreadable = view.error?.kind === 'redirect';
  const mismatch = unreadable && view.error?.kind === 'redirect' && view.error.reason.startsWith('mismatch');
  const text =
    status === 'reading'
      ? messages.verifying
      : status === 'no-result'
        ? messages.noResult
        : mismatch
          ? messages.mismatch
          : unreadable
            ? // Not "failed": the buyer may have paid, and must not be led to pay again.
              messages.unknownResult
            : view.error?.kind === 'verification'
              ? messages.verifyFailed
              : announcement(messages, status, flow);
  // error_msg comes from the URL, so anyone can write it: shown only for the order this tab started (as
  // text, never markup), so that a crafted link cannot put its words on the merchant's page.
  const detail =
    view.result && view.result.status !== 'completed' && intent && intent.merchantUid === view.result.merchantUid
      ? view.result.message
      : null;
  return (
    <div role="status" aria-live="polite" data-status={status}>
      <p>{text}</p>
      {detail && status !== 'succeeded' ? <p>{detail}</p> : null}
      {view.returnPath && !followReturnPath && status !== 'reading' && status !== 'verifying' ? (
        <p>
          <a href={view.returnPath}>{messages.back}</a>
        </p>
      ) : null}
    </div>
  );
}
