import { isLostAnswer, PortoneApiError, PortoneError, PortoneNetworkError, PortoneTimeoutError } from './errors.js';
import type { HttpSend } from './http.js';
import { createRedactor } from './redaction.js';
import { type ClientTimers, sleep } from './timers.js';

export interface TransportOptions {
  impKey: string;
  impSecret: string;
  http: HttpSend;
  timeoutMs: number;
  tierCode: string | null;
  readRetries: number;
  retryDelayMs: number;
  timers: ClientTimers;
}

export interface CallSpec<T> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Already percent-encoded, e.g. `/payments/imp_123`. */
  path: string;
  query?: Readonly<Record<string, string>>;
  /** Sent as JSON; undefined fields are left out. */
  body?: Readonly<Record<string, unknown>>;
  /** Safe to send again when its answer is lost: reads, never writes. */
  retry: boolean;
  /** What `response` must look like; anything else counts as an answer that was not PortOne's. */
  accept(response: unknown): response is T;
}

/**
 * `sent: false` means no request that could have been carried out ever left: the token could not be had.
 * (A 401 is refused before any work, so a request answered 401 counts as not carried out.)
 */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: PortoneError; sent: boolean };

export interface Transport {
  call<T>(spec: CallSpec<T>): Promise<CallOutcome<T>>;
  /** How far PortOne's clock is ahead of ours, as its last getToken's `now` told (to a second or so); 0 before. */
  clockOffsetMs(): number;
}

interface Envelope {
  code: number;
  message: string | null;
  response: unknown;
}

interface IssuedToken {
  access_token: string;
  now: number;
  expired_at: number;
}

const TOKEN_ENDPOINT = 'POST /users/getToken';
// PortOne gives the same token when asked again before it expires (extended by 5 minutes in its last
// minute), so refreshing a minute early costs nothing and keeps requests clear of the expiry.
const TOKEN_MARGIN_MS = 60_000;
// Tokens kept for blanking out of error texts: the live one and the few before it.
const REMEMBERED_TOKENS = 4;
// How deep a cause chain is copied; a deeper (or circular) one is cut there.
const MAX_CAUSES = 8;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isEnvelope = (value: unknown): value is Envelope =>
  isRecord(value) &&
  typeof value.code === 'number' &&
  (value.message === null || value.message === undefined || typeof value.message === 'string');

const isIssuedToken = (value: unknown): value is IssuedToken =>
  isRecord(value) &&
  typeof value.access_token === 'string' &&
  value.access_token !== '' &&
  typeof value.now === 'number' &&
  typeof value.expired_at === 'number';

/** `?name=value&…`, or '' for none; encoded as URLSearchParams would, without building one per request. */
function queryString(query: Readonly<Record<string, string>> | undefined): string {
  let text = '';
  for (const name in query) {
    text += `${text === '' ? '?' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(query[name] ?? '')}`;
  }
  return text;
}

/** The HTTP side of the client: one token for everyone, timeouts, retries of reads, typed errors. */
export function createTransport(options: TransportOptions): Transport {
  const { impKey, impSecret, timeoutMs, tierCode, readRetries, retryDelayMs, timers } = options;
  const send = options.http;
  let cached: { token: string; refreshAtMs: number } | null = null;
  let pending: Promise<string> | null = null;
  const knownTokens: string[] = [];
  let offsetMs = 0;

  // The secret and the last few tokens, blanked out of any text that came from outside.
  const { redact, remember, forget } = createRedactor([impSecret]);

  /**
   * A copy of a thrown value that keeps its name, message and code (blanked of secrets), and its causes
   * likewise, and nothing else that could hold a secret (a request, headers, a body).
   */
  function safeCause(error: unknown, depth = 0): Error {
    const original = error instanceof Error ? error : new Error(String(error));
    const copy = new Error(redact(original.message));
    copy.name = redact(original.name);
    // The stack's first line repeats the message as it was: rebuild it from the blanked one.
    copy.stack = `${copy.name}: ${copy.message}`;
    const code = (original as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number')
      Object.assign(copy, { code: typeof code === 'number' ? code : redact(code) });
    const inner = (original as { cause?: unknown }).cause;
    if (inner !== undefined && depth < MAX_CAUSES) Object.assign(copy, { cause: safeCause(inner, depth + 1) });
    return copy;
  }

  /** One request, one answer: PortOne's `response`, or a typed error. */
  async function exchange<T>(spec: CallSpec<T>, endpoint: string, token: string | null): Promise<T> {
    const query = queryString(spec.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (token !== null) headers.authorization = `Bearer ${token}`;
    // A sub-merchant's calls name its tier; the token itself comes from the agency's account.
    if (tierCode !== null && token !== null) headers.tier = tierCode;

    const exchanged = send({
      method: spec.method,
      path: `${spec.path}${query}`,
      headers,
      ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
    });
    let timedOut = false;
    const timer = timers.setTimeout(() => {
      timedOut = true;
      exchanged.abort();
    }, timeoutMs);
    let status: number;
    let text: string;
    try {
      ({ status, text } = await exchanged.answer);
    } catch (error) {
      if (timedOut) throw new PortoneTimeoutError(endpoint, timeoutMs);
      throw new PortoneNetworkError(endpoint, { cause: safeCause(error) });
    } finally {
      timers.clearTimeout(timer);
    }

    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      envelope = undefined;
    }
    if (!isEnvelope(envelope)) {
      throw new PortoneApiError(endpoint, status, null, 'the answer is not PortOne’s JSON envelope');
    }
    if (status !== 200 || envelope.code !== 0) {
      throw new PortoneApiError(endpoint, status, envelope.code, redact(envelope.message ?? `HTTP ${status}`));
    }
    if (!spec.accept(envelope.response)) {
      throw new PortoneApiError(endpoint, status, null, 'the answer’s response is not what this endpoint returns');
    }
    return envelope.response;
  }

  /** Sends `spec` again on a lost answer while it may be, waiting a little longer each time. */
  async function withRetries<T>(spec: CallSpec<T>, endpoint: string, token: string | null): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await exchange(spec, endpoint, token);
      } catch (error) {
        const retryable = isLostAnswer(error) || (error instanceof PortoneApiError && error.httpStatus === 429);
        if (!spec.retry || !retryable || attempt >= readRetries) throw error;
        // Jitter, so that callers who failed together do not come back together.
        await sleep(timers, retryDelayMs * 2 ** attempt * (0.5 + Math.random() / 2));
      }
    }
  }

  async function issueToken(): Promise<string> {
    const sentAtMs = timers.now();
    const issued = await withRetries<IssuedToken>(
      {
        method: 'POST',
        path: '/users/getToken',
        body: { imp_key: impKey, imp_secret: impSecret },
        // The same key pair gets the same live token: asking again is harmless.
        retry: true,
        accept: isIssuedToken,
      },
      TOKEN_ENDPOINT,
      null,
    );
    if (!knownTokens.includes(issued.access_token)) {
      knownTokens.unshift(issued.access_token);
      remember(issued.access_token);
      for (const old of knownTokens.splice(REMEMBERED_TOKENS)) forget(old);
    }
    // Lifetime by PortOne's own clock (`expired_at - now`), so a skewed local clock does not matter;
    // counted from when we asked, the earliest moment PortOne's `now` can be.
    const lifetimeMs = (issued.expired_at - issued.now) * 1000;
    const margin = Math.min(TOKEN_MARGIN_MS, lifetimeMs / 2);
    cached = { token: issued.access_token, refreshAtMs: sentAtMs + lifetimeMs - margin };
    offsetMs = issued.now * 1000 - sentAtMs;
    return issued.access_token;
  }

  /** The live token; every caller waiting at the same time shares one getToken request. */
  function token(): Promise<string> {
    if (cached !== null && timers.now() < cached.refreshAtMs) return Promise.resolve(cached.token);
    pending ??= issueToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  async function call<T>(spec: CallSpec<T>): Promise<CallOutcome<T>> {
    const endpoint = `${spec.method} ${spec.path}`;
    for (let reauthorized = false; ; reauthorized = true) {
      let current: string;
      try {
        current = await token();
      } catch (error) {
        if (error instanceof PortoneError) return { ok: false, error, sent: false };
        throw error;
      }
      try {
        return { ok: true, value: await withRetries(spec, endpoint, current) };
      } catch (error) {
        if (!(error instanceof PortoneError)) throw error;
        // PortOne checks the token before doing anything, so a 401 can be sent again once, with a new token.
        if (error instanceof PortoneApiError && error.httpStatus === 401 && !reauthorized) {
          if (cached?.token === current) cached = null;
          continue;
        }
        return { ok: false, error, sent: true };
      }
    }
  }

  return { call, clockOffsetMs: () => offsetMs };
}
