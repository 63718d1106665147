import { chargeBillingKey } from './billing.js';
import { toSeconds } from './clock.js';
import { type Input, InputError } from './input.js';
import { businessError, httpError, type Reply, success } from './reply.js';
import { type Engine, param, type Route, type RouteCall } from './routes.js';
import type { SandboxPayment, SandboxSchedule } from './types.js';

const UNKNOWN_CUSTOMER = '등록되지 않은 customer_uid입니다.';
const ALREADY_PAID = '이미 결제가 이루어진 거래건입니다.';

function buyerOf(
  input: Input,
): Pick<SandboxPayment, 'buyer_name' | 'buyer_email' | 'buyer_tel' | 'buyer_addr' | 'buyer_postcode'> {
  return {
    buyer_name: input.optionalString('buyer_name', 16),
    buyer_email: input.optionalString('buyer_email', 64),
    buyer_tel: input.optionalString('buyer_tel', 16),
    buyer_addr: input.optionalString('buyer_addr', 128),
    buyer_postcode: input.optionalString('buyer_postcode', 8),
  };
}

/** `currency` is optional here and must be KRW: Mobilians charges in won only. */
function checkCurrency(input: Input) {
  const currency = input.optionalString('currency');
  if (currency !== null && currency !== 'KRW') throw new InputError('currency must be KRW for KG Mobilians');
}

/**
 * Charges a billing key now. `name` is required, as the OpenAPI document says, although PortOne's
 * Mobilians examples leave it out (UNCONFIRMED which one the live API enforces): a client that passes
 * here passes under both readings. Unknown customer_uid → code -1; a paid merchant_uid → code 1, no
 * charge. A charge that breaks Mobilians' monthly rule is a PG decline: code 0, `status: 'failed'`.
 */
function chargeAgain({ engine, input }: RouteCall): Reply {
  const customerUid = input.string('customer_uid', 80);
  const merchantUid = input.string('merchant_uid', 40);
  const amount = input.integer('amount', 1);
  const name = input.string('name', 40);
  checkCurrency(input);
  const buyer = buyerOf(input);
  const customData = input.jsonText('custom_data');
  const noticeUrl = input.optionalString('notice_url');

  const customer = engine.state.customers.get(customerUid);
  if (customer === undefined) return businessError(-1, UNKNOWN_CUSTOMER);
  if (engine.state.paidPayment(merchantUid)) return businessError(1, ALREADY_PAID);
  const payment = chargeBillingKey(engine.state, {
    customer,
    merchantUid,
    amount,
    name,
    buyer,
    customData,
    noticeUrls: noticeUrl === null ? [] : [noticeUrl],
    usage: 'payment',
    atMs: engine.clock.now(),
  });
  // PortOne sends no webhook for a failed payment, except for scheduled ones.
  if (payment.status === 'paid') {
    engine.webhooks.send(
      { imp_uid: payment.imp_uid, merchant_uid: merchantUid, status: 'paid' },
      engine.state.noticeUrls.get(payment.imp_uid) ?? [],
    );
  }
  return success(payment);
}

/**
 * Registers charges for later, all or none. Refused with code 1 (UNCONFIRMED wording and codes): a
 * merchant_uid repeated, already scheduled or already paid, or a `schedule_at` not in the future.
 * `currency` may be left out (KRW), `name` may not.
 */
function schedule({ engine, input }: RouteCall): Reply {
  const customerUid = input.string('customer_uid', 80);
  const nowSeconds = toSeconds(engine.clock.now());
  const entries = input.list('schedules').map((item) => {
    checkCurrency(item);
    const entry: SandboxSchedule = {
      customer_uid: customerUid,
      merchant_uid: item.string('merchant_uid', 40),
      imp_uid: null,
      schedule_at: item.integer('schedule_at', 1),
      executed_at: 0,
      revoked_at: 0,
      amount: item.integer('amount', 1),
      currency: 'KRW',
      name: item.string('name', 40),
      ...buyerOf(item),
      custom_data: item.jsonText('custom_data'),
      schedule_status: 'scheduled',
      payment_status: null,
      fail_reason: null,
    };
    return { entry, noticeUrl: item.optionalString('notice_url') };
  });

  const { state } = engine;
  if (!state.customers.has(customerUid)) return businessError(-1, UNKNOWN_CUSTOMER);
  const seen = new Set<string>();
  for (const { entry } of entries) {
    const merchantUid = entry.merchant_uid;
    if (seen.has(merchantUid)) return businessError(1, `merchant_uid ${merchantUid}가 요청 안에 두 번 있습니다.`);
    seen.add(merchantUid);
    const existing = state.schedules.get(merchantUid);
    if (existing !== undefined && existing.schedule_status !== 'revoked') {
      return businessError(1, `이미 예약된 merchant_uid입니다: ${merchantUid}`);
    }
    if (state.paidPayment(merchantUid)) return businessError(1, `${ALREADY_PAID} (${merchantUid})`);
    if (entry.schedule_at <= nowSeconds) {
      return businessError(1, `schedule_at은 현재 시각 이후여야 합니다: ${merchantUid}`);
    }
  }
  for (const { entry, noticeUrl } of entries) {
    state.schedules.set(entry.merchant_uid, entry);
    state.scheduleNoticeUrls.set(entry.merchant_uid, noticeUrl === null ? [] : [noticeUrl]);
  }
  return success(entries.map(({ entry }) => entry));
}

/** Revokes by merchant_uid (within customer_uid when given), or every pending one of customer_uid. */
function unschedule({ engine, input }: RouteCall): Reply {
  const customerUid = input.optionalString('customer_uid');
  const merchantUids = input.stringList('merchant_uid');
  if (customerUid === null && merchantUids === null) throw new InputError('customer_uid or merchant_uid is required');
  const revoked = [...engine.state.schedules.values()].filter(
    (entry) =>
      entry.schedule_status === 'scheduled' &&
      (customerUid === null || entry.customer_uid === customerUid) &&
      (merchantUids === null || merchantUids.includes(entry.merchant_uid)),
  );
  if (revoked.length === 0) return businessError(1, '취소할 예약결제 기록이 존재하지 않습니다.');
  const nowSeconds = toSeconds(engine.clock.now());
  for (const entry of revoked) {
    entry.schedule_status = 'revoked';
    entry.revoked_at = nowSeconds;
  }
  return success(revoked);
}

function getSchedule(call: RouteCall): Reply {
  const entry = call.engine.state.schedules.get(param(call, 'merchant_uid'));
  return entry ? success(entry) : httpError(404, '존재하지 않는 예약결제입니다.');
}

function getCustomer(call: RouteCall): Reply {
  const customer = call.engine.state.customers.get(param(call, 'customer_uid'));
  return customer ? success(customer) : httpError(404, UNKNOWN_CUSTOMER);
}

/** Deletes the billing key and revokes its pending schedules, so none of them charges later. */
function deleteCustomer(call: RouteCall): Reply {
  const { state, clock } = call.engine;
  const customerUid = param(call, 'customer_uid');
  const customer = state.customers.get(customerUid);
  if (customer === undefined) return httpError(404, UNKNOWN_CUSTOMER);
  const nowSeconds = toSeconds(clock.now());
  for (const entry of state.schedules.values()) {
    if (entry.customer_uid === customerUid && entry.schedule_status === 'scheduled') {
      entry.schedule_status = 'revoked';
      entry.revoked_at = nowSeconds;
    }
  }
  state.customers.delete(customerUid);
  state.billingTerms.delete(customerUid);
  return success(customer);
}

/**
 * Runs every schedule due on the sandbox clock, oldest first, as of its own `schedule_at` (as if the
 * sandbox had been awake then), so the monthly rule sees the day it was scheduled for. Each run sends a
 * webhook, paid or failed, as PortOne does for scheduled charges.
 */
export function runDueSchedules(engine: Engine): SandboxSchedule[] {
  const { state } = engine;
  const nowSeconds = engine.clock.now() / 1000;
  const due = [...state.schedules.values()]
    .filter((entry) => entry.schedule_status === 'scheduled' && entry.schedule_at <= nowSeconds)
    .sort((a, b) => a.schedule_at - b.schedule_at);
  for (const entry of due) {
    entry.schedule_status = 'executed';
    entry.executed_at = entry.schedule_at;
    const customer = state.customers.get(entry.customer_uid);
    const refusal =
      customer === undefined ? UNKNOWN_CUSTOMER : state.paidPayment(entry.merchant_uid) ? ALREADY_PAID : null;
    if (customer === undefined || refusal !== null) {
      entry.payment_status = 'failed';
      entry.fail_reason = refusal;
      continue;
    }
    const payment = chargeBillingKey(state, {
      customer,
      merchantUid: entry.merchant_uid,
      amount: entry.amount,
      name: entry.name,
      buyer: entry,
      customData: entry.custom_data,
      noticeUrls: state.scheduleNoticeUrls.get(entry.merchant_uid) ?? [],
      usage: 'payment.scheduled',
      atMs: entry.schedule_at * 1000,
    });
    entry.imp_uid = payment.imp_uid;
    entry.payment_status = payment.status;
    entry.fail_reason = payment.fail_reason;
    engine.webhooks.send(
      { imp_uid: payment.imp_uid, merchant_uid: payment.merchant_uid, status: payment.status },
      state.noticeUrls.get(payment.imp_uid) ?? [],
    );
  }
  return due;
}

export const subscribeRoutes: Route[] = [
  { method: 'POST', pattern: '/subscribe/payments/again', kind: 'api', auth: true, handle: chargeAgain },
  { method: 'POST', pattern: '/subscribe/payments/schedule', kind: 'api', auth: true, handle: schedule },
  { method: 'POST', pattern: '/subscribe/payments/unschedule', kind: 'api', auth: true, handle: unschedule },
  {
    method: 'GET',
    pattern: '/subscribe/payments/schedule/:merchant_uid',
    kind: 'api',
    auth: true,
    handle: getSchedule,
  },
  { method: 'GET', pattern: '/subscribe/customers/:customer_uid', kind: 'api', auth: true, handle: getCustomer },
  { method: 'DELETE', pattern: '/subscribe/customers/:customer_uid', kind: 'api', auth: true, handle: deleteCustomer },
];
