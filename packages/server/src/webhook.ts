import type { PortoneClient } from './client.js';
import type { Payment } from './types.js';

/** The addresses PortOne documents as the senders of V1 webhooks. */
export const PORTONE_WEBHOOK_ADDRESSES: readonly string[] = Object.freeze([
  '52.78.100.19',
  '52.78.48.223',
  '52.78.5.241',
]);

/**
 * What PortOne posted. A V1 webhook is unsigned, so none of it is trusted: the handler refetches the
 * payment and passes PortOne's own record along with this.
 */
export interface WebhookEvent {
  imp_uid: string;
  merchant_uid: string | null;
  /** `paid`, `ready`, `failed` or `cancelled`, as posted. */
  status: string | null;
  /** Set for cancellations. */
  cancellation_id: string | null;
}

/** How a claim on a key went: process it, it is done already, or someone else is processing it now. */
export type IdempotencyClaim = 'claimed' | 'done' | 'busy';

/**
 * Remembers which webhooks were handled, so that a repeat is answered without calling the handler
 * again. The in-memory default serves one process only: servers with several instances need a shared
 * store (a database row or Redis key per key: claim = insert-if-absent with an expiry, complete = mark
 * done, release = delete).
 */
export interface IdempotencyStore {
  /** Claims `key` if nobody holds it. A claim not completed or released should lapse after a while. */
  claim(key: string): IdempotencyClaim | Promise<IdempotencyClaim>;
  /** The handler succeeded: `key` is done for good. */
  complete(key: string): void | Promise<void>;
  /** The handler failed: free `key`, so that PortOne's next attempt runs it again. */
  release(key: string): void | Promise<void>;
}

/** Options of {@link createMemoryIdempotencyStore}: how many done keys it remembers, how long a claim holds. */
export interface MemoryIdempotencyStoreOptions {
  /** How many done keys to remember, oldest forgotten first. Default 10 000. */
  maxKeys?: number;
  /**
   * How long a claim holds without being completed or released. Default 45 s: under the minute PortOne
   * waits between retries, so a crashed handler's claim has lapsed by the next retry. Raise it only with a
   * handler that may take longer, which a retry would then find busy.
   */
  claimTtlMs?: number;
}

/** An {@link IdempotencyStore} in this process's memory. One instance per server process only. */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const maxKeys = options.maxKeys ?? 10_000;
  const claimTtlMs = options.claimTtlMs ?? 45_000;
  // Insertion order is age order, so the first done key is the oldest.
  const entries = new Map<string, { done: true } | { done: false; until: number }>();
  return {
    claim(key) {
      const entry = entries.get(key);
      if (entry?.done) return 'done';
      if (entry && entry.until > Date.now()) return 'busy';
      entries.set(key, { done: false, until: Date.now() + claimTtlMs });
      return 'claimed';
    },
    complete(key) {
      entries.delete(key);
      entries.set(key, { done: true });
      for (const [oldest, entry] of entries) {
        if (entries.size <= maxKeys) break;
        if (entry.done) entries.delete(oldest);
      }
    },
    release(key) {
      if (entries.get(key)?.done === false) entries.delete(key);
    },
  };
}

/** What the server knows of the connection, which a Fetch `Request` does not carry. */
export interface WebhookConnection {
  remoteAddress?: string | undefined;
}

/**
 * What {@link createWebhookHandler} takes: the client that refetches each payment, your `onPayment`, and
 * which webhooks and callers it turns away.
 */
export interface WebhookHandlerOptions {
  /** Refetches the payment; a client made by `createPortoneClient`. */
  client: Pick<PortoneClient, 'getPayment'>;
  /**
   * Called with PortOne's current record of the payment, once per state of it (a repeat of the same
   * webhook is not passed on; a later cancellation is). Compare it with your order (e.g. with
   * `checkPayment`) and act; throw to have PortOne try again later. Only after it returns is 200 answered.
   */
  onPayment(payment: Payment, event: WebhookEvent): void | Promise<void>;
  /** Pass on test-channel payments (`sandbox: true`). Default false: they are refused with 400. */
  allowSandbox?: boolean;
  /** Default: a {@link createMemoryIdempotencyStore}, right for a single process only. */
  store?: IdempotencyStore;
  /**
   * Only these callers are served; the others get 403. Off by default. Pass
   * {@link PORTONE_WEBHOOK_ADDRESSES} to admit only PortOne's documented senders.
   */
  allowedAddresses?: readonly string[];
  /**
   * The caller's address. Default: the `remoteAddress` the Node adapter passes. Behind your own proxy,
   * read its header here (e.g. the first `x-forwarded-for` entry); never trust that header otherwise.
   */
  callerAddress?: (request: Request, connection: WebhookConnection) => string | null | undefined;
  /** Where failures go (a failed refetch, a throwing `onPayment`). Default: `console.error`. */
  onError?: (error: unknown, event: WebhookEvent | null) => void;
  /** Larger bodies are refused with 413. Default 64 KiB; PortOne's are under 200 bytes. */
  maxBodyBytes?: number;
}

/** A Fetch API handler: `Request` in, `Response` out (Next.js route handlers, Hono, Deno, Bun, workers). */
export type WebhookHandler = (request: Request, connection?: WebhookConnection) => Promise<Response>;

/**
 * True when the refetched payment has not caught up with the event: `paid` news of a payment still
 * `ready`, or `cancelled` news of one with nothing refunded yet (a partial refund may leave it `paid`).
 */
const isBehind = (payment: Payment, event: WebhookEvent): boolean =>
  (event.status === 'paid' && payment.status === 'ready') ||
  (event.status === 'cancelled' &&
    payment.status !== 'cancelled' &&
    payment.cancel_amount === 0 &&
    payment.status !== 'failed');

const reply = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

class BodyTooLarge extends Error {}

async function readText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (declared > maxBytes) throw new BodyTooLarge();
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(joined);
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** PortOne posts JSON or a form, as its console is set; anything else is tried as both. */
function parseEvent(body: string, contentType: string): WebhookEvent | null {
  let fields: Record<string, unknown> | null = null;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const asJson = () => {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  };
  const asForm = () => Object.fromEntries(new URLSearchParams(body));
  if (type === 'application/x-www-form-urlencoded') fields = asForm();
  else if (type === 'application/json' || type.endsWith('+json')) fields = asJson();
  else fields = asJson() ?? asForm();
  const impUid = text(fields?.imp_uid);
  if (fields === null || impUid === null) return null;
  return {
    imp_uid: impUid,
    merchant_uid: text(fields.merchant_uid),
    status: text(fields.status),
    cancellation_id: text(fields.cancellation_id),
  };
}

/** `::ffff:52.78.100.19` (IPv4 on an IPv6 socket) is `52.78.100.19`. */
const normalizeAddress = (address: string) => address.trim().replace(/^::ffff:/i, '');

/**
 * Receives PortOne's V1 webhooks: reads the JSON or form body, refetches the payment (the webhook is
 * unsigned), passes PortOne's record to `onPayment` once per state of the payment, and answers 200 only
 * after `onPayment` succeeded. Answers: 200 done (or already done), 400 bad body or mismatch, 403 caller
 * not allowed, 404 no such payment, 405 not POST, 413 too large, 500 `onPayment` failed, 503 PortOne
 * could not be asked, its record does not show the event yet, or the same event is being handled now (PortOne retries 5xx when retries are on).
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const store = options.store ?? createMemoryIdempotencyStore();
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const allowed = options.allowedAddresses ? new Set(options.allowedAddresses.map(normalizeAddress)) : null;
  const onError =
    options.onError ??
    ((error: unknown) => console.error('@portone-kit/server webhook:', error instanceof Error ? error.message : error));

  return async (request, connection = {}) => {
    if (request.method !== 'POST') return reply(405, 'POST only', { allow: 'POST' });
    if (allowed !== null) {
      const address = options.callerAddress ? options.callerAddress(request, connection) : connection.remoteAddress;
      if (!address || !allowed.has(normalizeAddress(address))) return reply(403, 'caller not allowed');
    }

    let body: string;
    try {
      body = await readText(request, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) return reply(413, 'body too large');
      return reply(400, 'unreadable body');
    }
    const event = parseEvent(body, request.headers.get('content-type') ?? '');
    if (event === null) return reply(400, 'no imp_uid in the body');

    let payment: Payment | null;
    try {
      payment = await options.client.getPayment(event.imp_uid, { includeSandbox: true });
    } catch (error) {
      onError(error, event);
      return reply(503, 'PortOne could not be asked; try again', { 'retry-after': '60' });
    }
    if (payment === null) return reply(404, 'PortOne has no such payment');
    if (event.merchant_uid !== null && event.merchant_uid !== payment.merchant_uid) {
      return reply(400, 'merchant_uid does not match the payment');
    }
    if (payment.sandbox && !options.allowSandbox) return reply(400, 'test-channel payment refused');
    // PortOne's record may lag its own news for a moment: handling it now would act on the old state and
    // answer 200, so no retry would ever bring the new one.
    if (isBehind(payment, event))
      return reply(503, 'the payment does not show this event yet', { 'retry-after': '60' });

    // One key per state of the payment: a repeat of the same news is skipped, a later change is not.
    const key = `${payment.imp_uid}:${payment.status}:${payment.cancel_history?.length ?? 0}`;
    let claim: IdempotencyClaim;
    try {
      claim = await store.claim(key);
    } catch (error) {
      onError(error, event);
      return reply(503, 'the idempotency store failed; try again', { 'retry-after': '60' });
    }
    if (claim === 'done') return reply(200, 'already processed');
    if (claim === 'busy') return reply(503, 'this event is being processed', { 'retry-after': '60' });
    try {
      await options.onPayment(payment, event);
    } catch (error) {
      onError(error, event);
      await Promise.resolve()
        .then(() => store.release(key))
        .catch((releaseError: unknown) => onError(releaseError, event));
      return reply(500, 'the handler failed');
    }
    try {
      await store.complete(key);
    } catch (error) {
      // The work is done: say so. A repeat may run the handler again, which it must bear anyway.
      onError(error, event);
    }
    return reply(200, 'ok');
  };
}
