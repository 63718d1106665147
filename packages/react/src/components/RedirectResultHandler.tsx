import {
  type CancelledResult,
  type CompletedResult,
  type FlowError,
  initialRedirectState,
  outcomeOf,
  type PaymentResult,
  parseRedirectResult,
  REDIRECT_FIELDS,
  type RedirectResult,
  type RedirectStatus,
  redirectReducer,
  safeReturnPath,
} from '@portone-kit/core';
import { type ReactNode, useEffect, useRef } from 'react';
import { clearPendingIntent, type PendingIntent, readPendingIntent } from '../flow/pending-intent.js';
import { saveSettledOutcome } from '../flow/settled-outcome.js';
import { verifyOnce } from '../flow/verify-once.js';
import { useLatest } from '../use-latest.js';
import { useMachine } from '../use-machine.js';
import { announcement, koreanMessages, type PortoneMessages } from './messages.js';

export type { RedirectStatus } from '@portone-kit/core';

/** What {@link RedirectResultHandler} shows, as its `children` function and `onSuccess` receive it. */
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

/**
 * Props of {@link RedirectResultHandler}. `onSuccess` (`succeeded` or `unverified`), `onFailure` and
 * `onCancel` are called once per result shown, with the latest props, from the effect after the render
 * that shows it (so only while the page is mounted).
 */
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

/** When the query was read: the intent this tab saved before the window, if any. */
type RedirectContext = PendingIntent | null;

/** Where the query PortOne appended stays after `cleanUrl`: in the history entry, for a reload or the back button. */
const HISTORY_KEY = 'portoneKitRedirectQuery';
/** An intent older than this is another visit's: it no longer decides whether a result matches. */
const INTENT_LIFETIME_MS = 60 * 60 * 1000;

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

/**
 * The `m_redirect_url` page: reads PortOne's result from the URL, matches it with the intent this tab
 * saved, verifies it once per `imp_uid` (StrictMode, reloads and the back button included), then
 * cleans the address bar.
 */
export function RedirectResultHandler<Verification = unknown>(props: RedirectResultHandlerProps<Verification>) {
  const { url, cleanUrl = true, followReturnPath = false, messages: overrides, children } = props;
  const latest = useLatest(props);
  const [state, send] = useMachine(redirectReducer<RedirectContext>, initialRedirectState);

  const href = url === undefined ? undefined : String(url);
  useEffect(() => {
    const key = readResultQuery(href, cleanUrl);
    if (key === null) return void send({ type: 'read', key });
    const saved = readPendingIntent();
    const intent = saved && Date.now() - saved.savedAt < INTENT_LIFETIME_MS ? saved : null;
    let result: RedirectResult = parseRedirectResult(key);
    if (result.status !== 'invalid' && intent && intent.merchantUid !== result.merchantUid) {
      result = {
        status: 'invalid',
        reason: `mismatch: the result is for merchant_uid ${result.merchantUid}, this tab started ${intent.merchantUid}`,
      };
    }
    // A new result starts over: whatever is still being verified for the one before changes nothing now.
    if (send({ type: 'read', key, result, context: intent }).status !== 'verifying' || result.status !== 'completed')
      return;
    const completed = result;
    const { verify } = latest.current;
    if (!verify) return void send({ type: 'unverified', key });
    void verifyOnce(completed.impUid, completed.merchantUid, () => latest.current.verify?.(completed, intent)).then(
      (record) =>
        send(
          record.ok
            ? { type: 'verified', key, verification: record.verification }
            : { type: 'verify-failed', key, cause: record.error },
        ),
    );
  }, [href, cleanUrl, send, latest]);

  const { status } = state;
  const intent = state.key === null ? null : state.context;
  const view: RedirectState<Verification> = {
    status,
    result: 'result' in state ? state.result : null,
    error: state.status === 'failed' ? state.error : null,
    verification: state.status === 'succeeded' ? (state.verification as Verification) : undefined,
    intent,
    returnPath: typeof window === 'undefined' ? null : safeReturnPath(intent?.returnPath, window.location.origin),
  };

  // Once per result shown: the callbacks, the intent's removal, the outcome kept for the page that started
  // the flow (mobile round trip) and the trip back there.
  const settledKey = useRef<string | null>(null);
  useEffect(() => {
    const outcome = outcomeOf(state);
    if (!outcome || settledKey.current === state.key) return;
    settledKey.current = state.key;
    const { onSuccess, onFailure, onCancel } = latest.current;
    const merchantUid = view.result?.merchantUid;
    if (merchantUid) clearPendingIntent(merchantUid);
    if (intent && merchantUid === intent.merchantUid) saveSettledOutcome(merchantUid, intent.flow, outcome);
    if (outcome.status === 'failed') onFailure?.(outcome.error);
    else if (outcome.status === 'cancelled') onCancel?.(outcome.result);
    else onSuccess?.(view);
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
            : // The PG's words come from the URL: shown apart below, and only for this tab's order.
              announcement(messages, status, flow, view.error?.kind === 'payment' ? null : view.error);
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
