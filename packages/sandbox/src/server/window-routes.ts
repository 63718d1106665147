import { ALREADY_PAID, DECLINED, RECORDED_STATUS, refusalOf, type WindowError } from '../window-answers.js';
import { toSeconds } from './clock.js';
import { InputError } from './input.js';
import { seoulMonthAt } from './monthly-rule.js';
import { CORS_HEADERS, envelope, jsonReply, type Reply } from './reply.js';
import { param, type Route, type RouteCall } from './routes.js';
import { DEFAULT_MID } from './store.js';
import type { SandboxPayment } from './types.js';

const OUTCOMES = ['approve', 'decline', 'cancel'] as const;
const PAY_METHODS = ['card', 'trans', 'phone'];

// The sandbox's own code: PortOne's code for a prepared amount that differs is not documented.
const PREPARED_MISMATCH_CODE = 'PREPARED_AMOUNT_MISMATCH';

const windowReply = (status: number, value: unknown): Reply => jsonReply(status, value, CORS_HEADERS);

/**
 * `POST /sandbox/payments`: the browser fake's window reports what the buyer did, and gets the object the
 * SDK would pass to the `request_pay` callback: the codes, texts and recorded statuses of `window-answers.ts`,
 * which the in-memory fake uses too. Choices where PortOne is UNCONFIRMED for Mobilians:
 * - a buyer's cancel records the payment as `ready` (see `RECORDED_STATUS` for why);
 * - a billing key issued with `amount: 0`, or with any amount when the sandbox was started with
 *   `billingKeyIssuance: 'charges-nothing'`, records a paid payment of 0 with `customer_uid_usage: 'issue'`
 *   (so the callback has an imp_uid) and no webhook; the key's first real charge comes later;
 * - a prepared amount that differs refuses before a payment exists, with code `PREPARED_AMOUNT_MISMATCH`.
 */
function windowPayment({ engine, input }: RouteCall): Reply {
  const outcome = input.string('outcome');
  if (!OUTCOMES.includes(outcome as (typeof OUTCOMES)[number])) {
    throw new InputError(`outcome must be one of ${OUTCOMES.join(', ')}`);
  }
  const channelText = input.optionalString('channel') ?? 'pc';
  if (channelText !== 'pc' && channelText !== 'mobile') throw new InputError('channel must be pc or mobile');
  const channel: 'pc' | 'mobile' = channelText;
  const errorCode = input.optionalString('error_code');
  const errorMsg = input.optionalString('error_msg');
  const params = input.record('params');
  const merchantUid = params.string('merchant_uid', 40);
  const amount = params.integer('amount', 0);
  const payMethod = params.string('pay_method');
  if (!PAY_METHODS.includes(payMethod))
    throw new InputError(`params.pay_method must be one of ${PAY_METHODS.join(', ')}`);
  const customerUid = params.optionalString('customer_uid', 80);
  if (customerUid === null && amount === 0) throw new InputError('params.amount must be more than 0 for a payment');
  const pg = params.optionalString('pg');
  const fields = {
    name: params.optionalString('name'),
    buyer_name: params.optionalString('buyer_name'),
    buyer_email: params.optionalString('buyer_email'),
    buyer_tel: params.optionalString('buyer_tel'),
    buyer_addr: params.optionalString('buyer_addr'),
    buyer_postcode: params.optionalString('buyer_postcode'),
    custom_data: params.jsonText('custom_data'),
  };
  const customerId = params.optionalString('customer_id');
  const noticeUrls = params.stringList('notice_url') ?? [];

  const { state, clock } = engine;
  const base = { merchant_uid: merchantUid, pay_method: payMethod, pg_provider: 'mobilians' };
  const refuse = (error: WindowError) =>
    windowReply(200, { response: { ...base, imp_uid: null, success: false, imp_success: false, ...error } });
  if (state.paidPayment(merchantUid)) return refuse(ALREADY_PAID);
  const prepared = state.prepared.get(merchantUid);
  if (prepared !== undefined && prepared.amount !== amount) {
    return refuse({
      error_code: PREPARED_MISMATCH_CODE,
      error_msg: `사전 등록된 결제금액(${prepared.amount}원)과 요청 금액(${amount}원)이 다릅니다`,
    });
  }
  if (customerUid !== null && payMethod !== 'phone') {
    return refuse({ ...DECLINED, error_msg: "KG모빌리언스 빌링키는 휴대폰 결제(pay_method: 'phone')로만 발급됩니다" });
  }

  const nowMs = clock.now();
  const seconds = toSeconds(nowMs);
  const common = {
    merchant_uid: merchantUid,
    pay_method: payMethod,
    channel,
    pg_id: pg?.startsWith('mobilians.') ? pg.slice('mobilians.'.length) : DEFAULT_MID,
    amount,
    started_at: seconds,
    ...fields,
  };
  if (outcome === 'cancel' || outcome === 'decline') {
    const error = refusalOf(outcome, { code: errorCode, message: errorMsg });
    const status = RECORDED_STATUS[outcome];
    const payment = state.addPayment(
      status === 'failed'
        ? { ...common, status, failed_at: seconds, fail_reason: error.error_msg }
        : { ...common, status },
      noticeUrls,
    );
    return windowReply(200, { response: callbackFields(payment, { success: false, ...error }) });
  }

  // Issuing a key charges its amount, or (billingKeyIssuance 'charges-nothing') nothing at all.
  const charged = customerUid !== null && engine.billingKeyIssuance === 'charges-nothing' ? 0 : amount;
  const payment = state.addPayment(
    {
      ...common,
      amount: charged,
      status: RECORDED_STATUS.approve,
      paid_at: seconds,
      customer_uid: customerUid,
      customer_uid_usage: customerUid === null ? null : 'issue',
    },
    noticeUrls,
  );
  if (customerUid !== null) {
    // A new key replaces the one mapped to this customer_uid; its monthly rule starts over.
    const previous = state.customers.get(customerUid);
    state.customers.set(customerUid, {
      customer_uid: customerUid,
      pg_provider: 'mobilians',
      pg_id: payment.pg_id,
      sandbox: true,
      customer_id: customerId,
      card_name: null,
      card_code: null,
      card_number: null,
      card_type: null,
      customer_name: fields.buyer_name,
      customer_tel: fields.buyer_tel,
      customer_email: fields.buyer_email,
      customer_addr: fields.buyer_addr,
      customer_postcode: fields.buyer_postcode,
      inserted: previous?.inserted ?? seconds,
      updated: seconds,
    });
    state.billingTerms.set(customerUid, {
      first: charged > 0 ? { amount: charged, paid_at: seconds, imp_uid: payment.imp_uid } : null,
      charged_months: charged > 0 ? [seoulMonthAt(nowMs)] : [],
    });
  }
  if (charged > 0) {
    engine.webhooks.send({ imp_uid: payment.imp_uid, merchant_uid: merchantUid, status: 'paid' }, noticeUrls);
  }
  return windowReply(200, { response: callbackFields(payment, { success: true }) });
}

/** The object the SDK gives the `request_pay` callback for a payment the window recorded. */
function callbackFields(
  payment: SandboxPayment,
  result: { success: true } | { success: false; error_code: string; error_msg: string },
) {
  return {
    ...result,
    imp_success: result.success,
    imp_uid: payment.imp_uid,
    merchant_uid: payment.merchant_uid,
    pay_method: payment.pay_method,
    paid_amount: payment.status === 'paid' ? payment.amount : 0,
    status: payment.status,
    name: payment.name,
    pg_provider: payment.pg_provider,
    pg_tid: payment.pg_tid,
    currency: payment.currency,
    buyer_name: payment.buyer_name,
    buyer_email: payment.buyer_email,
    buyer_tel: payment.buyer_tel,
    buyer_addr: payment.buyer_addr,
    buyer_postcode: payment.buyer_postcode,
    custom_data: payment.custom_data,
    paid_at: payment.paid_at,
    receipt_url: payment.receipt_url,
  };
}

function windowGetPayment(call: RouteCall): Reply {
  const payment = call.engine.state.payments.get(param(call, 'imp_uid'));
  if (payment) return windowReply(200, payment);
  const notFound = envelope(404, -1, 'no payment with this imp_uid', null);
  return { ...notFound, headers: { ...notFound.headers, ...CORS_HEADERS } };
}

const preflight = (): Reply => ({ status: 204, headers: CORS_HEADERS, body: '' });

export const windowRoutes: Route[] = [
  { method: 'POST', pattern: '/sandbox/payments', kind: 'window', auth: false, handle: windowPayment },
  { method: 'GET', pattern: '/sandbox/payments/:imp_uid', kind: 'window', auth: false, handle: windowGetPayment },
  { method: 'OPTIONS', pattern: '/sandbox/payments', kind: 'window', auth: false, handle: preflight },
  { method: 'OPTIONS', pattern: '/sandbox/payments/:imp_uid', kind: 'window', auth: false, handle: preflight },
];
