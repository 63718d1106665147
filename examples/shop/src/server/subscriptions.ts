import { randomBytes } from 'node:crypto';
import {
  checkMonthlyCharge,
  checkPayment,
  type MonthlyRuleProblem,
  PortoneApiError,
  planMonthlyCharges,
  seoulDate,
} from '@portone-kit/server';
import type { Order, Plan, Subscription } from '../shared/api.js';
import type { SubscriptionRecord } from './db.js';
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
  input: { requestId: string; plan: Plan; buyerName: string; buyerTel: string; sessionId: string },
): SubscriptionRecord {
  const id = randomId('sub_');
  return context.db.createSubscription({
    id,
    sessionId: input.sessionId,
    requestId: input.requestId,
    customerUid: randomId('cus_'),
    plan: input.plan,
    buyerName: input.buyerName,
    buyerTel: input.buyerTel,
    firstOrder: {
      // The window's payment: it issues the key and pays the first month (Mobilians charges at issuance).
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
  return {
    ...rest,
    nextDueAt: nextDueAt(context, record)?.toISOString() ?? null,
    charges: context.db.subscriptionOrders(id),
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
 * (`<subscription>_<YYYYMM>`), so a repeat can never charge the month twice, even at PortOne.
 */
export async function chargeThisMonth(context: SubscriptionContext, id: string): Promise<MonthlyChargeAnswer> {
  const { db, portone } = context;
  const record = db.getSubscription(id);
  if (!record) throw new ShopError(404, '구독을 찾을 수 없습니다.');
  if (record.status !== 'active' || record.firstPaidAtMs === null) {
    throw new ShopError(409, '활성 상태의 구독만 청구할 수 있습니다.');
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

  const merchantUid = `${id}_${month.replace('-', '')}`;
  db.createOrder({
    merchantUid,
    requestId: null,
    kind: 'subscription-month',
    name: `${record.plan.name} ${month}`,
    amount: record.amount,
    lines: [{ sku: record.plan.id, name: `${record.plan.name} ${month}`, unitPrice: record.amount, quantity: 1 }],
    buyerName: record.buyerName,
    buyerTel: record.buyerTel,
    subscriptionId: id,
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
      name: `${record.plan.name} ${month}`.slice(0, 40),
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
        message = status === 'paid' ? `${month} 정기결제가 완료되었습니다.` : answer.message;
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
    return { status, message, order, subscription: subscriptionView(context, id) };
  } finally {
    db.releaseMonthlyCharge(merchantUid, lease);
  }
}

/** Deletes the billing key at PortOne (which revokes its schedules), then ends the subscription. */
export async function cancelSubscription(context: SubscriptionContext, id: string): Promise<Subscription> {
  const record = context.db.getSubscription(id);
  if (!record) throw new ShopError(404, '구독을 찾을 수 없습니다.');
  if (record.status !== 'cancelled') {
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
