import type { Sandbox } from '@portone-kit/sandbox/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ChargeRequest,
  type ChargeResult,
  PortoneApiError,
  type PortoneClient,
  PortoneNetworkError,
  PortoneTimeoutError,
} from '../src/index.js';
import {
  AGAIN,
  clientFor,
  FIND,
  FIND_BY_STATUS,
  issueBillingKey,
  seoul,
  startTestSandbox,
  tokenRequests,
} from './support.js';

let sandbox: Sandbox;
let client: PortoneClient;

beforeEach(async () => {
  sandbox = await startTestSandbox();
  await issueBillingKey(sandbox, 'cust', 9900);
  sandbox.clock.set(seoul(2026, 2, 15));
  client = clientFor(sandbox, { timeoutMs: 150, chargeSettleMs: 1500 });
});
afterEach(() => sandbox.close());

const charge = (merchantUid: string, amount = 9900): ChargeRequest => ({
  customerUid: 'cust',
  merchantUid,
  amount,
  name: '월 구독',
});

/** The charge was sent exactly once (not counting a 401, which PortOne refuses before any work). */
const sentOnce = () =>
  expect(sandbox.requests.filter((request) => request.route === AGAIN && request.status !== 401)).toHaveLength(1);

describe('a charge whose answer is lost', () => {
  it('dropped after PortOne charged: found paid by its merchant_uid, not sent again', async () => {
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    const result = await client.chargeBillingKey(charge('m_drop'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup', payment: { merchant_uid: 'm_drop' } });
    expect(sandbox.store.paymentsFor('m_drop')).toEqual([expect.objectContaining({ status: 'paid' })]);
    sentOnce();
    // The paid lookup finds it at once.
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBe(1);
    expect(sandbox.countRequests(FIND)).toBe(0);
  });

  it('answered 5xx after PortOne charged: found paid', async () => {
    sandbox.faults.set(AGAIN, { statusAfterCommit: 502, times: 1 });
    const result = await client.chargeBillingKey(charge('m_502'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
    sentOnce();
  });

  it('answered 500 before PortOne did anything: not charged, after a single lookup', async () => {
    sandbox.faults.set(AGAIN, { status: 500, times: 1 });
    const result = await client.chargeBillingKey(charge('m_500'));
    expect(result.status).toBe('not-charged');
    if (result.status !== 'not-charged') return;
    expect(result.error).toMatchObject({ httpStatus: 500 });
    expect(sandbox.store.paymentsFor('m_500')).toHaveLength(0);
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBe(1);
    sentOnce();
  });

  it('answered 504 by a gateway while PortOne still charges: looked for until it shows up paid', async () => {
    sandbox.faults.set(AGAIN, { statusThenCommit: 504, commitAfterMs: 300, times: 1 });
    const result = await client.chargeBillingKey(charge('m_504'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBeGreaterThan(1);
    sentOnce();
  });

  it('answered 503 and never carried out: not charged once the settle time is over', async () => {
    sandbox.faults.set(AGAIN, { status: 503, times: 1 });
    const result = await clientFor(sandbox, { chargeSettleMs: 300 }).chargeBillingKey(charge('m_503'));
    expect(result).toMatchObject({ status: 'not-charged', error: { httpStatus: 503 } });
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBeGreaterThan(1);
    expect(sandbox.store.paymentsFor('m_503')).toHaveLength(0);
  });

  it('timed out while PortOne was still charging: looked for until it shows up paid', async () => {
    // PortOne finishes 400 ms after the client gave up at 150 ms.
    sandbox.faults.set(AGAIN, { latencyMs: 400, times: 1 });
    const result = await client.chargeBillingKey(charge('m_slow'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBeGreaterThan(1);
    expect(sandbox.store.paymentsFor('m_slow')).toHaveLength(1);
    sentOnce();
  });

  it('timed out and declined meanwhile: reported declined with the PG’s reason', async () => {
    sandbox.faults.set(AGAIN, { latencyMs: 300, times: 1 });
    const result = await client.chargeBillingKey(charge('m_slow_decline', 5000));
    expect(result).toMatchObject({ status: 'declined', confirmedBy: 'lookup' });
    if (result.status === 'declined') expect(result.failReason).toMatch(/같은 금액/);
  });

  it('timed out and never carried out: not charged once the settle time is over', async () => {
    const settled = clientFor(sandbox, { timeoutMs: 150, chargeSettleMs: 300 });
    // Refused before any work after the wait: the client's timeout comes first, and nothing is stored.
    sandbox.faults.set(AGAIN, { latencyMs: 600, status: 503, times: 1 });
    const result = await settled.chargeBillingKey(charge('m_lost'));
    expect(result.status).toBe('not-charged');
    if (result.status === 'not-charged') expect(result.error).toBeInstanceOf(PortoneTimeoutError);
    expect(sandbox.store.paymentsFor('m_lost')).toHaveLength(0);
    // The sandbox logs the request once it answers, after the client has stopped waiting.
    await vi.waitFor(sentOnce);
  });

  it('dropped, and the lookup fails too: unknown, with both errors and advice to look again', async () => {
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    sandbox.faults.set(FIND, { status: 500 });
    sandbox.faults.set(FIND_BY_STATUS, { status: 500 });
    const result = await clientFor(sandbox, { chargeSettleMs: 0 }).chargeBillingKey(charge('m_unknown'));
    expect(result.status).toBe('unknown');
    if (result.status !== 'unknown') return;
    expect(result.error).toBeInstanceOf(PortoneNetworkError);
    expect(result.lookupError).toMatchObject({ httpStatus: 500, endpoint: 'GET /payments/find/m_unknown/paid' });
    sentOnce();
    // What the merchant does next: the same merchant_uid again, which reports it paid and charges nothing.
    sandbox.faults.clear();
    expect(await client.chargeBillingKey(charge('m_unknown'))).toMatchObject({ status: 'already-paid' });
    expect(sandbox.store.paymentsFor('m_unknown')).toHaveLength(1);
  });

  it('refused 401 as the token expired: renewed, sent once more, paid', async () => {
    await client.getBillingKey('cust');
    sandbox.expireTokensNow();
    const result: ChargeResult = await client.chargeBillingKey(charge('m_401'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'answer' });
    expect(tokenRequests(sandbox)).toBe(2);
    expect(sandbox.requests.filter((request) => request.route === AGAIN).map((request) => request.status)).toEqual([
      401, 200,
    ]);
  });

  it('dropped with an expired token (nothing done): the lookup renews the token and finds nothing', async () => {
    const warm = clientFor(sandbox, { chargeSettleMs: 200 });
    await warm.getBillingKey('cust');
    sandbox.expireTokensNow();
    // The 401 answer is the one dropped: the client cannot tell it from a charge's lost answer.
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    const result = await warm.chargeBillingKey(charge('m_401_drop'));
    expect(result.status).toBe('not-charged');
    expect(sandbox.store.paymentsFor('m_401_drop')).toHaveLength(0);
  });
});

describe('a charge PortOne refuses with a business error', () => {
  it('is refused when the lookup finds no paid payment', async () => {
    const result = await client.chargeBillingKey({ ...charge('m_nobody'), customerUid: 'nobody' });
    expect(result).toMatchObject({ status: 'refused', error: { httpStatus: 200, portoneCode: -1 } });
  });

  it('is unknown, not refused, when that lookup fails', async () => {
    sandbox.faults.set(FIND_BY_STATUS, { status: 500 });
    const result = await client.chargeBillingKey({ ...charge('m_nobody'), customerUid: 'nobody' });
    expect(result).toMatchObject({
      status: 'unknown',
      error: { httpStatus: 200, portoneCode: -1 },
      lookupError: { httpStatus: 500 },
    });
  });
});

describe('a retry after a decline, whose answer is lost', () => {
  /** A declined first attempt of `merchantUid` a minute before the retry, from another client. */
  async function declinedFirst(merchantUid: string) {
    sandbox.clock.set(seoul(2026, 2, 15, 9, 59));
    expect(await clientFor(sandbox).chargeBillingKey(charge(merchantUid, 5000))).toMatchObject({
      status: 'declined',
    });
    sandbox.clock.set(seoul(2026, 2, 15, 10, 0));
  }

  it('while the retry is still charging: paid, not the old decline', async () => {
    await declinedFirst('m_again_slow');
    sandbox.faults.set(AGAIN, { latencyMs: 400, times: 1 });
    const result = await client.chargeBillingKey(charge('m_again_slow'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
  });

  it('when the retry never happened: not charged once the settle time is over', async () => {
    await declinedFirst('m_again_lost');
    const settled = clientFor(sandbox, { timeoutMs: 150, chargeSettleMs: 300 });
    sandbox.faults.set(AGAIN, { latencyMs: 600, status: 503, times: 1 });
    const result = await settled.chargeBillingKey(charge('m_again_lost'));
    expect(result.status).toBe('not-charged');
    await vi.waitFor(() => expect(sandbox.countRequests(AGAIN)).toBe(2));
  });

  it('when the retry is declined too: declined, by the new payment', async () => {
    await declinedFirst('m_again_declined');
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    const result = await client.chargeBillingKey(charge('m_again_declined', 5000));
    expect(result).toMatchObject({ status: 'declined', confirmedBy: 'lookup' });
    if (result.status !== 'declined') return;
    const [, second] = sandbox.store.paymentsFor('m_again_declined');
    expect(result.payment.imp_uid).toBe(second?.imp_uid);
  });
});

describe('a charge that never leaves', () => {
  it('is not charged when no token can be had, and the charge request is never sent', async () => {
    sandbox.faults.set('POST /users/getToken', { status: 503 });
    const result = await client.chargeBillingKey(charge('m_no_token'));
    expect(result.status).toBe('not-charged');
    if (result.status === 'not-charged') expect(result.error).toBeInstanceOf(PortoneApiError);
    expect(sandbox.countRequests(AGAIN)).toBe(0);
  });
});
