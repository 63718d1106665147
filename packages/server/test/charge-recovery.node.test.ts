import { describe, expect, it } from 'vitest';
import { createChargeBillingKey } from '../src/charge.js';
import { PortoneApiError, type PortoneError, PortoneNetworkError, PortoneTimeoutError } from '../src/errors.js';
import type { ClientTimers } from '../src/timers.js';
import type { CallOutcome, CallSpec, Transport } from '../src/transport.js';
import type { Payment } from '../src/types.js';

// The exactly-once charge against a fake PortOne: no HTTP, and a clock that moves only when the charge
// waits, so that every settle window is decided here, not by the machine's speed.

const CALLED_AT_MS = Date.UTC(2026, 1, 15, 1);
const seconds = (ms: number) => Math.floor(ms / 1000);

const payment = (fields: Partial<Payment>): Payment =>
  ({
    imp_uid: 'imp_1',
    merchant_uid: 'm_1',
    amount: 9900,
    cancel_amount: 0,
    currency: 'KRW',
    sandbox: true,
    status: 'paid',
    started_at: seconds(CALLED_AT_MS),
    ...fields,
  }) as Payment;

type Answer = CallOutcome<unknown>;
const ok = (value: unknown): Answer => ({ ok: true, value });
const lost = (error: PortoneError): Answer => ({ ok: false, error, sent: true });
const none = (): Answer => lost(new PortoneApiError('GET /payments/find', 404, 1, '존재하지 않는 결제정보입니다.'));

/** A PortOne that answers each call with the script's next answer for its route, and records the calls. */
function fakePortone(script: { charge: Answer; find?: (call: { status: string | null; atMs: number }) => Answer }) {
  let nowMs = CALLED_AT_MS;
  const calls: string[] = [];
  const transport: Transport = {
    async call<T>(spec: CallSpec<T>) {
      calls.push(`${spec.method} ${spec.path}`);
      if (spec.path === '/subscribe/payments/again') return script.charge as CallOutcome<T>;
      const status = /^\/payments\/find\/[^/]+\/(\w+)$/.exec(spec.path)?.[1] ?? null;
      return (script.find?.({ status, atMs: nowMs }) ?? none()) as CallOutcome<T>;
    },
    clockOffsetMs: () => 0,
  };
  const timers: ClientTimers = {
    now: () => nowMs,
    setTimeout(callback, ms) {
      nowMs += ms;
      queueMicrotask(callback);
      return null;
    },
    clearTimeout() {},
  };
  const charge = (settleMs = 10_000) =>
    createChargeBillingKey({ transport, settleMs, timers })({
      customerUid: 'cust',
      merchantUid: 'm_1',
      amount: 9900,
      name: '월 구독',
    });
  return { charge, calls, elapsedMs: () => nowMs - CALLED_AT_MS };
}

const charges = (calls: string[]) => calls.filter((call) => call.startsWith('POST')).length;

describe('the exactly-once charge, without HTTP', () => {
  it('answered: paid, with no lookup', async () => {
    const portone = fakePortone({ charge: ok(payment({})) });
    expect(await portone.charge()).toMatchObject({ status: 'paid', confirmedBy: 'answer' });
    expect(portone.calls).toEqual(['POST /subscribe/payments/again']);
  });

  it('answer lost after PortOne charged: found paid by merchant_uid, sent once', async () => {
    const portone = fakePortone({
      charge: lost(new PortoneNetworkError('POST /subscribe/payments/again')),
      find: ({ status }) => (status === 'paid' ? ok(payment({})) : none()),
    });
    expect(await portone.charge()).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
    expect(charges(portone.calls)).toBe(1);
  });

  it('timed out while PortOne still works: looked for until it shows up paid, within the settle time', async () => {
    const portone = fakePortone({
      charge: lost(new PortoneTimeoutError('POST /subscribe/payments/again', 20_000)),
      find: ({ status, atMs }) => (status === 'paid' && atMs - CALLED_AT_MS >= 1000 ? ok(payment({})) : none()),
    });
    expect(await portone.charge()).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
    expect(portone.elapsedMs()).toBeLessThan(10_000);
    expect(charges(portone.calls)).toBe(1);
  });

  it('timed out and nothing shows up: not charged once the settle time is over, never sent again', async () => {
    const portone = fakePortone({ charge: lost(new PortoneTimeoutError('POST /subscribe/payments/again', 20_000)) });
    expect(await portone.charge(3000)).toMatchObject({ status: 'not-charged' });
    expect(portone.elapsedMs()).toBe(3000);
    expect(charges(portone.calls)).toBe(1);
  });

  it('a 500 came from a server done with the request: one lookup tells, with no wait', async () => {
    const portone = fakePortone({ charge: lost(new PortoneApiError('POST /subscribe/payments/again', 500, -1, 'x')) });
    expect(await portone.charge()).toMatchObject({ status: 'not-charged', error: { httpStatus: 500 } });
    expect(portone.elapsedMs()).toBe(0);
  });

  it('an earlier attempt’s decline is not this charge’s answer', async () => {
    const earlier = payment({ status: 'failed', started_at: seconds(CALLED_AT_MS) - 3600 });
    const portone = fakePortone({
      charge: lost(new PortoneNetworkError('POST /subscribe/payments/again')),
      find: ({ status }) => (status === null ? ok(earlier) : none()),
    });
    expect(await portone.charge(0)).toMatchObject({ status: 'not-charged' });
  });

  it('this charge’s own decline, found by lookup: declined with its reason', async () => {
    const ours = payment({ status: 'failed', fail_reason: '한도 초과' });
    const portone = fakePortone({
      charge: lost(new PortoneNetworkError('POST /subscribe/payments/again')),
      find: ({ status }) => (status === null ? ok(ours) : none()),
    });
    expect(await portone.charge()).toMatchObject({
      status: 'declined',
      failReason: '한도 초과',
      confirmedBy: 'lookup',
    });
  });

  it('answer and lookup both lost: unknown, with both errors', async () => {
    const lookupError = new PortoneNetworkError('GET /payments/find');
    const portone = fakePortone({
      charge: lost(new PortoneNetworkError('POST /subscribe/payments/again')),
      find: () => lost(lookupError),
    });
    expect(await portone.charge(0)).toMatchObject({ status: 'unknown', lookupError });
  });

  it('refused because the merchant_uid is paid already: already-paid', async () => {
    const portone = fakePortone({
      charge: lost(new PortoneApiError('POST /subscribe/payments/again', 200, 1, '이미 결제된 건')),
      find: ({ status }) => (status === 'paid' ? ok(payment({ imp_uid: 'imp_before' })) : none()),
    });
    expect(await portone.charge()).toMatchObject({ status: 'already-paid', payment: { imp_uid: 'imp_before' } });
  });

  it('refused, and nothing paid under the merchant_uid: refused', async () => {
    const portone = fakePortone({
      charge: lost(new PortoneApiError('POST /subscribe/payments/again', 200, 1, '등록되지 않은 customer_uid')),
    });
    expect(await portone.charge()).toMatchObject({ status: 'refused' });
  });
});
