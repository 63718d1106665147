import type { Payment, PaymentStatus } from './types.js';

/** What the merchant's own order says the payment must be. */
export interface ExpectedPayment {
  merchantUid: string;
  /** In won, as the order stored it (never as the browser reported it). */
  amount: number;
  /** Default `'KRW'`, the only currency KG Mobilians takes. */
  currency?: string;
}

/** Options of {@link checkPayment} and of the client's `verifyPayment`: whether a test-channel payment counts. */
export interface CheckPaymentOptions {
  /** Accept a test-channel payment (`sandbox: true`). Default false: in production it is not money. */
  allowSandbox?: boolean;
}

/** Why a payment is not the one the order expects; `message` is English, for logs. */
export type PaymentMismatch =
  | { reason: 'not-found'; payment: null; message: string }
  | { reason: 'sandbox'; payment: Payment; message: string }
  | { reason: 'merchant-uid'; payment: Payment; expected: string; actual: string; message: string }
  | { reason: 'currency'; payment: Payment; expected: string; actual: string; message: string }
  | { reason: 'amount'; payment: Payment; expected: number; actual: number; message: string }
  | {
      reason: 'partially-cancelled';
      payment: Payment;
      /** The order's amount. */
      expected: number;
      /** What is still paid: `amount - cancel_amount`. */
      actual: number;
      message: string;
    }
  | { reason: 'cancelled'; payment: Payment; message: string }
  | { reason: 'status'; payment: Payment; expected: 'paid'; actual: PaymentStatus; message: string };

/**
 * What {@link checkPayment} and the client's `verifyPayment` answer: `verified` with PortOne's record, or the
 * first {@link PaymentMismatch}. Fulfil the order only on `verified: true`.
 */
export type VerifyPaymentResult = { verified: true; payment: Payment } | ({ verified: false } & PaymentMismatch);

/**
 * Checks PortOne's record of a payment against the order, in this order: test channel, merchant_uid,
 * currency, amount, refunds, status. Only `paid`, with all of them matching and nothing refunded, is
 * verified. What counts is what is still paid (`amount - cancel_amount`): a payment refunded in part is
 * `partially-cancelled` whatever its status says (whether PortOne leaves it `paid` is unconfirmed), one
 * refunded in full is `cancelled`.
 */
export function checkPayment(
  payment: Payment | null,
  expected: ExpectedPayment,
  options: CheckPaymentOptions = {},
): VerifyPaymentResult {
  if (payment === null) {
    return { verified: false, reason: 'not-found', payment: null, message: 'PortOne has no such payment' };
  }
  if (payment.sandbox && !options.allowSandbox) {
    return {
      verified: false,
      reason: 'sandbox',
      payment,
      message: `${payment.imp_uid} was made on a test channel; pass allowSandbox to accept test payments`,
    };
  }
  if (payment.merchant_uid !== expected.merchantUid) {
    return {
      verified: false,
      reason: 'merchant-uid',
      payment,
      expected: expected.merchantUid,
      actual: payment.merchant_uid,
      message: `${payment.imp_uid} belongs to merchant_uid ${payment.merchant_uid}, not ${expected.merchantUid}`,
    };
  }
  const currency = expected.currency ?? 'KRW';
  if (payment.currency !== currency) {
    return {
      verified: false,
      reason: 'currency',
      payment,
      expected: currency,
      actual: payment.currency,
      message: `${payment.imp_uid} is in ${payment.currency}, not ${currency}`,
    };
  }
  if (payment.amount !== expected.amount) {
    return {
      verified: false,
      reason: 'amount',
      payment,
      expected: expected.amount,
      actual: payment.amount,
      message: `${payment.imp_uid} is for ${payment.amount}, but the order is for ${expected.amount}: do not fulfil it`,
    };
  }
  const stillPaid = payment.amount - payment.cancel_amount;
  if (stillPaid <= 0 && (payment.status === 'cancelled' || payment.cancel_amount > 0)) {
    return {
      verified: false,
      reason: 'cancelled',
      payment,
      message: `${payment.imp_uid} was refunded in full (${payment.cancel_amount} of ${payment.amount}): do not fulfil it`,
    };
  }
  if (stillPaid < expected.amount) {
    return {
      verified: false,
      reason: 'partially-cancelled',
      payment,
      expected: expected.amount,
      actual: stillPaid,
      message: `${payment.imp_uid} was refunded ${payment.cancel_amount} of ${payment.amount}; ${stillPaid} is still paid, the order is for ${expected.amount}: do not fulfil it`,
    };
  }
  if (payment.status !== 'paid') {
    return {
      verified: false,
      reason: 'status',
      payment,
      expected: 'paid',
      actual: payment.status,
      message: `${payment.imp_uid} is ${payment.status}, not paid`,
    };
  }
  return { verified: true, payment };
}
