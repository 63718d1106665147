import type { SandboxClock } from './clock.js';
import { type Input, InputError } from './input.js';
import type { Reply } from './reply.js';
import type { SandboxState } from './store.js';
import type { TokenIssuer } from './tokens.js';
import type { WebhookSender } from './webhooks.js';

/** What every handler works on. */
export interface Engine {
  state: SandboxState;
  clock: SandboxClock;
  tokens: TokenIssuer;
  webhooks: WebhookSender;
  impKey: string;
  impSecret: string;
  sdkScript: string;
  /** What a billing key's window does with its `amount`: see {@link BillingKeyIssuance}. */
  billingKeyIssuance: BillingKeyIssuance;
}

/**
 * Whether issuing a KG Mobilians billing key in the window charges the request's `amount`. PortOne's Korean
 * guides say it does (`'charges'`); KG Mobilians' English guide says it charges nothing whatever the amount
 * (`'charges-nothing'`). Which one a MID does is not documented: the sandbox does either.
 */
export type BillingKeyIssuance = 'charges' | 'charges-nothing';

export interface RouteCall {
  engine: Engine;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  input: Input;
}

/**
 * `api`: PortOne's REST API, answered in the envelope; `window`: the browser fake's endpoints, plain JSON
 * with CORS; `script`: the SDK script.
 */
export type RouteKind = 'api' | 'window' | 'script';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'OPTIONS';
  /** `/payments/:imp_uid`: `:name` matches one path segment. */
  pattern: string;
  kind: RouteKind;
  /** Needs a live access token. */
  auth: boolean;
  handle(call: RouteCall): Reply;
}

/** The route's name in faults and request counts: `'GET /payments/:imp_uid'`. */
export const routeKey = (route: Route): string => `${route.method} ${route.pattern}`;

/** A path parameter the pattern guarantees. */
export function param(call: RouteCall, name: string): string {
  const value = call.params[name];
  if (value === undefined) throw new Error(`the route has no parameter ${name}`);
  return value;
}

/** The route that serves `method` and `pathname`, with its decoded parameters, or null. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | null {
  const segments = pathname.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.pattern.split('/').slice(1);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, index) => {
      const segment = segments[index] ?? '';
      if (!part.startsWith(':')) return part === segment;
      if (segment === '') return false;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        throw new InputError(`the path segment "${segment}" is not valid percent-encoding`);
      }
      return true;
    });
    if (matches) return { route, params };
  }
  return null;
}
