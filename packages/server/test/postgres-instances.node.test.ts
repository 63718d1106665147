import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { Sandbox } from '@portone-kit/sandbox/server';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChargeRequest, PortoneClient } from '../src/index.js';
import type { ChargeReport, ChargeSpan, WorkerMessage, WorkerRequest } from './postgres-instance-worker.js';
import { describePostgres, freshDatabase, type TestDatabase } from './postgres-support.js';
import { AGAIN, clientFor, FIND_BY_STATUS, issueBillingKey, paidPayment, seoul, startTestSandbox } from './support.js';

// Four instances of a merchant's server (child processes, each with its own client and pg pool) share
// webhook claims and charge leases in one real PostgreSQL. Judged by the database's record of handler
// calls and by the emulator's store of payments, never by what the instances say of themselves.

const INSTANCES = 4;
const PAID = 400;
const CANCELLED = 100;
const KEYS = 200;
const CLAIM_TTL_MS = 45_000;
const CLOCK_START_MS = Date.UTC(2026, 1, 15);
const repo = join(import.meta.dirname, '..', '..', '..');
const workerFile = join(import.meta.dirname, '..', 'node_modules', '.cache', `pg-instance-worker-${process.pid}.mjs`);

interface Instance {
  name: string;
  child: ChildProcess;
  url: string;
  /** Resolves with the imp_uid once the instance is inside `onPayment` for good (HANG_ON_IMP_UID). */
  inHandler: Promise<string>;
  call(command: WorkerRequest): Promise<Extract<WorkerMessage, { type: 'done' }>>;
}

let database: TestDatabase;
let sandbox: Sandbox;
let merchant: PortoneClient;
const instances: Instance[] = [];
let nextId = 0;
let clockMs = CLOCK_START_MS;

/** Bundles the worker (TypeScript, with the package's sources) for plain `node`; pg stays an import. */
async function bundleWorker() {
  mkdirSync(join(workerFile, '..'), { recursive: true });
  await build({
    entryPoints: [join(import.meta.dirname, 'postgres-instance-worker.ts')],
    outfile: workerFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['pg'],
    logLevel: 'warning',
    plugins: [
      {
        name: 'workspace-sources',
        setup(builder) {
          builder.onResolve({ filter: /^@portone-kit\/core(\/[a-z]+)?$/ }, ({ path }) => ({
            path: join(repo, 'packages/core/src', path.split('/')[2] ?? '', 'index.ts'),
          }));
        },
      },
    ],
  });
}

function startInstance(name: string, extraEnv: Record<string, string> = {}): Promise<Instance> {
  const child = fork(workerFile, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      WORKER_NAME: name,
      DATABASE_URL: database.url,
      SANDBOX_URL: sandbox.url,
      IMP_KEY: sandbox.impKey,
      IMP_SECRET: sandbox.impSecret,
      CLAIM_TTL_MS: String(CLAIM_TTL_MS),
      CLOCK_START_MS: String(clockMs),
      ...extraEnv,
    },
  });
  const waiting = new Map<number, (message: Extract<WorkerMessage, { type: 'done' }>) => void>();
  let enteredHandler: (impUid: string) => void = () => undefined;
  const inHandler = new Promise<string>((resolve) => {
    enteredHandler = resolve;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready`)));
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        resolve({
          name,
          child,
          url: `http://127.0.0.1:${message.port}/`,
          inHandler,
          call(command) {
            const id = nextId++;
            return new Promise((answered, failed) => {
              waiting.set(id, answered);
              child.once('exit', () => failed(new Error(`${name} exited during ${command.type}`)));
              child.send({ ...command, id });
            });
          },
        });
      } else if (message.type === 'in-handler') enteredHandler(message.impUid);
      else waiting.get(message.id)?.(message);
    });
  });
}

interface Delivery {
  status: number;
  text: string;
}

// node:http with kept-alive connections: fetch would cost this busy machine more CPU than the instances.
const agent = new Agent({ keepAlive: true, maxSockets: 32 });

/** PortOne posting one webhook to one instance. */
function deliver(instance: Instance, event: Record<string, string>): Promise<Delivery> {
  const body = JSON.stringify(event);
  return new Promise((resolve, reject) => {
    const sent = request(
      instance.url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => {
          text += chunk;
        });
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text: text.trim() }));
        answer.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

/** Each event to every instance at once, `width` events at a time; the answers by event. */
async function deliverToAll(events: readonly Record<string, string>[], width = 25): Promise<Delivery[][]> {
  const answers: Delivery[][] = [];
  for (let start = 0; start < events.length; start += width) {
    const batch = events.slice(start, start + width);
    answers.push(
      ...(await Promise.all(batch.map((event) => Promise.all(instances.map((instance) => deliver(instance, event)))))),
    );
  }
  return answers;
}

/** Moves every instance's claim and lease clock, and waits until each has moved it. */
async function advanceClocks(ms: number) {
  clockMs += ms;
  await Promise.all(instances.map((instance) => instance.call({ type: 'advance', ms })));
}

async function inChunks<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>) {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

async function setUp() {
  database = await freshDatabase('instances');
  await database.pool.query(`
    CREATE TABLE webhook_calls (imp_uid text NOT NULL, status text NOT NULL, cancellations int NOT NULL, worker text NOT NULL)`);
  sandbox = await startTestSandbox();
  merchant = clientFor(sandbox);
  await bundleWorker();
  instances.push(...(await Promise.all(Array.from({ length: INSTANCES }, (_, index) => startInstance(`i${index}`)))));
}

async function tearDown() {
  for (const instance of instances) instance.child.kill('SIGKILL');
  agent.destroy();
  rmSync(workerFile, { force: true });
  await sandbox?.close();
  await database?.drop();
}

describePostgres('four instances on one PostgreSQL', () => {
  beforeAll(setUp, 60_000);
  afterAll(tearDown);
  const paidEvents: Record<string, string>[] = [];

  it('run onPayment once per payment state for 500 webhooks each delivered to all four, a killed one included', {
    // A safety net for a machine far busier than ours, not the expected time (20 to 40 s on 2 busy cores).
    timeout: 120_000,
  }, async () => {
    const t0 = performance.now();
    const lap = (label: string) => console.info(`${label}: ${Math.round(performance.now() - t0)} ms`);
    const impUids: string[] = [];
    await inChunks(
      Array.from({ length: PAID }, (_, index) => `wh_${index}`),
      25,
      async (merchantUid) => {
        impUids.push(await paidPayment(sandbox, { merchant_uid: merchantUid, amount: 1000 }));
      },
    );
    lap('payments');
    for (const impUid of impUids) paidEvents.push({ imp_uid: impUid, status: 'paid' });

    // A fifth instance is killed inside onPayment: its claim stays behind, held, until it lapses.
    const victimImpUid = impUids[0] as string;
    const doomed = await startInstance('doomed', { HANG_ON_IMP_UID: victimImpUid });
    const dying = deliver(doomed, { imp_uid: victimImpUid, status: 'paid' }).catch((error: unknown) => error);
    expect(await doomed.inHandler).toBe(victimImpUid);
    const exited = new Promise((resolve) => doomed.child.once('exit', (_code, signal) => resolve(signal)));
    doomed.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await dying).toBeInstanceOf(Error);

    lap('killed');
    const first = await deliverToAll(paidEvents);
    lap('delivered');
    // Its claim has not lapsed (no time has passed on the instances' clock): every instance says busy.
    expect(first[0]).toEqual(
      Array.from({ length: INSTANCES }, () => ({ status: 503, text: 'this event is being processed' })),
    );
    // Every other one ran once: one instance answered "ok", the rest "already processed" or "busy".
    for (const answers of first.slice(1)) {
      expect(answers.filter((answer) => answer.text === 'ok')).toHaveLength(1);
      expect(answers.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    }

    await advanceClocks(CLAIM_TTL_MS);
    const retried = await deliverToAll([paidEvents[0] as Record<string, string>]);
    expect(retried[0]?.filter((answer) => answer.text === 'ok')).toHaveLength(1);

    // A later state of the same payments is news: refund 100, and post their cancellations.
    const cancelled = impUids.slice(0, CANCELLED);
    await inChunks(cancelled, 25, async (impUid) => {
      await merchant.cancelPayment({ impUid, reason: '주문 취소' });
    });
    lap('cancelled');
    const cancelAnswers = await deliverToAll(cancelled.map((impUid) => ({ imp_uid: impUid, status: 'cancelled' })));
    for (const answers of cancelAnswers) expect(answers.filter((answer) => answer.text === 'ok')).toHaveLength(1);

    lap('cancellations delivered');
    const { rows } = await database.pool.query<{ imp_uid: string; status: string; calls: number }>(
      'SELECT imp_uid, status, count(*)::int AS calls FROM webhook_calls GROUP BY imp_uid, status',
    );
    expect(rows).toHaveLength(PAID + CANCELLED);
    expect(rows.filter((row) => row.calls !== 1)).toEqual([]);
    expect(
      rows
        .filter((row) => row.status === 'cancelled')
        .map((row) => row.imp_uid)
        .sort(),
    ).toEqual([...cancelled].sort());
    const { rows: byWorker } = await database.pool.query<{ worker: string }>(
      'SELECT DISTINCT worker FROM webhook_calls',
    );
    // The work was really shared, and the killed instance's event was taken over by a live one.
    expect(byWorker.length).toBeGreaterThan(1);
    const { rows: victimCalls } = await database.pool.query(
      "SELECT worker FROM webhook_calls WHERE imp_uid = $1 AND status = 'paid'",
      [victimImpUid],
    );
    expect(victimCalls).toEqual([{ worker: expect.not.stringMatching(/^doomed$/) }]);
  });

  it('charge 200 keys, each merchant_uid by all four at once, through faults: 0 doubled, 0 lost', {
    // A safety net for a machine far busier than ours, not the expected time (20 to 40 s on 2 busy cores).
    timeout: 120_000,
  }, async () => {
    const t0 = performance.now();
    const customers = Array.from({ length: KEYS }, (_, index) => `pg_key_${index}`);
    await inChunks(customers, 25, (customerUid) => issueBillingKey(sandbox, customerUid, 9900));
    sandbox.clock.set(seoul(2026, 2, 15));
    const requests: ChargeRequest[] = customers.map((customerUid, index) => ({
      customerUid,
      merchantUid: `pg_charge_${index}`,
      amount: 9900,
      name: '월 구독',
    }));

    // One wave per misfortune, each merchant_uid sent by all four instances at the same moment.
    const faults = [
      { dropAfterCommit: true, times: 15 },
      { statusAfterCommit: 502, times: 15 },
      { status: 503, times: 15 },
      { statusThenCommit: 504, commitAfterMs: 300, times: 15 },
    ];
    const reports: (ChargeReport & { worker: string })[] = [];
    const spans: ChargeSpan[] = [];
    for (const [wave, fault] of faults.entries()) {
      sandbox.faults.clear();
      sandbox.faults.set(AGAIN, fault);
      if (wave === 1) sandbox.faults.set(FIND_BY_STATUS, { status: 500, times: 5 });
      const slice = requests.slice(wave * (KEYS / faults.length), (wave + 1) * (KEYS / faults.length));
      const answers = await Promise.all(
        instances.map((instance) => instance.call({ type: 'charge', requests: slice })),
      );
      answers.forEach((answer, index) => {
        for (const report of answer.reports ?? []) reports.push({ ...report, worker: instances[index]?.name ?? '' });
        spans.push(...(answer.spans ?? []));
      });
    }
    sandbox.faults.clear();
    console.info(`charges: ${Math.round(performance.now() - t0)} ms`);

    expect(reports).toHaveLength(KEYS * INSTANCES);
    const wrong: string[] = [];
    for (const { merchantUid } of requests) {
      const paid = sandbox.store.paymentsFor(merchantUid).filter((payment) => payment.status === 'paid');
      // 0 doubled, 0 lost: every merchant_uid ends paid exactly once.
      if (paid.length !== 1) {
        wrong.push(`${merchantUid}: ${paid.length} paid`);
        continue;
      }
      const payment = paid[0] as (typeof paid)[number];
      const maker = (JSON.parse(payment.custom_data ?? '{}') as { worker?: string }).worker;
      for (const report of reports.filter((entry) => entry.merchantUid === merchantUid)) {
        const problem = misreport(report, report.worker === maker, payment.imp_uid);
        if (problem !== null) wrong.push(`${merchantUid} by ${report.worker}: ${problem}`);
      }
    }
    expect(wrong).toEqual([]);

    // One instance at a time: no two charge requests of a merchant_uid were ever in flight together.
    const overlaps = requests
      .map(({ merchantUid }) => merchantUid)
      .filter((merchantUid) => {
        const own = spans.filter((span) => span.merchantUid === merchantUid).sort((a, b) => a.startedAt - b.startedAt);
        return own.some((span, index) => index > 0 && span.startedAt < (own[index - 1]?.endedAt ?? 0));
      });
    expect(spans.length).toBeGreaterThanOrEqual(KEYS);
    expect(overlaps).toEqual([]);
    // The collisions were real, and the faults bit: refusals of a paid merchant_uid, answers found by lookup.
    const count = (status: string) => reports.filter((report) => report.status === status).length;
    expect(count('already-paid')).toBeGreaterThan(KEYS);
    expect(reports.filter((report) => report.confirmedBy === 'lookup').length).toBeGreaterThan(20);
    expect(count('not-charged')).toBeGreaterThan(5);
    expect(
      new Set(reports.filter((report) => report.status === 'paid').map((report) => report.worker)).size,
    ).toBeGreaterThan(1);
  });
});

/** What is untrue in one instance's report on a merchant_uid paid once as `impUid`; null when it is true. */
function misreport(report: ChargeReport, madeIt: boolean, impUid: string): string | null {
  switch (report.status) {
    case 'paid':
      return report.impUid === impUid ? null : `reported paid as ${report.impUid}`;
    case 'already-paid':
      if (madeIt) return 'its own charge reported as paid before';
      return report.impUid === impUid ? null : `reported already paid as ${report.impUid}`;
    case 'not-charged':
      return madeIt ? 'its own charge reported as not charged: lost' : null;
    case 'unknown':
      // Allowed only when the lookup itself failed.
      return report.lookupFailed ? null : 'unknown without a failed lookup';
    default:
      return `reported ${report.status}`;
  }
}
