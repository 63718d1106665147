import {
  checkBillingKeyIssuance,
  checkPayment,
  type Payment,
  PortoneApiError,
  type PortoneClient,
  type VerifyPaymentResult,
} from '@portone-kit/server';
import type { Order, PaymentSyncAnswer } from '../shared/api.js';
import type { OrderChange, PaymentFact, RefundJob, ShopDatabase } from './db.js';
// A cycle, of functions only: a subscription's payments start its charges, which are applied here.
import { firstMonthMessage, scheduleNextCharge, settleIssuanceWithoutCharge } from './subscriptions.js';

export interface PaymentContext {
  db: ShopDatabase;
  portone: PortoneClient;
  /** Accept test-channel payments: always on the sandbox, where every payment is one. */
  allowSandbox: boolean;
  log: (line: string) => void;
  /** The shop's clock in ms (the sandbox's in the demo); default real time. */
  now?: () => number;
}

/** The context with its clock, as a subscription's charges need it. */
const withClock = (context: PaymentContext) => ({ ...context, now: context.now ?? (() => Date.now()) });

/** A request the shop refuses, with the HTTP status and a message for the buyer. */
export class ShopError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly order?: Order,
  ) {
    super(message);
  }
}

const REFUND_REASON = '주문 금액과 결제 금액 불일치';
const EXTRA_PAYMENT_REASON = '이미 처리된 주문의 추가 결제';

function refusalReason(check: Exclude<VerifyPaymentResult, { verified: true }>): string {
  switch (check.reason) {
    case 'amount':
      return `결제 금액(${check.actual.toLocaleString('ko-KR')}원)이 주문 금액(${check.expected.toLocaleString('ko-KR')}원)과 달라 결제를 승인하지 않았습니다.`;
    case 'currency':
      return '원화가 아닌 결제는 받을 수 없습니다.';
    case 'sandbox':
      return '테스트 결제는 받을 수 없습니다.';
    case 'partially-cancelled':
      return `결제 금액 중 일부가 이미 환불되어 남은 금액(${check.actual.toLocaleString('ko-KR')}원)이 주문 금액(${check.expected.toLocaleString('ko-KR')}원)보다 적습니다.`;
    case 'cancelled':
      return '이미 전액 환불된 결제입니다.';
    default:
      return '주문과 맞지 않는 결제입니다.';
  }
}

/**
 * What one state of PortOne's payment does to the order. Paid and final states never go back; a paid
 * payment that does not match the order (another amount) is refused and refunded; a paid payment for an
 * order already settled by another payment is refunded and leaves the order as it is.
 */
export function decideOrderChange(
  order: Order,
  payment: Payment,
  check: VerifyPaymentResult,
  extraProblem: string | null,
): OrderChange | null {
  const payable = order.status === 'pending' || order.status === 'failed';
  switch (payment.status) {
    case 'paid': {
      if (check.verified && extraProblem === null && payable) {
        return {
          status: 'paid',
          impUid: payment.imp_uid,
          payMethod: payment.pay_method ?? null,
          statusReason: null,
          paidAt: (payment.paid_at ?? 0) * 1000,
          // The window charged the first month: the subscription starts. (A month's charge starts it too
          // when issuing the key charged nothing; an active one stays as it is.)
          ...(order.kind === 'subscription-first'
            ? { activateSubscriptionAt: (payment.paid_at ?? 0) * 1000, subscriptionFirstCharge: 'paid-at-issuance' }
            : order.kind === 'subscription-month'
              ? { activateSubscriptionAt: (payment.paid_at ?? 0) * 1000 }
              : {}),
        };
      }
      // This payment already made the order what it is (a partial refund from the console, say).
      if (!payable && order.impUid === payment.imp_uid) return null;
      // A test-channel payment off the sandbox is not ours to refund: it charged nobody. A payment
      // refunded in part before it was verified is refused (never fulfilled) and the rest refunded.
      const refundable = !(!check.verified && check.reason === 'sandbox') && payment.amount > payment.cancel_amount;
      const refundPayment = (reason: string) => ({
        impUid: payment.imp_uid,
        merchantUid: order.merchantUid,
        checksum: payment.amount - payment.cancel_amount,
        reason,
      });
      if (!payable) {
        // The order is paid, refused or refunded already, and another payment came on top: a stale tab
        // paid again after a refund (PortOne takes a new payment once the last one is cancelled).
        return refundable ? { refundPayment: refundPayment(EXTRA_PAYMENT_REASON) } : null;
      }
      const reason = extraProblem ?? (check.verified ? '주문과 맞지 않는 결제입니다.' : refusalReason(check));
      return {
        status: 'refused',
        impUid: payment.imp_uid,
        payMethod: payment.pay_method ?? null,
        statusReason: refundable ? `${reason} 결제는 환불합니다.` : reason,
        ...(refundable ? { refundPayment: refundPayment(REFUND_REASON) } : {}),
      };
    }
    case 'cancelled':
      if (order.impUid !== payment.imp_uid) return null;
      if (order.status === 'refused') return { refund: 'done' };
      if (order.status === 'paid') return { status: 'cancelled', statusReason: '결제가 취소(환불)되었습니다.' };
      return null;
    case 'failed':
      if (!payable) return null;
      return {
        status: 'failed',
        impUid: payment.imp_uid,
        payMethod: payment.pay_method ?? null,
        statusReason: payment.fail_reason || '결제가 거절되었습니다.',
      };
    case 'ready':
      // The buyer closed the window: nothing was paid, and the order can be paid again.
      if (!payable) return null;
      return { status: 'pending', impUid: payment.imp_uid, statusReason: '결제창을 닫아 결제하지 않았습니다.' };
    default:
      return null;
  }
}

function answerFor(order: Order, payment: Payment): PaymentSyncAnswer {
  const verified = order.status === 'paid' && order.impUid === payment.imp_uid;
  const first = order.kind === 'subscription-first';
  const message = verified
    ? first
      ? firstMonthMessage('paid-at-issuance', order.amount)
      : '결제가 확인되었습니다.'
    : (order.statusReason ?? '결제가 완료되지 않았습니다.');
  return { order, verified, message, ...(first && verified ? { firstCharge: 'paid-at-issuance' as const } : {}) };
}

/**
 * Sends a claimed refund: the whole balance, with the balance when it was claimed as `checksum`, so a
 * repeat (the retry after a lost answer or a crash) cannot refund twice. Answers the order as it stands.
 */
export async function refund(context: PaymentContext, job: RefundJob): Promise<Order | null> {
  const { db, portone, log } = context;
  let done: boolean;
  try {
    const after = await portone.cancelPayment({ impUid: job.impUid, checksum: job.checksum, reason: job.reason });
    done = after.cancel_amount >= after.amount;
  } catch (error) {
    log(`refund of ${job.impUid} failed: ${error instanceof Error ? error.message : String(error)}`);
    // A refund whose answer was lost may have gone through: PortOne then refuses the repeat's checksum.
    const payment = await portone.getPayment(job.impUid, { includeSandbox: true }).catch(() => null);
    done = payment !== null && payment.amount > 0 && payment.cancel_amount >= payment.amount;
    if (!done) return db.finishRefund(job.impUid, 'failed');
  }
  log(`refund of ${job.impUid} for ${job.merchantUid}: ${done ? 'done' : 'partial'}`);
  const order = db.getOrder(job.merchantUid);
  if (done && order?.kind === 'subscription-first' && order.status === 'refused' && order.impUid === job.impUid) {
    // A key issued with another amount is not kept: the subscription never started.
    const subscription = order.subscriptionId === null ? null : db.getSubscription(order.subscriptionId);
    if (subscription) {
      await portone.deleteBillingKey(subscription.customerUid, { reason: REFUND_REASON }).catch(() => undefined);
      db.cancelSubscription(subscription.id);
    }
  }
  return db.finishRefund(job.impUid, done ? 'done' : 'failed');
}

/** For a subscription's first order: the payment must have issued this subscription's key. */
async function billingKeyProblem(context: PaymentContext, order: Order, payment: Payment): Promise<string | null> {
  if (order.kind !== 'subscription-first' || order.subscriptionId === null || payment.status !== 'paid') return null;
  const subscription = context.db.getSubscription(order.subscriptionId);
  if (!subscription) return '구독 정보를 찾을 수 없습니다.';
  if (payment.customer_uid !== subscription.customerUid) return '정기결제 등록이 아닌 결제입니다.';
  const key = await context.portone.getBillingKey(subscription.customerUid);
  return key === null ? '빌링키가 발급되지 않았습니다.' : null;
}

/**
 * Applies PortOne's record of a payment to its order, whichever path brought it (the browser's return,
 * the webhook or a billing-key charge), and sends the refund when this call claimed one.
 */
export async function applyPortonePayment(
  context: PaymentContext,
  payment: Payment,
  check: VerifyPaymentResult,
  source: PaymentFact['source'],
): Promise<PaymentSyncAnswer> {
  const order = context.db.getOrder(payment.merchant_uid);
  if (!order) throw new ShopError(404, '주문을 찾을 수 없습니다.');
  // A billing key's window: did issuing it charge the first month? A shop cannot know beforehand.
  if (order.kind === 'subscription-first' && order.subscriptionId !== null && payment.status === 'paid') {
    const subscription = context.db.getSubscription(order.subscriptionId);
    const issuance = subscription
      ? checkBillingKeyIssuance(
          payment,
          { customerUid: subscription.customerUid, merchantUid: order.merchantUid, amount: order.amount },
          { allowSandbox: context.allowSandbox },
        )
      : null;
    // Nothing charged: the shop charges the first month with the key. Charged (or refused): as any payment.
    if (issuance?.firstCharge === 'not-charged') {
      return settleIssuanceWithoutCharge(withClock(context), order, payment, source);
    }
  }
  const problem = check.verified ? await billingKeyProblem(context, order, payment) : null;
  const fact: PaymentFact = {
    merchantUid: payment.merchant_uid,
    impUid: payment.imp_uid,
    status: payment.status,
    cancelCount: payment.cancel_history?.length ?? 0,
    source,
  };
  const result = context.db.applyPayment(fact, (current) => decideOrderChange(current, payment, check, problem));
  if (result.applied) {
    context.log(`${source}: ${payment.imp_uid} (${payment.status}) → ${payment.merchant_uid} ${result.order.status}`);
  }
  if (result.refundClaimed) {
    context.log(`refund of ${payment.imp_uid} for ${payment.merchant_uid} claimed by ${source}`);
  }
  // A refund seen done at PortOne (its cancel webhook, or the console) needs no retry.
  if (payment.status === 'cancelled') context.db.finishRefund(payment.imp_uid, 'done');
  const settled = result.refundClaimed ? await refund(context, result.refundClaimed) : null;
  // A subscription's month paid or declined (the first one, or a scheduled charge that ran): in the
  // scheduled mode, the next charge is registered with PortOne.
  if (
    result.applied &&
    result.order.subscriptionId !== null &&
    result.order.kind !== 'checkout' &&
    (payment.status === 'paid' || payment.status === 'failed')
  ) {
    context.db.markScheduleExecuted(payment.merchant_uid);
    await scheduleNextCharge(withClock(context), result.order.subscriptionId).catch((error: unknown) =>
      context.log(
        `scheduling after ${payment.merchant_uid}: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
  return answerFor(settled ?? context.db.getOrder(payment.merchant_uid) ?? result.order, payment);
}

/**
 * The browser's report of a window's result: the server asks PortOne itself (verifyPayment with the
 * order's own amount) and never trusts what the browser says about the payment.
 */
export async function syncPayment(
  context: PaymentContext,
  request: { merchantUid: string; impUid: string | null },
): Promise<PaymentSyncAnswer> {
  const { db, portone, allowSandbox } = context;
  const order = db.getOrder(request.merchantUid);
  if (!order) throw new ShopError(404, '주문을 찾을 수 없습니다.');
  const expected = { merchantUid: order.merchantUid, amount: order.amount };
  if (request.impUid !== null) {
    const check = await portone.verifyPayment({ impUid: request.impUid, expected, allowSandbox });
    const payment = check.payment;
    if (payment === null) return { order, verified: false, message: '결제 정보를 찾을 수 없습니다.' };
    if (payment.merchant_uid !== order.merchantUid) {
      throw new ShopError(400, '이 주문의 결제가 아닙니다.', order);
    }
    return applyPortonePayment(context, payment, check, 'browser');
  }
  // No imp_uid (the window refused before any payment existed): look the order's latest payment up.
  const payment = await portone.findPayment(order.merchantUid, { includeSandbox: allowSandbox });
  if (payment === null) return { order, verified: false, message: '결제가 진행되지 않았습니다.' };
  return applyPortonePayment(context, payment, checkPayment(payment, expected, { allowSandbox }), 'browser');
}

/** Registers the order's amount with PortOne, so that the window refuses any other. Best effort. */
export async function prepareAmount(context: PaymentContext, order: Order): Promise<boolean> {
  try {
    await context.portone.preparePayment({ merchantUid: order.merchantUid, amount: order.amount });
    return true;
  } catch (error) {
    // Verification still guards the order: prepare only stops a wrong amount earlier.
    const detail = error instanceof PortoneApiError ? error.portoneMessage : String(error);
    context.log(`prepare of ${order.merchantUid} failed (${detail}); verification still checks the amount`);
    return false;
  }
}

/**
 * Sends again every refund that failed or that a crash left `requested` (its lease lapsed), each with the
 * checksum it was claimed with: PortOne refuses a second refund of the same balance.
 */
export async function retryRefunds(context: PaymentContext): Promise<void> {
  for (const job of context.db.refundsToRetry()) {
    if (!context.db.claimRefund(job.impUid)) continue;
    context.log(`retrying the refund of ${job.impUid} for ${job.merchantUid}`);
    await refund(context, job);
  }
}
