import type { Payment, PaymentStatus } from './types.js';

/** What the merchant's own order says the payment must be. */
export interface ExpectedPayment {
  merchantUid: string;
  /** In won, as the order stored it (never as the browser reported it). */
  amount: number;
  /** Default `'KRW'`, the only currency KG Mobilians takes. */
  currency?: string;
}

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
  | { reason: 'status'; payment: Payment; expected: 'paid'; actual: PaymentStatus; message: string };

export type VerifyPaymentResult = { verified: true; payment: Payment } | ({ verified: false } & PaymentMismatch);

/**
 * Checks PortOne's record of a payment against the order, in this order: test channel, merchant_uid,
 * currency, amount, status. Only `paid` with all of them matching is verified. Whether a partial refund
 * leaves a payment `paid` or makes it `cancelled` is UNCONFIRMED: read `cancel_amount` (and
 * `cancel_history`) when refunds matter to you.
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
