import type { WebhookPayload } from './types.js';

/** How the sandbox posts webhooks: as JSON or as a form (`application/x-www-form-urlencoded`). */
export type WebhookFormat = 'json' | 'form';

/** One delivery attempt, logged once it has finished. */
export interface WebhookDelivery {
  url: string;
  payload: WebhookPayload;
  /** The exact text posted. */
  body: string;
  contentType: string;
  /** The receiver's HTTP status, or null when there was none. */
  status: number | null;
  /** Why no status came back: the URL was refused, the connection failed or timed out. */
  error: string | null;
}

/**
 * A sandbox's `webhooks`: what it posted. Each goes once to each URL (never retried), and only to 127.0.0.1
 * or localhost: any other URL is logged as refused, and nothing is sent to it.
 */
export interface SandboxWebhooks {
  /** Every finished attempt, in the order they finished. */
  readonly deliveries: readonly WebhookDelivery[];
  /** Resolves once every delivery started so far has finished. */
  settled(): Promise<void>;
}

export interface WebhookSender extends SandboxWebhooks {
  /** Posts `payload` to each URL (or the sandbox's console URL when there are none), without waiting. */
  send(payload: WebhookPayload, noticeUrls: readonly string[]): void;
  /** Aborts what is in flight; nothing is sent afterwards. */
  stop(): void;
}

// PortOne waits 10 s to connect and 30 s to read; one bound is enough on a single machine.
const DELIVERY_TIMEOUT_MS = 10_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** Why the sandbox will not post to `url`, or null: only this machine may receive its webhooks. */
function refusal(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'refused: not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'refused: not an http(s) URL';
  if (!LOCAL_HOSTS.has(parsed.hostname)) return 'refused: the sandbox only delivers to 127.0.0.1 and localhost';
  return null;
}

function encode(payload: WebhookPayload, format: WebhookFormat) {
  if (format === 'json') return { contentType: 'application/json', body: JSON.stringify(payload) };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(payload)) form.set(key, String(value));
  return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
}

export function createWebhookSender(options: { consoleUrl: string | null; format: WebhookFormat }): WebhookSender {
  const deliveries: WebhookDelivery[] = [];
  const inFlight = new Set<Promise<void>>();
  const stopped = new AbortController();

  async function deliver(url: string, payload: WebhookPayload) {
    const { contentType, body } = encode(payload, options.format);
    const entry: WebhookDelivery = { url, payload, body, contentType, status: null, error: refusal(url) };
    if (entry.error === null) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([stopped.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
        });
        entry.status = response.status;
        await response.body?.cancel();
      } catch (error) {
        entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
    deliveries.push(entry);
  }

  return {
    deliveries,
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    send(payload, noticeUrls) {
      if (stopped.signal.aborted) return;
      const urls = noticeUrls.length > 0 ? noticeUrls : options.consoleUrl ? [options.consoleUrl] : [];
      for (const url of urls) {
        const delivery = deliver(url, payload).finally(() => inFlight.delete(delivery));
        inFlight.add(delivery);
      }
    },
    stop() {
      stopped.abort();
    },
  };
}
