// One instance of a merchant's server, in a child process of postgres-instances.node.test.ts: its own
// client, its own pg pool, a webhook endpoint on 127.0.0.1, and charges on command. The test drives it
// by IPC messages; the claims and leases it shares with the other instances live in PostgreSQL.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import {
  type ChargeRequest,
  type ChargeResult,
  createPortoneClient,
  createPostgresChargeLeaseStore,
  createPostgresIdempotencyStore,
  createWebhookHandler,
  toNodeHandler,
} from '../src/index.js';

export type WorkerRequest = { type: 'advance'; ms: number } | { type: 'charge'; requests: ChargeRequest[] };
export type WorkerCommand = WorkerRequest & { id: number };

export interface ChargeReport {
  merchantUid: string;
  status: ChargeResult['status'];
  impUid: string | null;
  confirmedBy: 'answer' | 'lookup' | null;
  lookupFailed: boolean;
}

/** When one charge request was in flight, in milliseconds since the UNIX epoch. */
export interface ChargeSpan {
  merchantUid: string;
  startedAt: number;
  endedAt: number;
}

export type WorkerMessage =
  | { type: 'ready'; port: number }
  | { type: 'in-handler'; impUid: string }
  | { id: number; type: 'done'; reports?: ChargeReport[]; spans?: ChargeSpan[] };

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`the worker needs ${name}`);
  return value;
};

const name = required('WORKER_NAME');
const hangOn = process.env.HANG_ON_IMP_UID ?? null;
const send = (message: WorkerMessage) => process.send?.(message);

// The instances' shared clock for claims and leases: it moves only when the test says so, so that a claim
// lapses because time was moved past it, never because the machine was slow.
let clockMs = Number(required('CLOCK_START_MS'));
const now = () => clockMs;

const pool = new pg.Pool({ connectionString: required('DATABASE_URL'), max: 8 });

/** Each charge request's span on this machine's clock, sent back with the reports to show none overlap. */
let spans: ChargeSpan[] = [];
const wallNow = () => performance.timeOrigin + performance.now();

// A fetch on node:http with kept-alive connections: the global fetch costs several times the CPU per
// request, and four instances share two busy cores with the emulator and the database here.
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const httpFetch: typeof fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const sent = request(
      String(input),
      {
        method: init?.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init?.headers)),
        agent,
        ...(init?.signal ? { signal: init.signal } : {}),
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () =>
          resolve(new Response(Buffer.concat(chunks), { status: answer.statusCode ?? 0, statusText: '' })),
        );
      },
    );
    sent.on('error', reject);
    sent.end(typeof init?.body === 'string' ? init.body : undefined);
  });

const recordingFetch: typeof fetch = async (input, init) => {
  if (!String(input).endsWith('/subscribe/payments/again')) return httpFetch(input, init);
  const merchantUid = (JSON.parse(String(init?.body)) as { merchant_uid: string }).merchant_uid;
  const startedAt = wallNow();
  try {
    return await httpFetch(input, init);
  } finally {
    spans.push({ merchantUid, startedAt, endedAt: wallNow() });
  }
};

const client = createPortoneClient({
  impKey: required('IMP_KEY'),
  impSecret: required('IMP_SECRET'),
  baseUrl: required('SANDBOX_URL'),
  includeSandbox: true,
  // Generous: on a busy machine a slow answer must not pass for a lost one (the test loses answers itself).
  timeoutMs: 5000,
  // Longer than the emulator's late commits (statusThenCommit) in the test.
  chargeSettleMs: 1500,
  fetch: recordingFetch,
  leases: { store: createPostgresChargeLeaseStore(pool, { now }), holder: name, ttlMs: 60_000 },
});

const handler = createWebhookHandler({
  client,
  allowSandbox: true,
  store: createPostgresIdempotencyStore(pool, { claimTtlMs: Number(required('CLAIM_TTL_MS')), now }),
  async onPayment(payment) {
    if (payment.imp_uid === hangOn) {
      send({ type: 'in-handler', impUid: payment.imp_uid });
      // Mid-handler for good: the test kills this process here.
      await new Promise(() => undefined);
    }
    await pool.query('INSERT INTO webhook_calls (imp_uid, status, cancellations, worker) VALUES ($1, $2, $3, $4)', [
      payment.imp_uid,
      payment.status,
      payment.cancel_history?.length ?? 0,
      name,
    ]);
  },
  onError: (error) => console.error(`${name} webhook:`, error instanceof Error ? error.message : error),
});

function report(merchantUid: string, result: ChargeResult): ChargeReport {
  const payment = 'payment' in result ? result.payment : null;
  return {
    merchantUid,
    status: result.status,
    impUid: payment?.imp_uid ?? null,
    confirmedBy: 'confirmedBy' in result ? result.confirmedBy : null,
    lookupFailed: result.status === 'unknown' && result.lookupError !== null,
  };
}

process.on('message', async (command: WorkerCommand) => {
  if (command.type === 'advance') {
    clockMs += command.ms;
    send({ id: command.id, type: 'done' });
    return;
  }
  const reports = await Promise.all(
    command.requests.map(async (request) =>
      report(request.merchantUid, await client.chargeBillingKey({ ...request, customData: { worker: name } })),
    ),
  );
  send({ id: command.id, type: 'done', reports, spans });
  spans = [];
});

const server = createServer(toNodeHandler(handler));
server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as AddressInfo).port }));
// The test ends a worker by closing its IPC channel; a killed one just dies.
process.on('disconnect', () => {
  server.close();
  server.closeAllConnections();
  agent.destroy();
  void pool.end();
});
