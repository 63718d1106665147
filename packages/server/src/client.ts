import { isLostAnswer, PortoneApiError, type PortoneError } from './errors.js';
import { isBillingKey, isPayment, isPreparedAmount, isSchedule, isScheduleList } from './shapes.js';
import { type CallOutcome, type CallSpec, createTransport } from './transport.js';
import type { BillingKey, BuyerFields, Payment, PaymentStatus, PreparedAmount, Schedule } from './types.js';
import { type CheckPaymentOptions, checkPayment, type ExpectedPayment, type VerifyPaymentResult } from './verify.js';

export interface PortoneClientOptions {
  /** The REST API key (`imp_key`) from PortOne's console. */
  impKey: string;
  /** The REST API secret (`imp_secret`). Kept out of every error, `toString`, JSON and `util.inspect`. */
  impSecret: string;
  /** Default `https://api.iamport.kr`. Plain http is refused except on 127.0.0.1 and localhost (the sandbox). */
  baseUrl?: string;
  /** Default: the global `fetch`. */
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
}

export type PaymentSorting = '-started' | 'started' | '-paid' | 'paid' | '-updated' | 'updated';

export interface ReadOptions {
  /** Overrides the client's `includeSandbox` for this call. */
  includeSandbox?: boolean;
}

export interface FindPaymentOptions extends ReadOptions {
  /** Only a payment in this status. */
  status?: PaymentStatus;
  /** Which payment of the merchant_uid, when it has several. Default `-started`: the latest started. */
  sorting?: PaymentSorting;
}

export type CancelPaymentRequest = (
  | { impUid: string; merchantUid?: undefined }
  | { merchantUid: string; impUid?: undefined }
) & {
  /** Won to refund; leave it out for everything left. (KG Mobilians phone payments refund in full only.) */
  amount?: number;
  /**
   * The refundable balance you believe the payment has. PortOne refuses the cancel when it differs, so a
   * cancel sent again after a lost answer cannot refund twice. Recommended.
   */
  checksum?: number;
  reason?: string;
  /** Have PortOne send the cancellation webhook. Default false, as PortOne's. */
  enableWebhook?: boolean;
};

export interface ChargeRequest extends BuyerFields {
  /** The billing key's id, as given to the window that issued it. */
  customerUid: string;
  /** Your id for this charge, at most 40 characters. Reuse it to retry the same charge, never a new one. */
  merchantUid: string;
  /** Won, a whole number of at least 1. Under KG Mobilians' rule, the key's first charge's amount. */
  amount: number;
  /** The order name (PortOne requires one), at most 40 characters. */
  name: string;
  /** Kept by PortOne as a JSON string: pass a string, or a value to be stringified. */
  customData?: unknown;
  /** Where PortOne posts this charge's webhook, instead of the console's URL. */
  noticeUrl?: string;
}

/**
 * What became of a billing-key charge. Switch on `status`:
 * - `paid`: charged. Fulfil the order. `confirmedBy: 'lookup'` when the answer was lost and the payment
 *   was found by its merchant_uid (when you reused a merchant_uid, that may be an earlier attempt's
 *   payment: `payment.imp_uid` tells; either way it is paid once).
 * - `declined`: the PG (carrier) refused; nothing was charged. `failReason` says why (limit, suspended
 *   line, Mobilians' monthly rule). Tell the buyer; a later retry may use the same merchant_uid.
 * - `already-paid`: this merchant_uid was paid before this call (by an earlier attempt, or another
 *   payment): nothing new was charged. Check `payment` is the charge you meant, and treat it as paid.
 * - `refused`: PortOne refused the request itself (unknown customer_uid, bad input, credentials): nothing
 *   was charged. `error` says why; fix it before trying again.
 * - `not-charged`: the request never left (no token could be had), or its answer was lost and PortOne
 *   has no payment for the merchant_uid after the settle time. Nothing is charged. Retry with the SAME
 *   merchant_uid: if the first attempt went through after all, PortOne refuses the retry and it comes
 *   back `already-paid`.
 * - `unknown`: the answer was lost and the lookup failed too (or found the payment still unsettled), or
 *   PortOne refused the charge with a business error and the lookup that tells `already-paid` failed. The
 *   charge may or may not have happened, and it was not sent again. Keep the order pending; do NOT charge
 *   it with a new merchant_uid. Later, call `findPayment(merchantUid)`, wait for the webhook, or call
 *   `chargeBillingKey` again with the SAME merchant_uid (reported `already-paid` if the first one went
 *   through).
 */
export type ChargeResult =
  | { status: 'paid'; payment: Payment; confirmedBy: 'answer' | 'lookup' }
  | { status: 'declined'; payment: Payment; failReason: string; confirmedBy: 'answer' | 'lookup' }
  | { status: 'already-paid'; payment: Payment }
  | { status: 'refused'; error: PortoneApiError }
  | { status: 'not-charged'; error: PortoneError }
  | {
      status: 'unknown';
      /** How the charge's answer was lost, or PortOne's refusal. */
      error: PortoneError;
      /** Why the lookup failed; null when it found the payment still unsettled. */
      lookupError: PortoneError | null;
    };

export interface ScheduledChargeRequest extends BuyerFields {
  /** Your id for this charge, unique, at most 40 characters. */
  merchantUid: string;
  /** When PortOne charges it. `planMonthlyCharges` gives times that pass KG Mobilians' rule. */
  at: Date;
  amount: number;
  name: string;
  customData?: unknown;
  noticeUrl?: string;
}

export interface ScheduleRequest {
  customerUid: string;
  /** All or none: PortOne registers every one or refuses them all. */
  schedules: readonly ScheduledChargeRequest[];
}

export type UnscheduleRequest =
  | { customerUid: string; merchantUids?: readonly string[] }
  | { customerUid?: undefined; merchantUids: readonly string[] };

export interface VerifyPaymentRequest extends CheckPaymentOptions {
  impUid: string;
  expected: ExpectedPayment;
}

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

const DEFAULT_BASE_URL = 'https://api.iamport.kr';
const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_READ_RETRIES = 2;
const DEFAULT_CHARGE_SETTLE_MS = 10_000;
const RETRY_DELAY_MS = 100;
const FIRST_LOOKUP_PAUSE_MS = 100;
// How much earlier than this call (by PortOne's clock) a payment may have started and still be its own.
const CLOCK_SKEW_MS = 5000;
const GATEWAY_STATUSES = new Set([408, 502, 503, 504]);
const CHARGE_ENDPOINT = 'POST /subscribe/payments/again';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const sleep = (ms: number) => new Promise<void>((resume) => setTimeout(resume, ms));

function requireText(field: string, value: unknown, maxLength?: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${field} must be a non-empty string`);
  if (maxLength !== undefined && value.length > maxLength) {
    throw new RangeError(`${field} must be at most ${maxLength} characters`);
  }
  return value;
}

function requireAmount(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${field} must be a whole number of won, at least ${min}`);
  }
  return value;
}

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

const customDataText = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);

const buyerBody = (buyer: BuyerFields) => ({
  buyer_name: buyer.buyerName,
  buyer_email: buyer.buyerEmail,
  buyer_tel: buyer.buyerTel,
  buyer_addr: buyer.buyerAddr,
  buyer_postcode: buyer.buyerPostcode,
});

const segment = (value: string) => encodeURIComponent(value);

/**
 * A client for PortOne's V1 REST API. One access token serves every call (concurrent calls share one
 * getToken), refreshed before it expires by PortOne's clock and once more on a 401; reads are retried on
 * a lost answer, writes never are; a billing-key charge whose answer is lost is looked up by its
 * merchant_uid. Runs anywhere `fetch` does: Node, Deno, Bun, edge runtimes.
 */
export function createPortoneClient(options: PortoneClientOptions): PortoneClient {
  requireText('impKey', options.impKey);
  requireText('impSecret', options.impSecret);
  const baseUrl = baseUrlOf(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError('timeoutMs must be more than 0');
  const readRetries = options.readRetries ?? DEFAULT_READ_RETRIES;
  if (!(Number.isInteger(readRetries) && readRetries >= 0)) throw new RangeError('readRetries must be 0 or more');
  const chargeSettleMs = options.chargeSettleMs ?? DEFAULT_CHARGE_SETTLE_MS;
  if (!(Number.isFinite(chargeSettleMs) && chargeSettleMs >= 0))
    throw new RangeError('chargeSettleMs must be 0 or more');
  const tierCode = options.tierCode ?? null;
  if (tierCode !== null && !/^[A-Za-z0-9]{3}$/.test(tierCode)) {
    throw new TypeError('tierCode must be 3 letters or digits');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new TypeError('no fetch: pass options.fetch on this runtime');
  const includeSandboxByDefault = options.includeSandbox ?? false;

  const transport = createTransport({
    impKey: options.impKey,
    impSecret: options.impSecret,
    baseUrl,
    // Called unbound: some runtimes' fetch refuses a `this` other than the global object.
    fetch: (input, init) => fetchImpl(input, init),
    timeoutMs,
    tierCode,
    readRetries,
    retryDelayMs: RETRY_DELAY_MS,
  });

  async function value<T>(spec: CallSpec<T>): Promise<T> {
    const outcome = await transport.call(spec);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * A read whose 404 in PortOne's envelope means "none": null instead of an error. A bare 404 (a proxy, a
   * wrong baseUrl) says nothing about the payment and stays an error.
   */
  async function readOrNull<T>(spec: CallSpec<T>): Promise<CallOutcome<T | null>> {
    const outcome = await transport.call(spec);
    const { error } = outcome.ok ? { error: null } : outcome;
    if (error instanceof PortoneApiError && error.httpStatus === 404 && error.portoneCode !== null) {
      return { ok: true, value: null };
    }
    return outcome;
  }

  async function valueOrNull<T>(spec: CallSpec<T>): Promise<T | null> {
    const outcome = await readOrNull(spec);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  const sandboxQuery = (includeSandbox: boolean | undefined): Record<string, string> =>
    (includeSandbox ?? includeSandboxByDefault) ? { include_sandbox: 'true' } : {};

  const paymentSpec = (impUid: string, includeSandbox: boolean | undefined): CallSpec<Payment> => ({
    method: 'GET',
    path: `/payments/${segment(requireText('impUid', impUid))}`,
    query: sandboxQuery(includeSandbox),
    retry: true,
    accept: isPayment,
  });

  const findSpec = (merchantUid: string, findOptions: FindPaymentOptions): CallSpec<Payment> => ({
    method: 'GET',
    path:
      `/payments/find/${segment(requireText('merchantUid', merchantUid))}` +
      (findOptions.status === undefined ? '' : `/${segment(findOptions.status)}`),
    query: {
      ...sandboxQuery(findOptions.includeSandbox),
      ...(findOptions.sorting === undefined ? {} : { sorting: findOptions.sorting }),
    },
    retry: true,
    accept: isPayment,
  });

  /** Looks a charge up by its merchant_uid, test channels included, so that no charge can hide. */
  const lookUpCharge = (merchantUid: string, status?: PaymentStatus) =>
    readOrNull(findSpec(merchantUid, { includeSandbox: true, ...(status === undefined ? {} : { status }) }));

  const declined = (payment: Payment, confirmedBy: 'answer' | 'lookup'): ChargeResult => ({
    status: 'declined',
    payment,
    failReason: payment.fail_reason ?? 'the PG declined the charge',
    confirmedBy,
  });

  /**
   * The charge's answer was lost: find its payment before anything else. A paid payment of the
   * merchant_uid settles it. A failed one does only when it started after this call began (by PortOne's
   * clock): an earlier attempt's decline is not this charge's answer, and the latest started may still be
   * that one while ours settles. With `settle` (when PortOne may still be at work) the lookups go on,
   * further apart, until `chargeSettleMs` has passed; otherwise one lookup (with its read retries) tells.
   */
  async function recoverCharge(
    merchantUid: string,
    calledAtMs: number,
    lost: PortoneError,
    settle: boolean,
  ): Promise<ChargeResult> {
    const deadline = Date.now() + (settle ? chargeSettleMs : 0);
    // In PortOne's seconds; the token's `now` gives its clock to a second, and the margin covers the rest.
    const sinceSeconds = (calledAtMs + transport.clockOffsetMs() - CLOCK_SKEW_MS) / 1000;
    const isOurs = (payment: Payment) => typeof payment.started_at === 'number' && payment.started_at >= sinceSeconds;
    let pause = FIRST_LOOKUP_PAUSE_MS;
    for (;;) {
      const paid = await lookUpCharge(merchantUid, 'paid');
      if (paid.ok && paid.value !== null) return { status: 'paid', payment: paid.value, confirmedBy: 'lookup' };
      const found = paid.ok ? await lookUpCharge(merchantUid) : paid;
      const payment = found.ok ? found.value : null;
      if (payment?.status === 'paid') return { status: 'paid', payment, confirmedBy: 'lookup' };
      if (payment?.status === 'failed' && isOurs(payment)) return declined(payment, 'lookup');
      const left = deadline - Date.now();
      if (left <= 0) {
        if (!found.ok) return { status: 'unknown', error: lost, lookupError: found.error };
        // Unsettled (`ready`) or refunded: cannot tell. An older attempt's failure charged nothing.
        if (payment !== null && payment.status !== 'failed')
          return { status: 'unknown', error: lost, lookupError: null };
        return { status: 'not-charged', error: lost };
      }
      await sleep(Math.min(pause, left));
      pause *= 2;
    }
  }

  async function chargeBillingKey(request: ChargeRequest): Promise<ChargeResult> {
    const merchantUid = requireText('merchantUid', request.merchantUid, 40);
    const body = {
      customer_uid: requireText('customerUid', request.customerUid, 80),
      merchant_uid: merchantUid,
      amount: requireAmount('amount', request.amount, 1),
      name: requireText('name', request.name, 40),
      ...buyerBody(request),
      custom_data: customDataText(request.customData),
      notice_url: request.noticeUrl,
    };
    const calledAtMs = Date.now();
    const outcome = await transport.call({
      method: 'POST',
      path: '/subscribe/payments/again',
      body,
      // A charge is never sent again blindly: a lost answer is looked up instead.
      retry: false,
      accept: isPayment,
    });
    if (outcome.ok) {
      const payment = outcome.value;
      if (payment.status === 'paid') return { status: 'paid', payment, confirmedBy: 'answer' };
      if (payment.status === 'failed') return declined(payment, 'answer');
      // Neither paid nor failed yet: PortOne is still at work, so wait for it as after a timeout.
      const unsettled = new PortoneApiError(CHARGE_ENDPOINT, 200, 0, `the charge is ${payment.status}, not settled`);
      return recoverCharge(merchantUid, calledAtMs, unsettled, true);
    }
    const { error } = outcome;
    if (!outcome.sent) return { status: 'not-charged', error };
    if (isLostAnswer(error) || !(error instanceof PortoneApiError)) {
      // A 408 or a 502/503/504 may come from a proxy or gateway that gave up while PortOne still charges,
      // so it is waited for as a timeout; a 500 or a garbled body came from a server done with the request.
      const mayStillRun = !(error instanceof PortoneApiError) || GATEWAY_STATUSES.has(error.httpStatus);
      return recoverCharge(merchantUid, calledAtMs, error, mayStillRun);
    }
    // PortOne refuses a merchant_uid that is paid already, with a business error: tell that case apart.
    if (error.httpStatus === 200) {
      const found = await lookUpCharge(merchantUid, 'paid');
      // Without the lookup, "refused, nothing charged" could hide a merchant_uid paid already.
      if (!found.ok) return { status: 'unknown', error, lookupError: found.error };
      if (found.value !== null) return { status: 'already-paid', payment: found.value };
    }
    return { status: 'refused', error };
  }

  const scheduleEntry = (entry: ScheduledChargeRequest, index: number) => {
    if (!(entry.at instanceof Date) || Number.isNaN(entry.at.getTime())) {
      throw new TypeError(`schedules[${index}].at must be a valid Date`);
    }
    return {
      merchant_uid: requireText(`schedules[${index}].merchantUid`, entry.merchantUid, 40),
      schedule_at: Math.floor(entry.at.getTime() / 1000),
      amount: requireAmount(`schedules[${index}].amount`, entry.amount, 1),
      currency: 'KRW',
      name: requireText(`schedules[${index}].name`, entry.name, 40),
      ...buyerBody(entry),
      custom_data: customDataText(entry.customData),
      notice_url: entry.noticeUrl,
    };
  };

  const client: PortoneClient = {
    getPayment: async (impUid, readOptions = {}) => valueOrNull(paymentSpec(impUid, readOptions.includeSandbox)),

    findPayment: async (merchantUid, findOptions = {}) => valueOrNull(findSpec(merchantUid, findOptions)),

    async cancelPayment(request) {
      const target =
        request.impUid !== undefined
          ? { imp_uid: requireText('impUid', request.impUid) }
          : { merchant_uid: requireText('merchantUid', request.merchantUid, 40) };
      return value({
        method: 'POST',
        path: '/payments/cancel',
        body: {
          ...target,
          amount: request.amount === undefined ? undefined : requireAmount('amount', request.amount, 1),
          checksum: request.checksum === undefined ? undefined : requireAmount('checksum', request.checksum, 0),
          reason: request.reason,
          enable_webhook: request.enableWebhook,
        },
        retry: false,
        accept: isPayment,
      });
    },

    async preparePayment(request) {
      return value({
        method: 'POST',
        path: '/payments/prepare',
        body: {
          merchant_uid: requireText('merchantUid', request.merchantUid, 40),
          amount: requireAmount('amount', request.amount, 0),
        },
        retry: false,
        accept: isPreparedAmount,
      });
    },

    chargeBillingKey,

    getBillingKey: async (customerUid) =>
      valueOrNull({
        method: 'GET',
        path: `/subscribe/customers/${segment(requireText('customerUid', customerUid))}`,
        retry: true,
        accept: isBillingKey,
      }),

    deleteBillingKey: async (customerUid, deleteOptions = {}) =>
      value({
        method: 'DELETE',
        path: `/subscribe/customers/${segment(requireText('customerUid', customerUid))}`,
        query: deleteOptions.reason === undefined ? {} : { reason: deleteOptions.reason },
        retry: false,
        accept: isBillingKey,
      }),

    async scheduleCharges(request) {
      const customerUid = requireText('customerUid', request.customerUid, 80);
      if (request.schedules.length === 0) throw new RangeError('schedules must list at least one charge');
      return value({
        method: 'POST',
        path: '/subscribe/payments/schedule',
        body: { customer_uid: customerUid, schedules: request.schedules.map(scheduleEntry) },
        retry: false,
        accept: isScheduleList,
      });
    },

    async unscheduleCharges(request) {
      if (request.customerUid === undefined && (request.merchantUids ?? []).length === 0) {
        throw new TypeError('unscheduleCharges needs customerUid or merchantUids');
      }
      return value({
        method: 'POST',
        path: '/subscribe/payments/unschedule',
        body: {
          customer_uid: request.customerUid === undefined ? undefined : requireText('customerUid', request.customerUid),
          merchant_uid: request.merchantUids?.map((merchantUid, index) =>
            requireText(`merchantUids[${index}]`, merchantUid, 40),
          ),
        },
        retry: false,
        accept: isScheduleList,
      });
    },

    getSchedule: async (merchantUid) =>
      valueOrNull({
        method: 'GET',
        path: `/subscribe/payments/schedule/${segment(requireText('merchantUid', merchantUid))}`,
        retry: true,
        accept: isSchedule,
      }),

    async verifyPayment(request) {
      requireText('expected.merchantUid', request.expected.merchantUid);
      requireAmount('expected.amount', request.expected.amount, 0);
      // Test-channel payments are always fetched, so that one in production is named, not "not found".
      const payment = await valueOrNull(paymentSpec(request.impUid, true));
      return checkPayment(payment, request.expected, request);
    },
  };

  // What a log or a debugger shows of the client: where it points, never the key pair or a token.
  const shown = `PortoneClient <${baseUrl}>`;
  Object.defineProperties(client, {
    toString: { value: () => shown },
    toJSON: { value: () => ({ baseUrl }) },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => shown },
  });
  return Object.freeze(client);
}
