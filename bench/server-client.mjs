// HTTP requests and wall time of PortOne V1 REST clients, ours beside the npm ones, on the same sandbox
// emulator and the same workloads: 1,000 payment verifications (50 at a time), 200 billing-key charges
// started at once on a cold client, the same with 30 ms added to every answer, and 200 more on a warm one.
// Requests are counted at the emulator (`sandbox.requests`), never by a client. Rounds are interleaved
// (each round runs every client, in a rotated order), and wall times are the medians of the rounds.
// Run after `pnpm build`: `node bench/server-client.mjs`. Prints figures and the targets; asserts nothing.
import './local-only.mjs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

let createPortoneClient;
let startSandbox;
try {
  // What Node resolves `@portone-kit/server` to (the `node` condition).
  ({ createPortoneClient } = await import('../packages/server/dist/node.js'));
  ({ startSandbox } = await import('../packages/sandbox/dist/server.js'));
} catch (error) {
  console.error(`The built packages are missing (${error.code ?? error.message}): run \`pnpm build\` first.`);
  process.exit(1);
}
const { Iamport, Request: IamportRequest } = require('iamport-rest-client-nodejs');
const { Iamporter } = require('iamporter');

const VERIFICATIONS = 1000;
const VERIFY_CONCURRENCY = 50;
const CHARGES = 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** What the emulator adds to every answer in L, as a server far from PortOne sees it. */
const FAR_MS = 30;
const WARM_UP_PASSES = 2;
const TOKEN_ROUTE = 'POST /users/getToken';

// The emulator on real time: tokens live 30 minutes by the same clock the peers read.
const sandbox = await startSandbox({ port: 0 });
const { impKey, impSecret } = sandbox;

async function windowPay(params) {
  const answer = await fetch(`${sandbox.url}/sandbox/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      outcome: 'approve',
      params: { pg: 'mobilians', pay_method: 'phone', name: '주문', buyer_tel: '010-1234-5678', ...params },
    }),
  });
  const { response } = await answer.json();
  if (!response.success) throw new Error(`the sandbox window refused ${params.merchant_uid}`);
  return response.imp_uid;
}

/** Runs `work` over `items`, `size` at a time; failures are counted, with the first one's message. */
async function pool(items, size, work) {
  const outcome = { ok: 0, failed: 0, firstError: null };
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        if (await work(item)) outcome.ok++;
        else outcome.failed++;
      } catch (error) {
        outcome.failed++;
        outcome.firstError ??= error?.message ?? String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return outcome;
}

/** What the emulator saw while `work` ran, how long it took, and the CPU time this process spent on it. */
async function measure(work) {
  const from = sandbox.requests.length;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcome = await work();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const requests = sandbox.requests.slice(from);
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requests: requests.length,
    tokens: requests.filter((request) => request.route === TOKEN_ROUTE).length,
    outcome,
  };
}

const chargeBody = (charge) => ({
  customer_uid: charge.customerUid,
  merchant_uid: charge.merchantUid,
  amount: charge.amount,
  name: '월 구독',
});

const contenders = [
  {
    name: '@portone-kit/server',
    make: () => createPortoneClient({ impKey, impSecret, baseUrl: sandbox.url }),
    async verify(client, payment) {
      const result = await client.verifyPayment({
        impUid: payment.impUid,
        expected: { merchantUid: payment.merchantUid, amount: payment.amount },
        allowSandbox: true,
      });
      return result.verified;
    },
    async charge(client, charge) {
      const result = await client.chargeBillingKey({ ...charge, name: '월 구독' });
      return result.status === 'paid';
    },
  },
  {
    name: 'iamport-rest-client-nodejs 0.9.12',
    make: () => new Iamport({ apiKey: impKey, apiSecret: impSecret, baseUrl: sandbox.url }),
    async verify(client, payment) {
      const request = IamportRequest.Payments.getByImpUid({ imp_uid: payment.impUid });
      // It has no include_sandbox option: the bench sets the request's query itself.
      request.params = { include_sandbox: true };
      const { data } = await request.request(client);
      // It has no verification either: the bench compares what it fetched.
      const found = data.response;
      return found.status === 'paid' && found.amount === payment.amount && found.merchant_uid === payment.merchantUid;
    },
    async charge(client, charge) {
      const { data } = await IamportRequest.Subscribe.again(chargeBody(charge)).request(client);
      return data.response.status === 'paid';
    },
  },
  {
    name: 'iamporter 1.4.2',
    make: () => new Iamporter({ apiKey: impKey, secret: impSecret, host: sandbox.url }),
    async verify(client, payment) {
      // It has no include_sandbox option: the bench appends the query to the imp_uid it puts in the path.
      const { data } = await client.findByImpUid(`${payment.impUid}?include_sandbox=true`);
      return data?.status === 'paid' && data.amount === payment.amount && data.merchant_uid === payment.merchantUid;
    },
    async charge(client, charge) {
      // Rejects unless paid with the amount asked.
      const { data } = await client.paySubscription(chargeBody(charge));
      return data.status === 'paid';
    },
  },
];

// Setup, not measured: the payments to verify, and fresh billing keys for every client and round.
const payments = [];
await pool(
  Array.from({ length: VERIFICATIONS }, (_, index) => index),
  50,
  async (index) => {
    const merchantUid = `bench_verify_${index}`;
    payments.push({ impUid: await windowPay({ merchant_uid: merchantUid, amount: 9900 }), merchantUid, amount: 9900 });
    return true;
  },
);
/** 200 keys issued with amount 0: no first charge yet, so the first `again` passes whatever the day. */
async function freshCharges(tag) {
  const charges = Array.from({ length: CHARGES }, (_, index) => ({
    customerUid: `${tag}_key_${index}`,
    merchantUid: `${tag}_charge_${index}`,
    amount: 9900,
  }));
  await pool(charges, 50, async (charge) => {
    await windowPay({
      pg: 'mobilians.170622040674',
      customer_uid: charge.customerUid,
      merchant_uid: `${charge.customerUid}_issue`,
      amount: 0,
    });
    return true;
  });
  return charges;
}

// Warm-up with throwaway instances and the measured workloads' own shape, twice over, so that every
// client's code and the emulator's are compiled by the JIT before any round counts.
for (let pass = 0; pass < WARM_UP_PASSES; pass++) {
  for (const [index, contender] of contenders.entries()) {
    const client = contender.make();
    await pool(payments, VERIFY_CONCURRENCY, (payment) => contender.verify(client, payment));
    const charger = contender.make();
    await pool(await freshCharges(`warm${pass}_${index}`), CHARGES, (charge) => contender.charge(charger, charge));
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = contenders.map(() => ({ verify: [], charge: [], chargeFar: [], chargeWarm: [] }));
for (let round = 0; round < ROUNDS; round++) {
  // A rotated order, so that no client always runs first (or last); each workload runs for every client
  // back to back, so that the clients compared meet the same load on a busy machine.
  const order = contenders.map((_, index) => (index + round) % contenders.length);
  const keys = [];
  for (const index of order) {
    keys[index] = {
      cold: await freshCharges(`r${round}c${index}`),
      far: await freshCharges(`r${round}f${index}`),
      warm: await freshCharges(`r${round}w${index}`),
    };
  }
  // A cold client for each workload: its first token is part of the count.
  const verifiers = [];
  for (const index of order) {
    const contender = contenders[index];
    verifiers[index] = contender.make();
    results[index].verify.push(
      await measure(() => pool(payments, VERIFY_CONCURRENCY, (payment) => contender.verify(verifiers[index], payment))),
    );
  }
  for (const index of order) {
    const contender = contenders[index];
    const charger = contender.make();
    results[index].charge.push(
      await measure(() => pool(keys[index].cold, CHARGES, (charge) => contender.charge(charger, charge))),
    );
  }
  sandbox.faults.set('*', { latencyMs: FAR_MS });
  for (const index of order) {
    const contender = contenders[index];
    const charger = contender.make();
    results[index].chargeFar.push(
      await measure(() => pool(keys[index].far, CHARGES, (charge) => contender.charge(charger, charge))),
    );
  }
  sandbox.faults.clear();
  // A long-running server keeps its client: the verifier still holds the token it got on A.
  for (const index of order) {
    const contender = contenders[index];
    results[index].chargeWarm.push(
      await measure(() => pool(keys[index].warm, CHARGES, (charge) => contender.charge(verifiers[index], charge))),
    );
  }
}
await sandbox.close();

/** Ours against the fastest peer on `key`: their medians' ratio. */
function againstFastest(key) {
  const medians = results.map((result) => median(result[key].map((run) => run.ms)));
  const fastestPeer = Math.min(...medians.slice(1));
  return { ours: medians[0], fastestPeer, ratio: medians[0] / fastestPeer };
}

function table(title, key, done, total, target) {
  const rounds = (runs) => runs.map((run) => run.ms.toFixed(0).padStart(5)).join(' ');
  console.log(`\n${title}`);
  console.log(
    `  ${'client'.padEnd(36)}${'requests'.padStart(9)}${'getToken'.padStart(10)}${'median ms'.padStart(11)}` +
      `${'CPU ms'.padStart(8)}` +
      `  ${'each round, ms'.padEnd(6 * ROUNDS)}  ${done}`,
  );
  for (const [index, contender] of contenders.entries()) {
    const runs = results[index][key];
    const last = runs.at(-1);
    const failed = last.outcome.firstError ? `  (first failure: ${last.outcome.firstError})` : '';
    const middle = median(runs.map((run) => run.ms)).toFixed(0);
    console.log(
      `  ${contender.name.padEnd(36)}${String(last.requests).padStart(9)}${String(last.tokens).padStart(10)}` +
        `${middle.padStart(11)}${median(runs.map((run) => run.cpuMs))
          .toFixed(0)
          .padStart(8)}  ${rounds(runs).padEnd(6 * ROUNDS)}  ${last.outcome.ok}/${total}${failed}`,
    );
  }
  if (target !== undefined) {
    const { ratio } = againstFastest(key);
    const verdict = ratio <= target ? 'met' : 'NOT met';
    // The same comparison round by round (each round's clients ran back to back), as a check on the medians.
    const paired = median(
      results[0][key].map((run, round) => run.ms / Math.min(...results.slice(1).map((peer) => peer[key][round].ms))),
    );
    console.log(
      `  ours / fastest peer, medians: ${ratio.toFixed(2)}× (target ≤ ${target.toFixed(1)}×: ${verdict}); ` +
        `median of the rounds' own ratios: ${paired.toFixed(2)}×`,
    );
  }
}

console.log(
  `PortOne V1 REST clients on the sandbox emulator (127.0.0.1), Node ${process.version}. Each workload on a cold ` +
    `client; requests as the emulator counted them (the same every round), wall time and this process's CPU time ` +
    `(clients and emulator) the medians of ${ROUNDS} interleaved rounds, each round's wall time beside them.`,
);
table(
  `A. ${VERIFICATIONS} payment verifications, ${VERIFY_CONCURRENCY} at a time`,
  'verify',
  'verified',
  VERIFICATIONS,
  1.0,
);
table(`B. ${CHARGES} billing-key charges started at once`, 'charge', 'paid', CHARGES, 0.6);
table(`L. B with the emulator ${FAR_MS} ms away (every answer ${FAR_MS} ms later)`, 'chargeFar', 'paid', CHARGES, 1.0);
console.log(
  `  Here every client waits two round trips (ours: the one getToken, then the charges; a peer: a getToken and a\n` +
    `  charge for each call, side by side), so the saving is in requests, not in time.`,
);
table(
  `C. ${CHARGES} more charges at once on the client of A, as a long-running server has it`,
  'chargeWarm',
  'paid',
  CHARGES,
);

const ratio = (key) => {
  const ours = results[0][key].at(-1).requests;
  const best = Math.min(...results.slice(1).map((result) => result[key].at(-1).requests));
  return { ours, best, times: (best / ours).toFixed(2) };
};
const cold = ratio('charge');
const warm = ratio('chargeWarm');
console.log(
  `\nOn B (a cold client), ours made ${cold.ours} requests and the best peer ${cold.best}: ${cold.times}× fewer; ` +
    `${CHARGES} charges need ${CHARGES} requests plus the first token, so ${((2 * CHARGES) / (CHARGES + 1)).toFixed(2)}× ` +
    `is the most a cold client can give against a peer that asks for a token per call.\n` +
    `On C (the client already holds its token), ours made ${warm.ours} and the best peer ${warm.best}: ${warm.times}× fewer.`,
);
console.log(`
What the peers cannot do, said rather than faked:
  - Neither has an include_sandbox option, which PortOne needs to show test-channel payments: the bench adds
    the query itself (iamport-rest-client-nodejs: request.params; iamporter: appended to the imp_uid).
  - Neither verifies a payment: the bench compares status, amount and merchant_uid for them.
  - Neither shares one getToken among calls in flight, nor renews a token and retries on a 401.
  - Neither looks a charge up after a lost answer: a timeout or reset is an error, the outcome unknown.
  - iamporter 1.4.2 has no schedule or unschedule method (documented, not implemented).
On Node ours sends through the http module with a keep-alive agent, as the peers' axios does; elsewhere
(edge runtimes, Deno, Bun) through fetch.`);
