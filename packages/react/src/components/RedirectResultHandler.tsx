import {
  type CancelledResult,
  type CompletedResult,
  type FlowError,
  initialRedirectState,
  outcomeOf,
  type PaymentResult,
  parseRedirectResult,
  REDIRECT_FIELDS,
  type RedirectMachineState,
  type RedirectResult,
  type RedirectStatus,
  redirectReducer,
  safeReturnPath,
} from '@portone-kit/core';
import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import {
  asPendingIntent,
  clearPendingIntent,
  type PendingIntent,
  readPendingIntent,
  sessionRecord,
} from '../flow/pending-intent.js';
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
 * `onCancel` are called once per result the handler reads, with the latest props, as soon as its outcome
 * settles: before the render that shows it, and also when the page unmounted while `verify` ran. Of the
 * copies waiting on one verification (a remount while `verify` runs), the one that read the result last
 * and still shows it calls them: once in all. A result no copy shows any more (a new `url` came first)
 * calls none of them.
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
  /**
   * Go back to the page that started the flow once the result is final (same origin only), the first time
   * it is read: read again (a reload, the back button) it shows the way back as a link. Default false.
   */
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
 * The copies of the handler on each result (mounted or not; a copy leaves when it reads another URL), in
 * the order they read it. Of the copies waiting on one verification, the last one still there tells it.
 */
const readers = new Map<string, Set<object>>();
/**
 * What this tab remembers of a result it read: the intent of its own order (settling removes the pending
 * one), and `kept` once its final outcome went to the checkout (a verification that failed is not final).
 */
interface ReadRecord {
  intent?: unknown;
  kept?: boolean;
}
const readRecordKey = (key: string) => `read:${key}`;

/** What the page shows for a machine state, as `children` and `onSuccess` receive it. */
function viewOf<Verification>(state: RedirectMachineState<RedirectContext>): RedirectState<Verification> {
  const intent = state.key === null ? null : state.context;
  return {
    status: state.status,
    result: 'result' in state ? state.result : null,
    error: state.status === 'failed' ? state.error : null,
    verification: state.status === 'succeeded' ? (state.verification as Verification) : undefined,
    intent,
    returnPath: typeof window === 'undefined' ? null : safeReturnPath(intent?.returnPath, window.location.origin),
  };
}

/**
 * The `m_redirect_url` page: reads PortOne's result from the URL, matches it with the intent this tab
 * saved, verifies it once per `imp_uid` (StrictMode, reloads and the back button included), then
 * cleans the address bar.
 */
export function RedirectResultHandler<Verification = unknown>(props: RedirectResultHandlerProps<Verification>) {
  const { url, cleanUrl = true, followReturnPath = false, messages: overrides, children } = props;
  const latest = useLatest(props);
  const [state, send, current] = useMachine(redirectReducer<RedirectContext>, initialRedirectState);

  // Once per result read, where its outcome settles (mounted or not, before the render that shows it): the
  // callbacks, the intent's removal and the outcome kept for the page that started the flow.
  const settledKey = useRef<string | null>(null);
  const reader = useRef({});
  const revisit = useRef(false);
  const settle = useCallback(
    (next: RedirectMachineState<RedirectContext>) => {
      const outcome = outcomeOf(next);
      if (!outcome || next.key === null || settledKey.current === next.key) return;
      settledKey.current = next.key;
      const { onSuccess, onFailure, onCancel } = latest.current;
      const view = viewOf<Verification>(next);
      const merchantUid = view.result?.merchantUid;
      if (merchantUid) clearPendingIntent(merchantUid);
      if (view.intent && merchantUid === view.intent.merchantUid && !revisit.current) {
        saveSettledOutcome(merchantUid, view.intent.flow, outcome);
        if (outcome.status !== 'failed' || outcome.error.kind !== 'verification')
          sessionRecord.write(readRecordKey(next.key), { intent: view.intent, kept: true } satisfies ReadRecord);
      }
      if (outcome.status === 'failed') onFailure?.(outcome.error);
      else if (outcome.status === 'cancelled') onCancel?.(outcome.result);
      else onSuccess?.(view);
    },
    [latest],
  );

  const href = url === undefined ? undefined : String(url);
  useEffect(() => {
    const key = readResultQuery(href, cleanUrl);
    const previous = current.current.key;
    // The result this page already read (StrictMode's second run): its intent may be gone by now.
    if (key !== null && key === previous) return;
    const self = reader.current;
    if (previous !== null) readers.get(previous)?.delete(self);
    settledKey.current = null;
    if (key === null) return void send({ type: 'read', key });
    const onKey = readers.get(key) ?? new Set<object>();
    readers.set(key, onKey.add(self));
    // A result keeps the intent of its own order: a remount or a reload after it settled (which removed that
    // intent) shows the same flow and way back. Read once before, it takes a later intent only of its order.
    const record = sessionRecord.read<ReadRecord>(readRecordKey(key));
    const pinned = asPendingIntent(record?.intent);
    const saved = readPendingIntent();
    let result: RedirectResult = parseRedirectResult(key);
    const own = result.status === 'invalid' ? null : result.merchantUid;
    const fresh = saved && Date.now() - saved.savedAt < INTENT_LIFETIME_MS && (!record || saved.merchantUid === own);
    const intent = pinned ?? (fresh ? saved : null);
    // A result already given to the checkout is shown again, not given again (nor followed back again).
    revisit.current = record?.kept === true;
    if (result.status !== 'invalid' && intent && intent.merchantUid !== result.merchantUid) {
      result = {
        status: 'invalid',
        reason: `mismatch: the result is for merchant_uid ${result.merchantUid}, this tab started ${intent.merchantUid}`,
      };
    } else if (!record || (intent && !pinned)) sessionRecord.write(readRecordKey(key), { intent });
    // A new result starts over: whatever is still being verified for the one before changes nothing now.
    const read = send({ type: 'read', key, result, context: intent });
    if (read.status !== 'verifying' || result.status !== 'completed') return settle(read);
    const completed = result;
    const { verify } = latest.current;
    if (!verify) return settle(send({ type: 'unverified', key }));
    void verifyOnce(completed.impUid, completed.merchantUid, () => latest.current.verify?.(completed, intent)).then(
      (record) => {
        const next = send(
          record.ok
            ? { type: 'verified', key, verification: record.verification }
            : { type: 'verify-failed', key, cause: record.error },
        );
        if (next.key === key && [...onKey].at(-1) === self) settle(next);
      },
    );
  }, [href, cleanUrl, send, current, latest, settle]);

  const view = viewOf<Verification>(state);
  // The trip back is the page's own doing: only while it shows the settled result.
  const backTo = followReturnPath && outcomeOf(state) && !revisit.current ? view.returnPath : null;
  useEffect(() => {
    if (backTo) window.location.assign(backTo);
  }, [backTo]);
  const { status } = state;
  const intent = view.intent;

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
