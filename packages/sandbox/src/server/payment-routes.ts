import { toSeconds } from './clock.js';
import { InputError } from './input.js';
import { seoulMonthAt } from './monthly-rule.js';
import { businessError, httpError, NOT_FOUND_PAYMENT, type Reply, success } from './reply.js';
import { param, type Route, type RouteCall } from './routes.js';
import { randomId } from './store.js';
import type { PaymentStatus, SandboxPayment } from './types.js';

const STATUSES: readonly PaymentStatus[] = ['ready', 'paid', 'cancelled', 'failed'];

/**
 * Every sandbox payment is a test-channel payment, and since 2026-01-26 PortOne hides those unless the
 * query says `include_sandbox=true`. The sandbox applies that to the `find` routes too (UNCONFIRMED:
 * PortOne documents it for `GET /payments/{imp_uid}` only), so a client that forgets it fails everywhere.
 */
const visible = (call: RouteCall, payment: SandboxPayment | undefined): payment is SandboxPayment =>
  payment !== undefined && (!payment.sandbox || call.query.get('include_sandbox') === 'true');

const updatedAt = (payment: SandboxPayment) =>
  Math.max(payment.started_at, payment.paid_at, payment.failed_at, payment.cancelled_at);

// A Map, not an object literal: `sorting=__proto__` or `-hasOwnProperty` must find nothing, not Object's own.
const SORTINGS = new Map<string, (payment: SandboxPayment) => number>([
  ['started', (payment) => payment.started_at],
  ['paid', (payment) => payment.paid_at],
  ['updated', updatedAt],
]);

function getToken({ engine, input }: RouteCall): Reply {
  const impKey = input.optionalString('imp_key');
  const impSecret = input.optionalString('imp_secret');
  if (impKey === null || impSecret === null) return httpError(400, 'imp_key, imp_secret 파라메터가 누락되었습니다.');
  if (impKey !== engine.impKey || impSecret !== engine.impSecret) {
    return httpError(401, '아임포트 API 인증에 실패하였습니다.');
  }
  return success(engine.tokens.issue());
}

function getPayment(call: RouteCall): Reply {
  const payment = call.engine.state.payments.get(param(call, 'imp_uid'));
  return visible(call, payment) ? success(payment) : httpError(404, NOT_FOUND_PAYMENT);
}

/** The payment of a merchant_uid PortOne picks: the first by `sorting` (default: the latest started). */
function findPayment(call: RouteCall): Reply {
  const status = call.params.payment_status;
  if (status !== undefined && !STATUSES.includes(status as PaymentStatus)) {
    throw new InputError(`payment_status must be one of ${STATUSES.join(', ')}`);
  }
  const sorting = call.query.get('sorting') ?? '-started';
  const key = SORTINGS.get(sorting.replace(/^-/, ''));
  if (key === undefined)
    throw new InputError('sorting must be one of -started, started, -paid, paid, -updated, updated');
  const direction = sorting.startsWith('-') ? -1 : 1;
  const candidates = call.engine.state
    .paymentsFor(param(call, 'merchant_uid'))
    .map((payment, order) => ({ payment, order }))
    .filter(({ payment }) => visible(call, payment) && (status === undefined || payment.status === status))
    // Equal times keep the order of creation, reversed with the direction.
    .sort((a, b) => direction * (key(a.payment) - key(b.payment) || a.order - b.order));
  const found = candidates[0]?.payment;
  return found ? success(found) : httpError(404, NOT_FOUND_PAYMENT);
}

/**
 * Full or partial refunds. Choices where PortOne's behaviour is UNCONFIRMED: a partial cancel leaves
 * `status: 'paid'` (with `cancel_amount` and `cancel_history` telling the refunds) and the last one makes
 * it `cancelled`. Phone payments follow the rules PortOne's checklist gives for them: no partial cancel
 * with Mobilians, and only within the calendar month of the payment.
 */
function cancelPayment({ engine, input }: RouteCall): Reply {
  const impUid = input.optionalString('imp_uid');
  const merchantUid = input.optionalString('merchant_uid');
  if (impUid === null && merchantUid === null) throw new InputError('imp_uid or merchant_uid is required');
  const amount = input.optionalNumber('amount');
  const checksum = input.optionalNumber('checksum');
  const reason = input.optionalString('reason');
  const enableWebhook = input.boolean('enable_webhook') ?? false;
  if (amount !== null && (!Number.isInteger(amount) || amount < 0)) {
    throw new InputError('amount must be a whole number of won');
  }

  const { state } = engine;
  // imp_uid wins when both are given; by merchant_uid, its paid payment.
  const payment =
    impUid !== null
      ? state.payments.get(impUid)
      : (state.paidPayment(merchantUid ?? '') ?? state.paymentsFor(merchantUid ?? '').at(-1));
  if (payment === undefined) return businessError(1, '취소할 결제건이 존재하지 않습니다.');
  if (payment.status === 'cancelled') return businessError(1, '이미 전액취소된 주문입니다.');
  if (payment.status !== 'paid')
    return businessError(1, `결제완료 상태가 아닌 결제건은 취소할 수 없습니다 (${payment.status}).`);

  const balance = payment.amount - payment.cancel_amount;
  if (checksum !== null && checksum !== balance) {
    return businessError(1, `[checksum] 취소 가능 잔액(${balance}원)과 checksum(${checksum}원)이 일치하지 않습니다.`);
  }
  const refund = amount === null || amount === 0 ? balance : amount;
  if (refund > balance) return businessError(1, `취소 가능 잔액(${balance}원)보다 큰 금액은 취소할 수 없습니다.`);
  const nowMs = engine.clock.now();
  if (payment.pay_method === 'phone') {
    if (refund !== balance) return businessError(1, 'KG모빌리언스 휴대폰 결제는 부분취소할 수 없습니다.');
    if (seoulMonthAt(payment.paid_at * 1000) !== seoulMonthAt(nowMs)) {
      return businessError(
        1,
        `휴대폰 결제는 결제한 달(${seoulMonthAt(payment.paid_at * 1000)}) 안에만 취소할 수 있습니다.`,
      );
    }
  }

  const cancelledAt = toSeconds(nowMs);
  const cancellation = {
    pg_tid: payment.pg_tid ?? randomId('mobilians_'),
    amount: refund,
    cancelled_at: cancelledAt,
    reason: reason ?? '',
    cancellation_id: randomId('cancel_'),
    receipt_url: '',
  };
  payment.cancel_amount += refund;
  payment.cancel_history.push(cancellation);
  payment.cancelled_at = cancelledAt;
  payment.cancel_reason = reason;
  if (payment.cancel_amount === payment.amount) payment.status = 'cancelled';
  if (enableWebhook) {
    // The event is a cancellation even when a partial one leaves the payment paid.
    engine.webhooks.send(
      {
        imp_uid: payment.imp_uid,
        merchant_uid: payment.merchant_uid,
        status: 'cancelled',
        cancellation_id: cancellation.cancellation_id,
      },
      state.noticeUrls.get(payment.imp_uid) ?? [],
    );
  }
  return success(payment);
}

/**
 * Registers the amount a window payment must have. Registering again with the same amount answers the
 * same record; with another amount it is refused (UNCONFIRMED: PortOne has `PUT /payments/prepare` to
 * change it, which the sandbox does not emulate).
 */
function preparePayment({ engine, input }: RouteCall): Reply {
  const merchantUid = input.string('merchant_uid', 40);
  const amount = input.integer('amount', 0);
  const currency = input.optionalString('currency') ?? 'KRW';
  if (currency !== 'KRW') throw new InputError('currency must be KRW for KG Mobilians');
  const existing = engine.state.prepared.get(merchantUid);
  if (existing !== undefined && existing.amount !== amount) {
    return businessError(1, `이미 사전등록된 merchant_uid입니다 (등록 금액 ${existing.amount}원).`);
  }
  const prepared = existing ?? { merchant_uid: merchantUid, amount, currency: 'KRW' as const };
  engine.state.prepared.set(merchantUid, prepared);
  return success(prepared);
}

function getPrepared(call: RouteCall): Reply {
  const prepared = call.engine.state.prepared.get(param(call, 'merchant_uid'));
  return prepared ? success(prepared) : httpError(404, '사전등록된 결제정보가 존재하지 않습니다.');
}

function sdkScript({ engine }: RouteCall): Reply {
  return {
    status: 200,
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'access-control-allow-origin': '*',
      'cache-control': 'no-store',
    },
    body: engine.sdkScript,
  };
}

export const paymentRoutes: Route[] = [
  { method: 'POST', pattern: '/users/getToken', kind: 'api', auth: false, handle: getToken },
  { method: 'GET', pattern: '/payments/find/:merchant_uid', kind: 'api', auth: true, handle: findPayment },
  {
    method: 'GET',
    pattern: '/payments/find/:merchant_uid/:payment_status',
    kind: 'api',
    auth: true,
    handle: findPayment,
  },
  { method: 'GET', pattern: '/payments/prepare/:merchant_uid', kind: 'api', auth: true, handle: getPrepared },
  { method: 'GET', pattern: '/payments/:imp_uid', kind: 'api', auth: true, handle: getPayment },
  { method: 'POST', pattern: '/payments/cancel', kind: 'api', auth: true, handle: cancelPayment },
  { method: 'POST', pattern: '/payments/prepare', kind: 'api', auth: true, handle: preparePayment },
  { method: 'GET', pattern: '/v1/iamport.js', kind: 'script', auth: false, handle: sdkScript },
];
