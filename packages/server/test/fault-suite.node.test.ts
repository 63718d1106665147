import { createClock, type Sandbox, type SandboxFault, startSandbox } from '@portone-kit/sandbox/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChargeResult, type PortoneClient, PortoneError } from '../src/index.js';
import { AGAIN, clientFor, FIND, FIND_BY_STATUS, issueBillingKey, seoul, tokenRequests } from './support.js';

// 1,000 billing-key charges through injected faults, judged by the emulator's store, never by the
// client's own report: no merchant_uid is charged twice, no charge is lost, and every report is true.

const FIRST_ROUND = 900;
const REPEATS = 100;
const BATCH = 20;
const SEED = 20260215;
/** Longer than the client's timeout (250 ms), shorter than its settle time (1,200 ms). */
const LATE_MS = 500;

/** mulberry32: the same faults on every run, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

interface Operation {
  merchantUid: string;
  customerUid: string;
  /** 9900 passes KG Mobilians' rule for these keys; 5000 is declined by it. */
  amount: 9900 | 5000;
  result?: ChargeResult;
}

let sandbox: Sandbox;
let client: PortoneClient;
const next = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const faultLog: string[] = [];

/** One batch's misfortune: a fault on the charge route, perhaps one on the lookup, perhaps a token expiry. */
function injectFaults(): { expireAfterMs: number | null; lateMs: number } {
  sandbox.faults.clear();
  const times = 1 + Math.floor(next() * 6);
  const again: [string, SandboxFault | null][] = [
    ['none', null],
    ['none', null],
    ['drop after commit', { dropAfterCommit: true, times }],
    ['drop after commit', { dropAfterCommit: true, times }],
    ['5xx after commit', { statusAfterCommit: pick([500, 502, 504]), times }],
    ['5xx after commit', { statusAfterCommit: pick([500, 502, 504]), times }],
    ['5xx before any work', { status: pick([500, 503]), times }],
    ['late: commits after the client gave up', { latencyMs: LATE_MS, times: Math.min(times, 2) }],
    ['late and then refused: never carried out', { latencyMs: LATE_MS, status: 503, times: 1 }],
  ];
  const [againName, againFault] = pick(again);
  if (againFault) sandbox.faults.set(AGAIN, againFault);
  const lookup = next();
  let lookupName = 'none';
  if (lookup < 0.1) {
    // A lookup outage for the whole batch: lost answers in it stay unknown.
    sandbox.faults.set(FIND, { status: 503 });
    sandbox.faults.set(FIND_BY_STATUS, { status: 503 });
    lookupName = 'outage';
  } else if (lookup < 0.3) {
    sandbox.faults.set(FIND, { status: 500, times: 1 + Math.floor(next() * 2) });
    sandbox.faults.set(FIND_BY_STATUS, { status: 500, times: 1 + Math.floor(next() * 2) });
    lookupName = 'a 5xx or two';
  }
  const expireAfterMs = next() < 0.2 ? Math.floor(next() * 8) : null;
  faultLog.push(`${againName} / lookup ${lookupName}${expireAfterMs === null ? '' : ' / token expired'}`);
  return { expireAfterMs, lateMs: againFault?.latencyMs ?? 0 };
}

async function runBatch(operations: readonly Operation[]) {
  const { expireAfterMs, lateMs } = injectFaults();
  const expiry = expireAfterMs === null ? null : setTimeout(() => sandbox.expireTokensNow(), expireAfterMs).unref();
  await Promise.all(
    operations.map(async (operation) => {
      operation.result = await client.chargeBillingKey({
        customerUid: operation.customerUid,
        merchantUid: operation.merchantUid,
        amount: operation.amount,
        name: '월 구독',
      });
    }),
  );
  if (expiry) clearTimeout(expiry);
  // Let a late charge land before the next batch expires the token it came with: PortOne checks a token
  // when a request arrives, the emulator only once the latency is over.
  if (lateMs > 0) await new Promise((resolve) => setTimeout(resolve, lateMs));
}

async function inBatches<T>(items: readonly T[], size: number, run: (batch: readonly T[]) => Promise<void>) {
  for (let start = 0; start < items.length; start += size) await run(items.slice(start, start + size));
}

const paidIn = (merchantUid: string) =>
  sandbox.store.paymentsFor(merchantUid).filter((payment) => payment.status === 'paid');

/** Every charge request that PortOne could have carried out: all of them but the ones refused with 401. */
const chargeRequestsCarriedOut = () =>
  sandbox.requests.filter((request) => request.route === AGAIN && request.status !== 401).length;

/** Checks one report against the store; returns what was wrong, or null. */
function misreport(operation: Operation): string | null {
  const { result, merchantUid } = operation;
  const stored = sandbox.store.paymentsFor(merchantUid);
  const paid = paidIn(merchantUid);
  if (paid.length > 1) return `${merchantUid} charged ${paid.length} times`;
  switch (result?.status) {
    case 'paid':
      return paid.length === 1 && paid[0]?.imp_uid === result.payment.imp_uid ? null : 'reported paid, is not';
    case 'declined':
      return paid.length === 0 && stored.at(-1)?.status === 'failed' && operation.amount === 5000
        ? null
        : 'reported declined, is not';
    case 'not-charged':
      return stored.length === 0 ? null : `reported not charged, has ${stored.length} payment(s)`;
    case 'unknown':
      // Allowed only when the lookup itself failed.
      return result.lookupError instanceof PortoneError ? null : 'unknown without a failed lookup';
    default:
      return `unexpected ${result?.status}`;
  }
}

const statusCounts = (operations: readonly Operation[]) =>
  operations.reduce<Record<string, number>>((counts, { result }) => {
    const status = result?.status ?? 'none';
    counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }, {});

const firstRound: Operation[] = Array.from({ length: FIRST_ROUND }, (_, index) => ({
  merchantUid: `fault_${index}`,
  customerUid: `key_${index}`,
  amount: next() < 0.8 ? 9900 : 5000,
}));

beforeAll(async () => {
  // A clock that moves on, as PortOne's: a charge's failed payment is told its own by its start time.
  sandbox = await startSandbox({ port: 0, clock: createClock(seoul(2026, 1, 15), { running: true }) });
  // One key per charge, first paid on January 15th: a charge of 9900 on February 15th passes the rule.
  await inBatches(firstRound, 50, async (batch) => {
    await Promise.all(batch.map((operation) => issueBillingKey(sandbox, operation.customerUid, 9900)));
  });
  sandbox.clock.set(seoul(2026, 2, 15));
  client = clientFor(sandbox, { timeoutMs: 250, chargeSettleMs: 1200, readRetries: 2 });
}, 60_000);
afterAll(() => sandbox.close());

describe('1,000 charges through dropped answers, 5xx, timeouts and expiring tokens', () => {
  it('reports the first 900 truly, and charges none twice', { timeout: 120_000 }, async () => {
    const carriedOutBefore = chargeRequestsCarriedOut();
    const sentBefore = sandbox.countRequests(AGAIN);
    await inBatches(firstRound, BATCH, runBatch);
    sandbox.faults.clear();

    const wrong = firstRound.map((operation) => [operation.merchantUid, misreport(operation)] as const);
    expect(wrong.filter(([, problem]) => problem !== null)).toEqual([]);
    // The client never sent a charge again on its own: at most one request per charge that PortOne could
    // carry out, the others refused with 401 (a 401 the client never saw, after a timeout, counts out too).
    expect(chargeRequestsCarriedOut() - carriedOutBefore).toBeLessThanOrEqual(FIRST_ROUND);
    expect(sandbox.countRequests(AGAIN) - sentBefore).toBeGreaterThanOrEqual(FIRST_ROUND);
    const counts = statusCounts(firstRound);
    // The faults really bit: answers were lost and recovered by lookup, and some charges never ran.
    const recovered = firstRound.filter(({ result }) => result?.status === 'paid' && result.confirmedBy === 'lookup');
    expect(recovered.length).toBeGreaterThan(20);
    expect(counts['not-charged']).toBeGreaterThan(10);
    expect(counts.declined).toBeGreaterThan(100);
    expect(tokenRequests(sandbox)).toBeGreaterThan(1);
    console.info('fault suite, first 900:', counts, `recovered by lookup: ${recovered.length}`);
  });

  it('reports the next 100, repeats of paid merchant_uids, as paid already and charges nothing', {
    timeout: 60_000,
  }, async () => {
    const paidBefore = firstRound.filter((operation) => paidIn(operation.merchantUid).length === 1);
    const repeats: Operation[] = paidBefore.slice(0, REPEATS).map(({ merchantUid, customerUid }) => ({
      merchantUid,
      customerUid,
      amount: 9900,
    }));
    expect(repeats).toHaveLength(REPEATS);
    const before = new Map(repeats.map(({ merchantUid }) => [merchantUid, sandbox.store.paymentsFor(merchantUid)]));
    await inBatches(repeats, BATCH, runBatch);
    sandbox.faults.clear();
    for (const { merchantUid, result } of repeats) {
      expect(sandbox.store.paymentsFor(merchantUid)).toEqual(before.get(merchantUid));
      const original = before.get(merchantUid)?.find((payment) => payment.status === 'paid')?.imp_uid;
      // Already paid, said plainly; or, when the refusal itself was lost, the lookup's paid payment,
      // which is the original one; or unknown during a lookup outage.
      if (result?.status === 'already-paid' || result?.status === 'paid') {
        expect(result.payment.imp_uid).toBe(original);
      } else {
        expect(result).toMatchObject({ status: 'unknown', lookupError: expect.any(PortoneError) });
      }
    }
    expect(statusCounts(repeats)['already-paid']).toBeGreaterThan(50);
  });

  it('settles every not-charged and unknown one with the same merchant_uid, losing none', async () => {
    const open = firstRound.filter(({ result }) => result?.status === 'not-charged' || result?.status === 'unknown');
    await inBatches(open, BATCH, async (batch) => {
      await Promise.all(
        batch.map(async (operation) => {
          const before = paidIn(operation.merchantUid).length;
          const retried = await client.chargeBillingKey({
            customerUid: operation.customerUid,
            merchantUid: operation.merchantUid,
            amount: operation.amount,
            name: '월 구독',
          });
          if (before === 1) expect(retried.status).toBe('already-paid');
          else expect(retried.status).toBe(operation.amount === 9900 ? 'paid' : 'declined');
        }),
      );
    });
    // In the end every 9900 charge is paid exactly once, and no 5000 one is paid at all.
    for (const operation of firstRound) {
      expect(paidIn(operation.merchantUid), operation.merchantUid).toHaveLength(operation.amount === 9900 ? 1 : 0);
    }
    expect(new Set(faultLog).size).toBeGreaterThan(8);
  });
});
