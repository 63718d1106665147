import { requireText } from './fields.js';
import type { ChargeLeases } from './stores/leases.js';
import { type ClientTimers, systemTimers } from './timers.js';

/**
 * What {@link createPortoneClient} takes: the REST key pair, and how to reach PortOne. Checked as the client
 * is made, so that a misconfigured server fails at start, not at its first call.
 */
export interface PortoneClientOptions {
  /** The REST API key (`imp_key`) from PortOne's console. */
  impKey: string;
  /** The REST API secret (`imp_secret`). Kept out of every error, `toString`, JSON and `util.inspect`. */
  impSecret: string;
  /** Default `https://api.iamport.kr`. Plain http is refused except on 127.0.0.1 and localhost (the sandbox). */
  baseUrl?: string;
  /**
   * Sends every request through this `fetch`. Default: on Node, its http and https modules with a
   * keep-alive agent; elsewhere (edge runtimes, Deno, Bun), the global `fetch`.
   */
  fetch?: typeof fetch;
  /** How long each request may take, answer body included. Default 20 000 ms. */
  timeoutMs?: number;
  /** A sub-merchant's tier code (3 letters or digits), sent as the `Tier` header with an agency's key. */
  tierCode?: string;
  /**
   * Let `getPayment` and `findPayment` see test-channel payments (`include_sandbox=true`), which PortOne
   * hides otherwise since 2026-01-26. Default false; a call's own option wins.
   */
  includeSandbox?: boolean;
  /** How many times a read is sent again after a lost answer or a 429. Default 2. Writes never are. */
  readRetries?: number;
  /**
   * After a charge's answer is lost to a timeout, a broken connection or a gateway's 408/502/503/504, PortOne may still be working on
   * it: how long to keep looking for its payment before reporting it not charged. Default 10 000 ms.
   */
  chargeSettleMs?: number;
  /**
   * Who may charge a merchant_uid now: one caller at a time, the others wait for it (see
   * {@link ChargeLeases}). Default: leases in this client's memory, which do not see other processes; a
   * server with several instances passes a shared store (`createPostgresChargeLeaseStore`).
   */
  leases?: ChargeLeases;
  /**
   * Where timeouts, retry pauses, the settle time and token lifetimes take their time from. Default: the
   * wall clock. Tests pass their own to decide when an answer counts as lost.
   */
  timers?: ClientTimers;
}

/** The options checked, with every default filled in. */
export interface ResolvedOptions {
  impKey: string;
  impSecret: string;
  baseUrl: string;
  /** The caller's `fetch`, if any. */
  fetch: typeof fetch | null;
  timeoutMs: number;
  tierCode: string | null;
  includeSandbox: boolean;
  readRetries: number;
  chargeSettleMs: number;
  timers: ClientTimers;
}

const DEFAULT_BASE_URL = 'https://api.iamport.kr';
const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_READ_RETRIES = 2;
const DEFAULT_CHARGE_SETTLE_MS = 10_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function baseUrlOf(value: string | undefined): string {
  const text = value ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL (got "${text}")`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    throw new TypeError('baseUrl must be https: the secret and tokens must not cross the network in clear');
  }
  return text.replace(/\/+$/, '');
}

/** Checks every option before the client is made, so that a misconfigured server fails at start. */
export function resolveOptions(options: PortoneClientOptions): ResolvedOptions {
  const impKey = requireText('impKey', options.impKey);
  const impSecret = requireText('impSecret', options.impSecret);
  const baseUrl = baseUrlOf(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError('timeoutMs must be more than 0');
  const readRetries = options.readRetries ?? DEFAULT_READ_RETRIES;
  if (!(Number.isInteger(readRetries) && readRetries >= 0)) throw new RangeError('readRetries must be 0 or more');
  const chargeSettleMs = options.chargeSettleMs ?? DEFAULT_CHARGE_SETTLE_MS;
  if (!(Number.isFinite(chargeSettleMs) && chargeSettleMs >= 0)) {
    throw new RangeError('chargeSettleMs must be 0 or more');
  }
  const tierCode = options.tierCode ?? null;
  if (tierCode !== null && !/^[A-Za-z0-9]{3}$/.test(tierCode)) {
    throw new TypeError('tierCode must be 3 letters or digits');
  }
  const fetchImpl = options.fetch;
  if (fetchImpl !== undefined && typeof fetchImpl !== 'function')
    throw new TypeError('options.fetch must be a function');
  return {
    impKey,
    impSecret,
    baseUrl,
    // Called unbound: some runtimes' fetch refuses a `this` other than the global object.
    fetch: fetchImpl === undefined ? null : (input, init) => fetchImpl(input, init),
    timeoutMs,
    tierCode,
    includeSandbox: options.includeSandbox ?? false,
    readRetries,
    chargeSettleMs,
    timers: options.timers ?? systemTimers,
  };
}
