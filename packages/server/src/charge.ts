import { isLostAnswer, PortoneApiError, type PortoneError } from './errors.js';
import { buyerBody, customDataText, requireAmount, requireText } from './fields.js';
import { findSpec, readOrNull } from './reads.js';
import { isPayment } from './shapes.js';
import { type ClientTimers, sleep } from './timers.js';
import type { Transport } from './transport.js';
import type { BuyerFields, Payment, PaymentStatus } from './types.js';

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

/** What a charge needs: a way to PortOne (any {@link Transport}, a fake one in tests) and a clock. */
export interface ChargeContext {
  transport: Transport;
  /** How long to keep looking for a charge PortOne may still be working on. */
  settleMs: number;
  timers: ClientTimers;
}

export type ChargeBillingKey = (request: ChargeRequest) => Promise<ChargeResult>;

const FIRST_LOOKUP_PAUSE_MS = 100;
// How much earlier than this call (by PortOne's clock) a payment may have started and still be its own.
const CLOCK_SKEW_MS = 5000;
const GATEWAY_STATUSES = new Set([408, 502, 503, 504]);
const CHARGE_ENDPOINT = 'POST /subscribe/payments/again';

const declined = (payment: Payment, confirmedBy: 'answer' | 'lookup'): ChargeResult => ({
  status: 'declined',
  payment,
  failReason: payment.fail_reason ?? 'the PG declined the charge',
  confirmedBy,
});

function chargeBody(request: ChargeRequest) {
  const merchantUid = requireText('merchantUid', request.merchantUid, 40);
  return {
    customer_uid: requireText('customerUid', request.customerUid, 80),
    merchant_uid: merchantUid,
    amount: requireAmount('amount', request.amount, 1),
    name: requireText('name', request.name, 40),
    ...buyerBody(request),
    custom_data: customDataText(request.customData),
    notice_url: request.noticeUrl,
  };
}

/**
 * The exactly-once charge: sent once, never again blindly; when its answer is lost, its payment is looked
 * up by merchant_uid and what truly happened is reported.
 */
export function createChargeBillingKey({ transport, settleMs, timers }: ChargeContext): ChargeBillingKey {
  /** Looks a charge up by its merchant_uid, test channels included, so that no charge can hide. */
  const lookUpCharge = (merchantUid: string, status?: PaymentStatus) =>
    readOrNull(transport, findSpec(merchantUid, { includeSandbox: true, ...(status === undefined ? {} : { status }) }));

  /**
   * The charge's answer was lost: find its payment before anything else. A paid payment of the
   * merchant_uid settles it. A failed one does only when it started after this call began (by PortOne's
   * clock): an earlier attempt's decline is not this charge's answer, and the latest started may still be
   * that one while ours settles. With `settle` (when PortOne may still be at work) the lookups go on,
   * further apart, until `settleMs` has passed; otherwise one lookup (with its read retries) tells.
   */
  async function recoverCharge(
    merchantUid: string,
    calledAtMs: number,
    lost: PortoneError,
    settle: boolean,
  ): Promise<ChargeResult> {
    const deadline = timers.now() + (settle ? settleMs : 0);
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
      const left = deadline - timers.now();
      if (left <= 0) {
        if (!found.ok) return { status: 'unknown', error: lost, lookupError: found.error };
        // Unsettled (`ready`) or refunded: cannot tell. An older attempt's failure charged nothing.
        if (payment !== null && payment.status !== 'failed') {
          return { status: 'unknown', error: lost, lookupError: null };
        }
        return { status: 'not-charged', error: lost };
      }
      await sleep(timers, Math.min(pause, left));
      pause *= 2;
    }
  }

  return async function chargeBillingKey(request) {
    const body = chargeBody(request);
    const merchantUid = body.merchant_uid;
    const calledAtMs = timers.now();
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
  };
}
