// How the client sends a request: `fetch` anywhere, or Node's own http module on Node (./node-http.ts),
// behind one small interface so that timeouts, retries and typed errors stay in one place.

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query, after the base URL: `/payments/imp_1?include_sandbox=true`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface HttpExchange {
  /** The whole answer; rejects when the network fails or the exchange is aborted. */
  readonly answer: Promise<HttpAnswer>;
  /** Gives up on the answer (the client's timeout); nothing once the answer is in. */
  abort(): void;
}

/** Sends requests to one base URL. */
export type HttpSend = (request: HttpRequest) => HttpExchange;

/** Makes the sender of a client, once, for its base URL. */
export type HttpFactory = (baseUrl: string) => HttpSend;

/** Sends through `fetch`: edge runtimes, Deno, Bun, or any `fetch` a caller passes. */
export const fetchHttp =
  (fetchImpl: typeof fetch): HttpFactory =>
  (baseUrl) =>
  ({ method, path, headers, body }) => {
    const controller = new AbortController();
    const answer = (async () => {
      const response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        // A redirect could carry the token elsewhere; PortOne's API never redirects.
        redirect: 'manual',
        signal: controller.signal,
      });
      return { status: response.status, text: await response.text() };
    })();
    return { answer, abort: () => controller.abort() };
  };
