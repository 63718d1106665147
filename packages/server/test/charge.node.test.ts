import { createClock, type Sandbox, startSandbox } from '@portone-kit/sandbox/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChargeRequest,
  type ChargeResult,
  PortoneApiError,
  type PortoneClient,
  type PortoneClientOptions,
  PortoneNetworkError,
  PortoneTimeoutError,
} from '../src/node.js';
import { createDrivenNetwork, type DrivenNetwork } from './driven-network.js';
import { AGAIN, clientFor, FIND, FIND_BY_STATUS, issueBillingKey, seoul, tokenRequests } from './support.js';

// Time is the sandbox's clock, moved by the driven network only while no request is on its way: a
// charge held "late" always outlives the client's 150 ms, and the settle time is counted on that clock.

let sandbox: Sandbox;
let network: DrivenNetwork;
let client: PortoneClient;

/** A client whose every request and wait goes through the driven network. */
const drivenClient = (options: Partial<PortoneClientOptions> = {}) =>
  clientFor(sandbox, {
    fetch: network.fetch,
    timers: network.timers,
    timeoutMs: 150,
    chargeSettleMs: 1500,
    ...options,
  });

/** Charges through the driven network, moving its clock until the charge and all it set off are over. */
const chargeOn = (on: PortoneClient, request: ChargeRequest) => network.drive(on.chargeBillingKey(request));

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, clock: createClock(seoul(2026, 1, 15)) });
  network = createDrivenNetwork(sandbox);
  await issueBillingKey(sandbox, 'cust', 9900);
  sandbox.clock.set(seoul(2026, 2, 15));
  client = drivenClient();
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
    const result = await chargeOn(client, charge('m_drop'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup', payment: { merchant_uid: 'm_drop' } });
    expect(sandbox.store.paymentsFor('m_drop')).toEqual([expect.objectContaining({ status: 'paid' })]);
    sentOnce();
    // The paid lookup finds it at once.
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBe(1);
    expect(sandbox.countRequests(FIND)).toBe(0);
  });

  it('answered 5xx after PortOne charged: found paid', async () => {
    sandbox.faults.set(AGAIN, { statusAfterCommit: 502, times: 1 });
    const result = await chargeOn(client, charge('m_502'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
    sentOnce();
  });

  it('answered 500 before PortOne did anything: not charged, after a single lookup', async () => {
    sandbox.faults.set(AGAIN, { status: 500, times: 1 });
    const result = await chargeOn(client, charge('m_500'));
    expect(result.status).toBe('not-charged');
    if (result.status !== 'not-charged') return;
    expect(result.error).toMatchObject({ httpStatus: 500 });
    expect(sandbox.store.paymentsFor('m_500')).toHaveLength(0);
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBe(1);
    sentOnce();
  });

  it('answered 504 by a gateway while PortOne still charges: looked for until it shows up paid', async () => {
    network.misfortune(AGAIN, { kind: 'gateway-then-commit', afterMs: 300 }, 1);
    const result = await chargeOn(client, charge('m_504'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBeGreaterThan(1);
    sentOnce();
  });

  it('answered 503 and never carried out: not charged once the settle time is over', async () => {
    sandbox.faults.set(AGAIN, { status: 503, times: 1 });
    const result = await chargeOn(drivenClient({ chargeSettleMs: 300 }), charge('m_503'));
    expect(result).toMatchObject({ status: 'not-charged', error: { httpStatus: 503 } });
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBeGreaterThan(1);
    expect(sandbox.store.paymentsFor('m_503')).toHaveLength(0);
  });

  it('timed out while PortOne was still charging: looked for until it shows up paid', async () => {
    // PortOne finishes after the client gave up at 150 ms.
    network.misfortune(AGAIN, { kind: 'late' }, 1);
    const result = await chargeOn(client, charge('m_slow'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
    expect(sandbox.countRequests(FIND_BY_STATUS)).toBeGreaterThan(1);
    expect(sandbox.store.paymentsFor('m_slow')).toHaveLength(1);
    sentOnce();
  });

  it('timed out and declined meanwhile: reported declined with the PG’s reason', async () => {
    network.misfortune(AGAIN, { kind: 'late' }, 1);
    const result = await chargeOn(client, charge('m_slow_decline', 5000));
    expect(result).toMatchObject({ status: 'declined', confirmedBy: 'lookup' });
    if (result.status === 'declined') expect(result.failReason).toMatch(/같은 금액/);
  });

  it('timed out and never carried out: not charged once the settle time is over', async () => {
    const settled = drivenClient({ chargeSettleMs: 300 });
    // Lost on the way: the client's timeout comes first, and PortOne never sees it.
    network.misfortune(AGAIN, { kind: 'lost' }, 1);
    const result = await chargeOn(settled, charge('m_lost'));
    expect(result.status).toBe('not-charged');
    if (result.status === 'not-charged') expect(result.error).toBeInstanceOf(PortoneTimeoutError);
    expect(sandbox.store.paymentsFor('m_lost')).toHaveLength(0);
    expect(network.sent(AGAIN)).toBe(1);
    expect(sandbox.countRequests(AGAIN)).toBe(0);
  });

  it('dropped, and the lookup fails too: unknown, with both errors and advice to look again', async () => {
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    sandbox.faults.set(FIND, { status: 500 });
    sandbox.faults.set(FIND_BY_STATUS, { status: 500 });
    const result = await chargeOn(drivenClient({ chargeSettleMs: 0 }), charge('m_unknown'));
    expect(result.status).toBe('unknown');
    if (result.status !== 'unknown') return;
    expect(result.error).toBeInstanceOf(PortoneNetworkError);
    expect(result.lookupError).toMatchObject({ httpStatus: 500, endpoint: 'GET /payments/find/m_unknown/paid' });
    sentOnce();
    // What the merchant does next: the same merchant_uid again, which reports it paid and charges nothing.
    sandbox.faults.clear();
    expect(await chargeOn(client, charge('m_unknown'))).toMatchObject({ status: 'already-paid' });
    expect(sandbox.store.paymentsFor('m_unknown')).toHaveLength(1);
  });

  it('refused 401 as the token expired: renewed, sent once more, paid', async () => {
    await client.getBillingKey('cust');
    sandbox.expireTokensNow();
    const result: ChargeResult = await chargeOn(client, charge('m_401'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'answer' });
    expect(tokenRequests(sandbox)).toBe(2);
    expect(sandbox.requests.filter((request) => request.route === AGAIN).map((request) => request.status)).toEqual([
      401, 200,
    ]);
  });

  it('dropped with an expired token (nothing done): the lookup renews the token and finds nothing', async () => {
    const warm = drivenClient({ chargeSettleMs: 200 });
    await warm.getBillingKey('cust');
    sandbox.expireTokensNow();
    // The 401 answer is the one dropped: the client cannot tell it from a charge's lost answer.
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    const result = await chargeOn(warm, charge('m_401_drop'));
    expect(result.status).toBe('not-charged');
    expect(sandbox.store.paymentsFor('m_401_drop')).toHaveLength(0);
  });
});

describe('a charge PortOne refuses with a business error', () => {
  it('is refused when the lookup finds no paid payment', async () => {
    const result = await chargeOn(client, { ...charge('m_nobody'), customerUid: 'nobody' });
    expect(result).toMatchObject({ status: 'refused', error: { httpStatus: 200, portoneCode: -1 } });
  });

  it('is unknown, not refused, when that lookup fails', async () => {
    sandbox.faults.set(FIND_BY_STATUS, { status: 500 });
    const result = await chargeOn(client, { ...charge('m_nobody'), customerUid: 'nobody' });
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
    network.misfortune(AGAIN, { kind: 'late' }, 1);
    const result = await chargeOn(client, charge('m_again_slow'));
    expect(result).toMatchObject({ status: 'paid', confirmedBy: 'lookup' });
  });

  it('when the retry never happened: not charged once the settle time is over', async () => {
    await declinedFirst('m_again_lost');
    const settled = drivenClient({ chargeSettleMs: 300 });
    network.misfortune(AGAIN, { kind: 'lost' }, 1);
    const result = await chargeOn(settled, charge('m_again_lost'));
    expect(result.status).toBe('not-charged');
    expect(network.sent(AGAIN)).toBe(1);
  });

  it('when the retry is declined too: declined, by the new payment', async () => {
    await declinedFirst('m_again_declined');
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    const result = await chargeOn(client, charge('m_again_declined', 5000));
    expect(result).toMatchObject({ status: 'declined', confirmedBy: 'lookup' });
    if (result.status !== 'declined') return;
    const [, second] = sandbox.store.paymentsFor('m_again_declined');
    expect(result.payment.imp_uid).toBe(second?.imp_uid);
  });
});

describe('a charge that never leaves', () => {
  it('is not charged when no token can be had, and the charge request is never sent', async () => {
    sandbox.faults.set('POST /users/getToken', { status: 503 });
    const result = await chargeOn(client, charge('m_no_token'));
    expect(result.status).toBe('not-charged');
    if (result.status === 'not-charged') expect(result.error).toBeInstanceOf(PortoneApiError);
    expect(sandbox.countRequests(AGAIN)).toBe(0);
  });
});
