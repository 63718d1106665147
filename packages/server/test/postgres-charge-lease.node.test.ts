import type { Sandbox } from '@portone-kit/sandbox/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChargeLease,
  type ChargeLeaseStore,
  type ChargeRequest,
  createMemoryChargeLeaseStore,
  createPostgresChargeLeaseStore,
  type PortoneClient,
} from '../src/index.js';
import { describePostgres, freshDatabase, manualClock, type TestDatabase } from './postgres-support.js';
import { AGAIN, clientFor, issueBillingKey, seoul, startTestSandbox } from './support.js';

// chargeBillingKey under a merchant_uid's lease: while another caller holds it, this call sends nothing
// and waits; once the holder is done (or its lease lapsed) it charges, and PortOne tells it the truth.

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
  await issueBillingKey(sandbox, 'cust', 9900);
  sandbox.clock.set(seoul(2026, 2, 15));
});
afterEach(() => sandbox.close());

const charge = (merchantUid: string): ChargeRequest => ({
  customerUid: 'cust',
  merchantUid,
  amount: 9900,
  name: '월 구독',
});
const paidIn = (merchantUid: string) =>
  sandbox.store.paymentsFor(merchantUid).filter((payment) => payment.status === 'paid');

/** A store that reports each refused acquire, so a test can wait for "it tried and waits" as an event. */
function watched(store: ChargeLeaseStore) {
  let refusals = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const watchedStore: ChargeLeaseStore = {
    async acquire(merchantUid, holder, ttlMs) {
      const lease = await store.acquire(merchantUid, holder, ttlMs);
      if (lease === null) {
        refusals++;
        for (const waiter of waiters.filter((entry) => entry.count <= refusals)) waiter.resolve();
      }
      return lease;
    },
    release: (lease) => store.release(lease),
  };
  const refused = (count: number) =>
    new Promise<void>((resolve) => {
      if (refusals >= count) resolve();
      else waiters.push({ count, resolve });
    });
  return { store: watchedStore, refused, refusals: () => refusals };
}

/** A fetch that counts the charge requests in flight at once. */
function overlapCounter() {
  let inFlight = 0;
  let most = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    const charging = String(input).endsWith('/subscribe/payments/again');
    if (charging) most = Math.max(most, ++inFlight);
    try {
      return await fetch(input, init);
    } finally {
      if (charging) inFlight--;
    }
  };
  return { fetch: fetchImpl, most: () => most };
}

describe('one client, default leases in its memory', () => {
  it('charges a merchant_uid for one call at a time: one paid, the other told it is paid already', async () => {
    const counter = overlapCounter();
    const client = clientFor(sandbox, { fetch: counter.fetch });
    const results = await Promise.all([
      client.chargeBillingKey(charge('m_twice')),
      client.chargeBillingKey(charge('m_twice')),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['already-paid', 'paid']);
    expect(paidIn('m_twice')).toHaveLength(1);
    expect(counter.most()).toBe(1);
  });

  it('refuses a lease time to live that could not hold a charge, when the client is made', () => {
    const store = createMemoryChargeLeaseStore();
    expect(() => clientFor(sandbox, { leases: { store, ttlMs: 0 } })).toThrow(RangeError);
  });

  it('frees the lease when the charge throws, so the next call is not kept waiting', async () => {
    const client = clientFor(sandbox);
    await expect(client.chargeBillingKey({ ...charge('m_bad'), name: '' })).rejects.toThrow(TypeError);
    await expect(client.chargeBillingKey(charge('m_bad'))).resolves.toMatchObject({ status: 'paid' });
  });
});

describePostgres('instances sharing PostgreSQL leases', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('charge_lease');
  }, 30_000);
  afterAll(() => database?.drop());

  const otherInstance = (now?: () => number) =>
    createPostgresChargeLeaseStore(database.pool, now === undefined ? {} : { now });

  it('sends nothing while another instance holds the lease, then charges once it is released', async () => {
    const holder = otherInstance();
    const held = (await holder.acquire('m_held', 'instance-a', 60_000)) as ChargeLease;
    const { store, refused } = watched(otherInstance());
    const client: PortoneClient = clientFor(sandbox, { leases: { store, holder: 'instance-b' } });
    const pending = client.chargeBillingKey(charge('m_held'));
    await refused(2);
    expect(sandbox.countRequests(AGAIN)).toBe(0);
    await holder.release(held);
    await expect(pending).resolves.toMatchObject({ status: 'paid', confirmedBy: 'answer' });
    expect(paidIn('m_held')).toHaveLength(1);
  });

  it("takes over a crashed holder's lease once it lapses, and not before", async () => {
    const clock = manualClock();
    await otherInstance(clock.now).acquire('m_crashed', 'instance-a', 60_000);
    const { store, refused, refusals } = watched(otherInstance(clock.now));
    const client = clientFor(sandbox, { leases: { store, ttlMs: 60_000 } });
    const pending = client.chargeBillingKey(charge('m_crashed'));
    clock.advance(59_999);
    // Two more refusals: at least one acquire began after the clock moved, and still found it held.
    await refused(refusals() + 2);
    expect(sandbox.countRequests(AGAIN)).toBe(0);
    clock.advance(1);
    await expect(pending).resolves.toMatchObject({ status: 'paid' });
  });

  it('sends nothing when the lease store fails, and says so', async () => {
    const broken: ChargeLeaseStore = {
      acquire: () => Promise.reject(new Error('connection refused')),
      release: () => undefined,
    };
    const client = clientFor(sandbox, { leases: { store: broken } });
    await expect(client.chargeBillingKey(charge('m_no_store'))).rejects.toThrow('connection refused');
    expect(sandbox.countRequests(AGAIN)).toBe(0);
  });
});
