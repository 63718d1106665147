import { randomBytes } from 'node:crypto';
import {
  checkMonthlyCharge,
  checkPayment,
  type MonthlyRuleProblem,
  type Payment,
  PortoneApiError,
  planMonthlyCharges,
  seoulDate,
} from '@portone-kit/server';
import type { BillingMode, Order, PaymentSyncAnswer, Plan, Subscription } from '../shared/api.js';
import type { PaymentFact, SubscriptionRecord } from './db.js';
import { applyPortonePayment, type PaymentContext, ShopError } from './payments.js';

export interface SubscriptionContext extends PaymentContext {
  /** The shop's clock in ms: the sandbox's in the demo, so that it can be moved forward. */
  now: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SEOUL_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `YYYY-MM` of the month in Seoul at `at`. */
export function seoulMonth(at: Date): string {
  const { year, month } = seoulDate(at);
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Midnight in Seoul of the day that holds `at`. */
function seoulMidnight(at: Date): Date {
  const { year, month, day } = seoulDate(at);
  return new Date(Date.UTC(year, month - 1, day) - SEOUL_OFFSET_MS);
}

const randomId = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;

export function createSubscription(
  context: SubscriptionContext,
  input: {
    requestId: string;
    plan: Plan;
    buyerName: string;
    buyerTel: string;
    sessionId: string;
    /** Default `on-demand`. */
    billing?: BillingMode;
  },
): SubscriptionRecord {
  const id = randomId('sub_');
  return context.db.createSubscription({
    id,
    sessionId: input.sessionId,
    billing: input.billing ?? 'on-demand',
    requestId: input.requestId,
    customerUid: randomId('cus_'),
    plan: input.plan,
    buyerName: input.buyerName,
    buyerTel: input.buyerTel,
    firstOrder: {
      // The window's payment: it issues the key, and pays the first month when issuing charges (PortOne's
      // Korean guides; KG Mobilians' English one says it charges nothing): settleIssuance reads which.
      merchantUid: `${id}_first`,
      requestId: null,
      kind: 'subscription-first',
      name: `${input.plan.name} 첫 달`,
      amount: input.plan.monthlyPrice,
      lines: [{ sku: input.plan.id, name: input.plan.name, unitPrice: input.plan.monthlyPrice, quantity: 1 }],
      buyerName: input.buyerName,
      buyerTel: input.buyerTel,
      subscriptionId: id,
      sessionId: input.sessionId,
    },
  });
}

/** The next charge the rule allows from today on: the first charge's day, in a month not paid yet. */
function nextDueAt(context: SubscriptionContext, record: SubscriptionRecord): Date | null {
  if (record.status !== 'active' || record.firstPaidAtMs === null) return null;
  const first = { amount: record.amount, paidAt: new Date(record.firstPaidAtMs) };
  const plan = planMonthlyCharges({ first, count: 3, from: seoulMidnight(new Date(context.now())) });
  const due = plan.find((charge) => context.db.monthlyCharge(record.id, charge.month)?.status !== 'paid');
  return due?.at ?? null;
}

export function subscriptionView(context: SubscriptionContext, id: string): Subscription {
  const record = context.db.getSubscription(id);
  if (!record) throw new ShopError(404, '구독을 찾을 수 없습니다.');
  const { firstPaidAtMs: _firstPaidAtMs, ...rest } = record;
  const scheduled = context.db.schedulesOf(id).find((entry) => entry.status === 'scheduled');
  const orders = context.db.subscriptionOrders(id);
  return {
    ...rest,
    nextDueAt: nextDueAt(context, record)?.toISOString() ?? null,
    scheduledCharge: scheduled
      ? { merchantUid: scheduled.merchantUid, at: new Date(scheduled.scheduleAtMs).toISOString() }
      : null,
    // A window that issued the key and charged nothing paid nothing: the first month is its own charge.
    charges:
      record.firstCharge === 'not-charged'
        ? orders.filter((order) => order.merchantUid !== record.firstOrderUid)
        : orders,
  };
}

function ruleProblemText(problem: MonthlyRuleProblem): string {
  switch (problem.rule) {
    case 'amount':
      return `정기결제 금액은 첫 결제와 같은 ${problem.expected.toLocaleString('ko-KR')}원이어야 합니다.`;
    case 'month':
      return `첫 결제를 한 달(${problem.firstMonth})에는 다시 청구할 수 없습니다.`;
    case 'day':
      return `이번 달 결제일은 ${problem.dueDay}일입니다 (오늘은 ${problem.day}일).`;
  }
}

export interface MonthlyChargeAnswer {
  status: 'paid' | 'declined' | 'not-charged';
  message: string;
  order: Order;
  subscription: Subscription;
}

/**
 * Charges this month's fee on the billing key, only when KG Mobilians' rule allows it: the first
 * charge's amount, on its day of the month (Seoul), once a month. The month's merchant_uid is fixed
 * (`<subscription>_<YYYYMM>`), so a repeat can never charge the month twice, even at PortOne. A
 * subscription whose key was issued without charging, and whose first month is not paid yet (its charge
 * declined), gets its first month charged instead.
 */
export async function chargeThisMonth(context: SubscriptionContext, id: string): Promise<MonthlyChargeAnswer> {
  const { db } = context;
  const record = db.getSubscription(id);
  if (!record) throw new ShopError(404, '구독을 찾을 수 없습니다.');
  if (record.status === 'pending' && record.firstCharge === 'not-charged') return chargeFirstMonth(context, id);
  if (record.status !== 'active' || record.firstPaidAtMs === null) {
    throw new ShopError(409, '활성 상태의 구독만 청구할 수 있습니다.');
  }
  if (record.billing === 'scheduled') {
    throw new ShopError(409, '예약 결제로 청구하는 구독입니다. 결제일에 PortOne이 청구합니다.');
  }
  const at = new Date(context.now());
  const month = seoulMonth(at);
  const problems: string[] = [];
  if (db.monthlyCharge(id, month)?.status === 'paid') {
    problems.push(`${month}에는 이미 결제했습니다. KG모빌리언스 정기결제는 한 달에 한 번입니다.`);
  }
  const rule = checkMonthlyCharge(
    { amount: record.amount, paidAt: new Date(record.firstPaidAtMs) },
    {
      amount: record.amount,
      at,
    },
  );
  if (!rule.ok) problems.push(...rule.problems.map(ruleProblemText));
  if (problems.length > 0) {
    throw new ShopError(409, `KG모빌리언스 정기결제 규칙에 맞지 않아 청구하지 않았습니다. ${problems.join(' ')}`);
  }
  return chargeMonth(context, record, {
    merchantUid: monthUid(id, month),
    month,
    name: `${record.plan.name} ${month}`,
    paidMessage: `${month} 정기결제가 완료되었습니다.`,
  });
}

/** The merchant_uid of a month's charge: one per subscription and month, so PortOne refuses a second. */
const monthUid = (id: string, month: string) => `${id}_${month.replace('-', '')}`;

/** The merchant_uid of the first month's charge when issuing the key charged nothing: one per subscription. */
export const firstChargeUid = (id: string) => `${id}_first_charge`;

/**
 * Charges one month on the billing key under `charge.merchantUid` (its order made once), while holding
 * the order's lease: a second request meanwhile is refused, and PortOne refuses a paid merchant_uid.
 */
async function chargeMonth(
  context: SubscriptionContext,
  record: SubscriptionRecord,
  charge: { merchantUid: string; month: string; name: string; paidMessage: string },
): Promise<MonthlyChargeAnswer> {
  const { db, portone } = context;
  const { merchantUid, month, name } = charge;
  db.createOrder({
    merchantUid,
    requestId: null,
    kind: 'subscription-month',
    name,
    amount: record.amount,
    lines: [{ sku: record.plan.id, name, unitPrice: record.amount, quantity: 1 }],
    buyerName: record.buyerName,
    buyerTel: record.buyerTel,
    subscriptionId: record.id,
    chargeMonth: month,
    // Charged by the shop, not by a browser: the subscription's page shows it.
    sessionId: null,
  });
  const lease = db.claimMonthlyCharge(merchantUid);
  if (lease === null) {
    throw new ShopError(409, '이번 달 결제를 이미 처리하고 있습니다.');
  }
  try {
    const result = await portone.chargeBillingKey({
      customerUid: record.customerUid,
      merchantUid,
      amount: record.amount,
      name: name.slice(0, 40),
    });
    const expected = { merchantUid, amount: record.amount };
    const options = { allowSandbox: context.allowSandbox };
    let status: MonthlyChargeAnswer['status'];
    let message: string;
    switch (result.status) {
      case 'paid':
      case 'already-paid':
      case 'declined': {
        const answer = await applyPortonePayment(
          context,
          result.payment,
          checkPayment(result.payment, expected, options),
          'charge',
        );
        status = answer.order.status === 'paid' ? 'paid' : 'declined';
        message = status === 'paid' ? charge.paidMessage : answer.message;
        break;
      }
      case 'refused':
        status = 'not-charged';
        message = `PortOne이 결제 요청을 거절했습니다: ${result.error.portoneMessage}`;
        db.setPendingReason(merchantUid, 'failed', message);
        break;
      case 'not-charged':
        status = 'not-charged';
        message = '결제 요청이 전달되지 않았습니다. 잠시 후 다시 시도해 주세요.';
        db.setPendingReason(merchantUid, 'pending', message);
        break;
      case 'unknown':
        status = 'not-charged';
        message = '결제 결과를 아직 확인하지 못했습니다. 결과는 웹훅으로 반영됩니다.';
        db.setPendingReason(merchantUid, 'pending', message);
        break;
    }
    const order = db.getOrder(merchantUid) as Order;
    return { status, message, order, subscription: subscriptionView(context, record.id) };
  } finally {
    db.releaseMonthlyCharge(merchantUid, lease);
  }
}

const won = (amount: number) => `${amount.toLocaleString('ko-KR')}원`;

/** What the buyer reads once the first month is paid, by what issuing the key did. */
export function firstMonthMessage(firstCharge: 'paid-at-issuance' | 'not-charged', amount: number): string {
  return firstCharge === 'paid-at-issuance'
    ? `정기결제가 등록되었습니다. 첫 달 요금 ${won(amount)}은 등록과 함께 결제되었습니다.`
    : `정기결제가 등록되었습니다. 등록할 때는 결제되지 않아 첫 달 요금 ${won(amount)}을 빌링키로 따로 결제했습니다.`;
}

/**
 * Charges the first month with the billing key, once, when issuing the key charged nothing. Its
 * merchant_uid is fixed (`<subscription>_first_charge`): a retry after a decline uses it again, and
 * PortOne refuses it once paid. Nothing is charged when any of the subscription's orders is paid already.
 */
export async function chargeFirstMonth(context: SubscriptionContext, id: string): Promise<MonthlyChargeAnswer> {
  const { db } = context;
  const record = db.getSubscription(id);
  if (!record) throw new ShopError(404, '구독을 찾을 수 없습니다.');
  const merchantUid = firstChargeUid(id);
  if (db.subscriptionHasPaidCharge(id)) {
    const order = db.getOrder(merchantUid) ?? (db.getOrder(record.firstOrderUid) as Order);
    return {
      status: 'paid',
      message: firstMonthMessage(record.firstCharge ?? 'paid-at-issuance', record.amount),
      order,
      subscription: subscriptionView(context, id),
    };
  }
  if (record.status === 'cancelled') throw new ShopError(409, '해지한 구독입니다.');
  if (record.firstCharge !== 'not-charged') {
    throw new ShopError(409, '빌링키 발급이 확인되지 않아 첫 달 요금을 청구하지 않았습니다.');
  }
  const month = seoulMonth(new Date(context.now()));
  return chargeMonth(context, record, {
    merchantUid,
    month,
    name: `${record.plan.name} 첫 달`,
    paidMessage: firstMonthMessage('not-charged', record.amount),
  });
}

const ISSUED_WITHOUT_CHARGE = '빌링키 발급 때는 결제되지 않았습니다. 첫 달 요금은 빌링키로 따로 결제합니다.';

/**
 * A billing-key window that issued the key and charged nothing (a paid payment of 0): records that on
 * the window's order, once, then charges the first month with the key (`again`), once. Whichever path
 * brings the payment (the browser's return, the webhook) ends the same way.
 */
export async function settleIssuanceWithoutCharge(
  context: SubscriptionContext,
  order: Order,
  payment: Payment,
  source: PaymentFact['source'],
): Promise<PaymentSyncAnswer> {
  const { db, portone } = context;
  const subscription = order.subscriptionId === null ? null : db.getSubscription(order.subscriptionId);
  if (!subscription) throw new ShopError(404, '구독 정보를 찾을 수 없습니다.');
  const key = await portone.getBillingKey(subscription.customerUid);
  const problem = key === null ? '빌링키가 발급되지 않았습니다.' : null;
  const fact: PaymentFact = {
    merchantUid: payment.merchant_uid,
    impUid: payment.imp_uid,
    status: payment.status,
    cancelCount: payment.cancel_history?.length ?? 0,
    source,
  };
  const result = db.applyPayment(fact, (current) => {
    if (current.status !== 'pending' && current.status !== 'failed') return null;
    if (problem !== null) {
      return {
        status: 'refused',
        impUid: payment.imp_uid,
        payMethod: payment.pay_method ?? null,
        statusReason: problem,
      };
    }
    return {
      impUid: payment.imp_uid,
      payMethod: payment.pay_method ?? null,
      statusReason: ISSUED_WITHOUT_CHARGE,
      subscriptionFirstCharge: 'not-charged',
    };
  });
  if (result.applied) {
    context.log(`${source}: ${payment.imp_uid} issued ${subscription.customerUid} and charged nothing`);
  }
  if (problem !== null) return { order: result.order, verified: false, message: problem };
  try {
    const answer = await chargeFirstMonth(context, subscription.id);
    return {
      order: answer.order,
      verified: answer.status === 'paid',
      message: answer.message,
      firstCharge: 'not-charged',
    };
  } catch (error) {
    if (!(error instanceof ShopError)) throw error;
    return {
      order: db.getOrder(order.merchantUid) ?? order,
      verified: false,
      message: error.message,
      firstCharge: 'not-charged',
    };
  }
}

/**
 * In the scheduled mode, registers the subscription's next charge with PortOne's schedule (once: the
 * shop records it first, and only the caller whose record went in asks PortOne), with an order that the
 * schedule's webhook then pays. Nothing for an on-demand, pending or cancelled subscription, or while a
 * schedule is pending. Called when the first month is paid and after each scheduled charge ran.
 */
export async function scheduleNextCharge(context: SubscriptionContext, id: string): Promise<void> {
  const { db, portone, log } = context;
  const record = db.getSubscription(id);
  if (record?.billing !== 'scheduled' || record.status !== 'active' || record.firstPaidAtMs === null) return;
  if (db.schedulesOf(id).some((entry) => entry.status === 'scheduled')) return;
  const nowMs = context.now();
  const first = { amount: record.amount, paidAt: new Date(record.firstPaidAtMs) };
  const next = planMonthlyCharges({ first, count: 3, from: new Date(nowMs) }).find((charge) => {
    const existing = db.monthlyCharge(id, charge.month);
    return charge.at.getTime() > nowMs && (existing === null || existing.status === 'pending');
  });
  if (!next) return;
  const merchantUid = monthUid(id, next.month);
  if (!db.claimSchedule(merchantUid, id, next.at.getTime())) return;
  const name = `${record.plan.name} ${next.month}`;
  db.createOrder({
    merchantUid,
    requestId: null,
    kind: 'subscription-month',
    name,
    amount: record.amount,
    lines: [{ sku: record.plan.id, name, unitPrice: record.amount, quantity: 1 }],
    buyerName: record.buyerName,
    buyerTel: record.buyerTel,
    subscriptionId: id,
    chargeMonth: next.month,
    sessionId: null,
  });
  try {
    await portone.scheduleCharges({
      customerUid: record.customerUid,
      schedules: [
        {
          merchantUid,
          at: next.at,
          amount: record.amount,
          name: name.slice(0, 40),
          buyerName: record.buyerName,
          buyerTel: record.buyerTel,
        },
      ],
    });
    log(`scheduled ${merchantUid} for ${next.at.toISOString()}`);
  } catch (error) {
    // Not registered: forget it here, so that a later call (the subscription's page, read again) asks again.
    db.dropSchedule(merchantUid);
    log(`schedule of ${merchantUid} failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

/** Deletes the billing key at PortOne (which revokes its schedules), then ends the subscription. */
export async function cancelSubscription(context: SubscriptionContext, id: string): Promise<Subscription> {
  const record = context.db.getSubscription(id);
  if (!record) throw new ShopError(404, '구독을 찾을 수 없습니다.');
  if (record.status !== 'cancelled') {
    if (context.db.schedulesOf(id).some((entry) => entry.status === 'scheduled')) {
      // PortOne's docs say to revoke a key's schedules before deleting it.
      try {
        await context.portone.unscheduleCharges({ customerUid: record.customerUid });
      } catch (error) {
        // Nothing left to revoke (it ran meanwhile) is PortOne's business error; anything else is reported.
        if (!(error instanceof PortoneApiError)) throw error;
        context.log(`unschedule of ${record.customerUid}: ${error.portoneMessage}`);
      }
      context.db.revokeSchedules(id, '구독을 해지해 예약 결제를 취소했습니다.');
    }
    try {
      await context.portone.deleteBillingKey(record.customerUid, { reason: '구매자 해지' });
    } catch (error) {
      // A key PortOne no longer has is as good as deleted; anything else is reported.
      if (!(error instanceof PortoneApiError && error.httpStatus === 404)) throw error;
    }
    context.db.cancelSubscription(id);
  }
  return subscriptionView(context, id);
}

/** How far the demo clock may jump in one call. */
export const MAX_CLOCK_STEP_MS = 400 * DAY_MS;
