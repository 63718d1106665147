import { createClock, type Sandbox, type SandboxFault, startSandbox } from '@portone-kit/sandbox/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChargeResult, type PortoneClient, PortoneError } from '../src/node.js';
import { createDrivenNetwork, type DrivenNetwork, type Misfortune } from './driven-network.js';
import { AGAIN, clientFor, FIND, FIND_BY_STATUS, issueBillingKey, seoul, tokenRequests } from './support.js';

// 1,000 billing-key charges through injected faults, judged by the emulator's store, never by the
// client's own report: no merchant_uid is charged twice, no charge is lost, and every report is true.
// Time is the sandbox's clock, moved by the driven network only while nothing is on its way: a charge
// held "late" always outlives the client's timeout, and always lands within its settle time, however
// busy the machine.

const FIRST_ROUND = 900;
const REPEATS = 100;
const BATCH = 20;
const SEED = 20260215;
const TIMEOUT_MS = 250;
const SETTLE_MS = 1200;

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
let network: DrivenNetwork;
let client: PortoneClient;
const next = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const faultLog: string[] = [];

type Fault = { sandbox: SandboxFault } | { network: Misfortune; times: number };

/** One batch's misfortune: a fault on the charge route, perhaps one on the lookup, perhaps a token expiry. */
function injectFaults() {
  sandbox.faults.clear();
  network.clear();
  const times = 1 + Math.floor(next() * 6);
  const again: [string, Fault | null][] = [
    ['none', null],
    ['none', null],
    ['drop after commit', { sandbox: { dropAfterCommit: true, times } }],
    ['drop after commit', { sandbox: { dropAfterCommit: true, times } }],
    ['5xx after commit', { sandbox: { statusAfterCommit: pick([500, 502, 504]), times } }],
    ['5xx after commit', { sandbox: { statusAfterCommit: pick([500, 502, 504]), times } }],
    ['5xx before any work', { sandbox: { status: pick([500, 503]), times } }],
    ['late: commits after the client gave up', { network: { kind: 'late' }, times: Math.min(times, 2) }],
    ['late and never delivered: never carried out', { network: { kind: 'lost' }, times: 1 }],
    [
      'gateway 504, then PortOne commits',
      // Within the settle time, as PortOne's own work is; later would be a charge no client can find.
      { network: { kind: 'gateway-then-commit', afterMs: Math.floor(next() * (SETTLE_MS - 200)) }, times },
    ],
  ];
  const [againName, againFault] = pick(again);
  if (againFault && 'sandbox' in againFault) sandbox.faults.set(AGAIN, againFault.sandbox);
  if (againFault && 'network' in againFault) network.misfortune(AGAIN, againFault.network, againFault.times);
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
  // The tokens expire once the batch's n-th request has left: among its charges, or its lookups.
  const expireAfter = next() < 0.2 ? 1 + Math.floor(next() * 8) : null;
  if (expireAfter !== null) network.afterRequests(expireAfter, () => sandbox.expireTokensNow());
  faultLog.push(`${againName} / lookup ${lookupName}${expireAfter === null ? '' : ' / token expired'}`);
}

const chargeAll = (operations: readonly Operation[]) =>
  network.drive(
    Promise.all(
      operations.map(async (operation) => {
        operation.result = await client.chargeBillingKey({
          customerUid: operation.customerUid,
          merchantUid: operation.merchantUid,
          amount: operation.amount,
          name: '월 구독',
        });
      }),
    ),
  );

async function runBatch(operations: readonly Operation[]) {
  injectFaults();
  // Returns once every request and misfortune of the batch has run its course, late charges included.
  await chargeAll(operations);
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
  // A clock that only the driven network moves, for the sandbox and the client alike.
  sandbox = await startSandbox({ port: 0, clock: createClock(seoul(2026, 1, 15)) });
  network = createDrivenNetwork(sandbox);
  // One key per charge, first paid on January 15th: a charge of 9900 on February 15th passes the rule.
  await inBatches(firstRound, 50, async (batch) => {
    await Promise.all(batch.map((operation) => issueBillingKey(sandbox, operation.customerUid, 9900)));
  });
  sandbox.clock.set(seoul(2026, 2, 15));
  client = clientFor(sandbox, {
    fetch: network.fetch,
    timers: network.timers,
    timeoutMs: TIMEOUT_MS,
    chargeSettleMs: SETTLE_MS,
    readRetries: 2,
  });
}, 120_000);
afterAll(() => sandbox.close());

/** The first 900: every report true, none charged twice. */
async function firstRoundReportedTruly() {
  const carriedOutBefore = chargeRequestsCarriedOut();
  const sentBefore = network.sent(AGAIN);
  await inBatches(firstRound, BATCH, runBatch);
  sandbox.faults.clear();
  network.clear();

  const wrong = firstRound.map((operation) => [operation.merchantUid, misreport(operation)] as const);
  expect(wrong.filter(([, problem]) => problem !== null)).toEqual([]);
  // The client never sent a charge again on its own: at most one request per charge that PortOne could
  // carry out, the others refused with 401 (a 401 the client never saw, after a timeout, counts out too).
  expect(chargeRequestsCarriedOut() - carriedOutBefore).toBeLessThanOrEqual(FIRST_ROUND);
  expect(network.sent(AGAIN) - sentBefore).toBeGreaterThanOrEqual(FIRST_ROUND);
  const counts = statusCounts(firstRound);
  // The faults really bit: answers were lost and recovered by lookup, and some charges never ran.
  const recovered = firstRound.filter(({ result }) => result?.status === 'paid' && result.confirmedBy === 'lookup');
  expect(recovered.length).toBeGreaterThan(20);
  expect(counts['not-charged']).toBeGreaterThan(10);
  expect(counts.declined).toBeGreaterThan(100);
  expect(tokenRequests(sandbox)).toBeGreaterThan(1);
  console.info('fault suite, first 900:', counts, `recovered by lookup: ${recovered.length}`);
}

/** The next 100, repeats of paid merchant_uids: reported paid already, nothing charged. */
async function repeatsChargeNothing() {
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
  network.clear();
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
}

/** Every not-charged and unknown one, charged again with the same merchant_uid: none lost. */
async function openOnesSettled() {
  const open = firstRound.filter(({ result }) => result?.status === 'not-charged' || result?.status === 'unknown');
  await inBatches(open, BATCH, async (batch) => {
    await network.drive(
      Promise.all(
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
      ),
    );
  });
  // In the end every 9900 charge is paid exactly once, and no 5000 one is paid at all.
  for (const operation of firstRound) {
    expect(paidIn(operation.merchantUid), operation.merchantUid).toHaveLength(operation.amount === 9900 ? 1 : 0);
  }
  expect(new Set(faultLog).size).toBeGreaterThan(9);
}

// One test, in three steps that build on each other, so that no other test shares its sandbox. A generous
// budget: a busy machine makes it slower, never its verdict different.
it('1,000 charges through dropped answers, 5xx, timeouts, gateways and expiring tokens: 0 doubled, 0 lost, every report true', {
  timeout: 600_000,
}, async () => {
  await firstRoundReportedTruly();
  await repeatsChargeNothing();
  await openOnesSettled();
});
