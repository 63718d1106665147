import { type ChargeRequest, type ChargeResult, createChargeBillingKey } from './charge.js';
import {
  type CancelPaymentRequest,
  createEndpoints,
  type ScheduleRequest,
  type UnscheduleRequest,
  type VerifyPaymentRequest,
} from './endpoints.js';
import { fetchHttp, type HttpFactory, type HttpSend } from './http.js';
import { type PortoneClientOptions, resolveOptions } from './options.js';
import type { FindPaymentOptions, ReadOptions } from './reads.js';
import { createMemoryChargeLeaseStore, withChargeLease } from './stores/leases.js';
import { createTransport } from './transport.js';
import type { BillingKey, Payment, PreparedAmount, Schedule } from './types.js';
import type { VerifyPaymentResult } from './verify.js';

/** PortOne's V1 REST API for KG Mobilians, for your server only. */
export interface PortoneClient {
  /** The payment, or null when PortOne has none by that imp_uid (or hides it: see `includeSandbox`). */
  getPayment(impUid: string, options?: ReadOptions): Promise<Payment | null>;
  /** The payment of a merchant_uid (the latest started, unless `sorting` says otherwise), or null. */
  findPayment(merchantUid: string, options?: FindPaymentOptions): Promise<Payment | null>;
  /**
   * Refunds a paid payment, in full or in part, and answers the payment as it is after. Throws a
   * {@link PortoneApiError} when PortOne refuses (nothing to cancel, checksum differs). Never sent again by
   * itself; after a lost answer, send it again with the same `checksum`.
   */
  cancelPayment(request: CancelPaymentRequest): Promise<Payment>;
  /** Registers the amount a window payment of `merchantUid` must have; PortOne blocks any other amount. */
  preparePayment(request: { merchantUid: string; amount: number }): Promise<PreparedAmount>;
  /** Charges a billing key once, never twice, and reports what truly happened: see {@link ChargeResult}. */
  chargeBillingKey(request: ChargeRequest): Promise<ChargeResult>;
  /** The billing key, or null when PortOne has none by that customer_uid. */
  getBillingKey(customerUid: string): Promise<BillingKey | null>;
  /**
   * Deletes the billing key (irreversible). PortOne's docs say to check its scheduled charges first; what
   * becomes of a pending schedule is not documented, so `unscheduleCharges` them before.
   */
  deleteBillingKey(customerUid: string, options?: { reason?: string }): Promise<BillingKey>;
  /** Registers future charges on a billing key; results come by webhook when they run. */
  scheduleCharges(request: ScheduleRequest): Promise<Schedule[]>;
  /** Revokes pending schedules: these merchant_uids, or every one of the customer_uid. */
  unscheduleCharges(request: UnscheduleRequest): Promise<Schedule[]>;
  /** A schedule by its merchant_uid, or null. */
  getSchedule(merchantUid: string): Promise<Schedule | null>;
  /**
   * Fetches the payment (test-channel ones included, to tell them apart) and checks it against your
   * order: verified, or the first mismatch. Throws only when PortOne cannot be asked.
   */
  verifyPayment(request: VerifyPaymentRequest): Promise<VerifyPaymentResult>;
}

const RETRY_DELAY_MS = 100;

function httpFor(baseUrl: string, callersFetch: typeof fetch | null, runtimeHttp: HttpFactory | null): HttpSend {
  if (callersFetch !== null) return fetchHttp(callersFetch)(baseUrl);
  if (runtimeHttp !== null) return runtimeHttp(baseUrl);
  if (typeof globalThis.fetch !== 'function') throw new TypeError('no fetch: pass options.fetch on this runtime');
  return fetchHttp((input, init) => globalThis.fetch(input, init))(baseUrl);
}

/**
 * The client, sending through the caller's `fetch` when given one, else through `runtimeHttp` (Node's
 * http module, from the Node entry), else through the global `fetch`.
 */
export function buildPortoneClient(options: PortoneClientOptions, runtimeHttp: HttpFactory | null): PortoneClient {
  const resolved = resolveOptions(options);
  const { timers } = resolved;
  const transport = createTransport({
    ...resolved,
    http: httpFor(resolved.baseUrl, resolved.fetch, runtimeHttp),
    retryDelayMs: RETRY_DELAY_MS,
  });
  const chargeBillingKey = withChargeLease(
    createChargeBillingKey({ transport, settleMs: resolved.chargeSettleMs, timers }),
    options.leases ?? { store: createMemoryChargeLeaseStore({ now: () => timers.now() }) },
    timers,
  );
  const client: PortoneClient = { ...createEndpoints(transport, resolved.includeSandbox), chargeBillingKey };

  // What a log or a debugger shows of the client: where it points, never the key pair or a token.
  const { baseUrl } = resolved;
  const shown = `PortoneClient <${baseUrl}>`;
  Object.defineProperties(client, {
    toString: { value: () => shown },
    toJSON: { value: () => ({ baseUrl }) },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => shown },
  });
  return Object.freeze(client);
}

/**
 * A client for PortOne's V1 REST API. One access token serves every call (concurrent calls share one
 * getToken), refreshed before it expires by PortOne's clock and once more on a 401; reads are retried on
 * a lost answer, writes never are; a billing-key charge whose answer is lost is looked up by its
 * merchant_uid. On Node it sends through the http module with a keep-alive agent; elsewhere (Deno, Bun,
 * edge runtimes) through `fetch`.
 */
export function createPortoneClient(options: PortoneClientOptions): PortoneClient {
  return buildPortoneClient(options, null);
}
