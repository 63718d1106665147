import type { PortoneClient } from './client.js';
import type { Payment } from './types.js';

// Whether issuing a KG Mobilians billing key in the window charged its amount. PortOne's Korean guides say
// it does; KG Mobilians' English guide says it charges nothing, whatever the amount. A merchant cannot know
// which its MID does, so it reads the issuing payment and charges the first month itself when nothing was.

/** The billing-key window as your server asked for it. */
export interface ExpectedIssuance {
  /** The key's id, as given to the window. */
  customerUid: string;
  /** The window's merchant_uid. */
  merchantUid: string;
  /** The window's `amount`, in won: the first charge, when issuance charges it. */
  amount: number;
  /** Default `'KRW'`, the only currency KG Mobilians takes. */
  currency?: string;
}

/** How strict the issuance check is. */
export interface IssuanceOptions {
  /** Accept a test-channel payment and key (`sandbox: true`). Default false. */
  allowSandbox?: boolean;
}

/** Why an issuance is not one to build a subscription on; `message` is English, for logs. */
export type IssuanceRefusal =
  /** PortOne has no payment by that imp_uid, or no key and no payment for the merchant_uid. */
  | 'not-found'
  /** The payment says paid, but PortOne has no billing key by that customer_uid. */
  | 'no-billing-key'
  | 'sandbox'
  | 'merchant-uid'
  /** The payment was made with another billing key. */
  | 'customer-uid'
  | 'currency'
  /** Issuance charged an amount other than the window's (and other than 0): refund it. */
  | 'amount'
  /** The issuing payment was refunded, in part or in full. */
  | 'refunded'
  /** The window did not complete: the payment is failed or ready (closed window). */
  | 'status';

/**
 * What issuing the key did. Switch on `firstCharge`:
 * - `paid-at-issuance`: the window's amount was charged with the key's issuance; that payment is the first
 *   month (and, under KG Mobilians' rule, fixes the amount and day of every later charge). Charge nothing now.
 * - `not-charged`: the key was issued and nothing was charged (a paid payment of 0, or none at all for the
 *   merchant_uid). Charge the first month with `chargeBillingKey` under a merchant_uid of its own, once.
 * - `refused`: not an issuance to build on; `reason` says why. A `payment` that is paid may need a refund.
 */
export type BillingKeyIssuance =
  | { firstCharge: 'paid-at-issuance'; payment: Payment }
  | { firstCharge: 'not-charged'; payment: Payment | null }
  | { firstCharge: 'refused'; reason: IssuanceRefusal; message: string; payment: Payment | null };

const refused = (reason: IssuanceRefusal, message: string, payment: Payment | null): BillingKeyIssuance => ({
  firstCharge: 'refused',
  reason,
  message,
  payment,
});

/**
 * Reads PortOne's record of a billing-key window's payment: the window's amount charged
 * (`paid-at-issuance`), nothing charged (`not-charged`: paid, amount 0), or a refusal. It checks, in this
 * order: the payment exists, test channel, merchant_uid, customer_uid (when the payment names one),
 * currency, status, refunds, amount. It cannot see whether the key exists: {@link verifyBillingKeyIssuance}
 * asks PortOne for both.
 */
export function checkBillingKeyIssuance(
  payment: Payment | null,
  expected: ExpectedIssuance,
  options: IssuanceOptions = {},
): BillingKeyIssuance {
  if (payment === null) return refused('not-found', 'PortOne has no such payment', null);
  const id = payment.imp_uid;
  if (payment.sandbox && !options.allowSandbox) {
    return refused('sandbox', `${id} was made on a test channel; pass allowSandbox to accept test payments`, payment);
  }
  if (payment.merchant_uid !== expected.merchantUid) {
    return refused(
      'merchant-uid',
      `${id} belongs to merchant_uid ${payment.merchant_uid}, not ${expected.merchantUid}`,
      payment,
    );
  }
  if (payment.customer_uid != null && payment.customer_uid !== expected.customerUid) {
    return refused(
      'customer-uid',
      `${id} was made with billing key ${payment.customer_uid}, not ${expected.customerUid}`,
      payment,
    );
  }
  const currency = expected.currency ?? 'KRW';
  if (payment.currency !== currency) {
    return refused('currency', `${id} is in ${payment.currency}, not ${currency}`, payment);
  }
  if (payment.cancel_amount > 0 || payment.status === 'cancelled') {
    return refused('refunded', `${id} was refunded (${payment.cancel_amount} of ${payment.amount})`, payment);
  }
  if (payment.status !== 'paid') {
    return refused('status', `${id} is ${payment.status}: the billing-key window did not complete`, payment);
  }
  if (payment.amount === 0) return { firstCharge: 'not-charged', payment };
  if (payment.amount === expected.amount) return { firstCharge: 'paid-at-issuance', payment };
  return refused(
    'amount',
    `${id} charged ${payment.amount} at issuance, but the window asked for ${expected.amount}: refund it`,
    payment,
  );
}

/** A billing-key window to look up: by its imp_uid when the window gave one, else by its merchant_uid. */
export interface VerifyIssuanceRequest extends ExpectedIssuance, IssuanceOptions {
  impUid?: string | null;
}

/**
 * Asks PortOne for the window's payment (by imp_uid, else the latest of the merchant_uid) and for the
 * billing key, then checks them as {@link checkBillingKeyIssuance} does. A key that exists with no
 * payment for the merchant_uid is `not-charged` (payment null); a paid payment without a key is refused
 * (`no-billing-key`). Throws only when PortOne cannot be asked.
 */
export async function verifyBillingKeyIssuance(
  client: Pick<PortoneClient, 'getPayment' | 'findPayment' | 'getBillingKey'>,
  request: VerifyIssuanceRequest,
): Promise<BillingKeyIssuance> {
  const includeSandbox = request.allowSandbox ?? false;
  const impUid = request.impUid ?? null;
  const [payment, key] = await Promise.all([
    impUid === null
      ? client.findPayment(request.merchantUid, { includeSandbox })
      : client.getPayment(impUid, { includeSandbox }),
    client.getBillingKey(request.customerUid),
  ]);
  if (key?.sandbox && !request.allowSandbox) {
    return refused('sandbox', `billing key ${request.customerUid} is on a test channel`, payment);
  }
  if (payment === null && impUid === null && key !== null) return { firstCharge: 'not-charged', payment: null };
  const issuance = checkBillingKeyIssuance(payment, request, request);
  if (issuance.firstCharge !== 'refused' && key === null) {
    return refused('no-billing-key', `PortOne has no billing key ${request.customerUid}`, issuance.payment);
  }
  return issuance;
}
