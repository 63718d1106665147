import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type Sandbox, startSandbox } from '../../src/server.js';
import { getToken, paymentParams, seoul, windowPay } from './support.js';

// Each of these once hung its caller: the sandbox threw, swallowed the error and left the socket open.
// Every call is bounded (not slept): a regression fails within a second instead of hanging the run.
const BOUND_MS = 1000;

let sandbox: Sandbox;
let logged: unknown[];

beforeEach(async () => {
  logged = [];
  sandbox = await startSandbox({
    clock: createClock(seoul(2026, 1, 15)),
    logger: { error: (_message, error) => logged.push(error) },
  });
});
afterEach(() => sandbox.close());

/** `{"a":{"a":…1…}}`, written as text: building it as an object and stringifying would overflow here. */
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

async function call(method: string, path: string, body?: string) {
  const token = await getToken(sandbox);
  const answer = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(BOUND_MS),
  });
  return { status: answer.status, body: (await answer.json()) as unknown };
}

const refused = (status: number) => ({
  status,
  body: { code: expect.any(Number), message: expect.any(String), response: null },
});

describe('the emulator always answers, in the envelope', () => {
  const deep = deepJson(5000);
  const bodies: [string, string][] = [
    [
      '/subscribe/payments/again',
      `{"customer_uid":"c","merchant_uid":"m","amount":9900,"name":"구독","custom_data":${deep}}`,
    ],
    [
      '/subscribe/payments/schedule',
      `{"customer_uid":"c","schedules":[{"merchant_uid":"m","schedule_at":1900000000,"amount":9900,"name":"구독","custom_data":${deep}}]}`,
    ],
    [
      '/sandbox/payments',
      `{"outcome":"approve","params":${JSON.stringify(paymentParams()).replace(/}$/, `,"custom_data":${deep}}`)}}`,
    ],
  ];
  for (const [path, body] of bodies) {
    it(`answers custom_data nested 5,000 deep on POST ${path} with 400, storing nothing`, async () => {
      expect(await call('POST', path, body)).toEqual(refused(400));
      expect(sandbox.store.payments.size + sandbox.store.schedules.size).toBe(0);
      expect(logged).toEqual([]);
    });
  }

  it('still takes custom_data nested as deep as a merchant would', async () => {
    const answer = await call(
      'POST',
      '/sandbox/payments',
      JSON.stringify({ outcome: 'approve', params: paymentParams({ custom_data: JSON.parse(deepJson(20)) }) }),
    );
    expect(answer.status).toBe(200);
  });

  describe('GET /payments/find/:merchant_uid with two payments', () => {
    beforeEach(async () => {
      await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'twice' }), outcome: 'decline' });
      await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'twice' }), outcome: 'decline' });
    });

    for (const sorting of ['__proto__', '-hasOwnProperty', 'toString', 'constructor', '-started-']) {
      it(`answers sorting=${sorting} with 400`, async () => {
        const answer = await call('GET', `/payments/find/twice?include_sandbox=true&sorting=${sorting}`);
        expect(answer).toEqual(refused(400));
        expect(JSON.stringify(answer.body)).toMatch(/sorting/);
        expect(logged).toEqual([]);
      });
    }

    it('still sorts by a sorting it knows', async () => {
      const answer = await call('GET', '/payments/find/twice?include_sandbox=true&sorting=-started');
      expect(answer).toMatchObject({ status: 200, body: { code: 0, response: { merchant_uid: 'twice' } } });
    });
  });

  it('answers its own bug with 500 in the envelope and logs it', async () => {
    // A clock that breaks stands for any bug of the sandbox's own: getToken dates the token by it.
    const bug = new Error('a bug in the clock');
    let broken = false;
    const base = createClock(seoul(2026, 1, 15));
    const buggy = await startSandbox({
      clock: {
        ...base,
        now: () => {
          if (broken) throw bug;
          return base.now();
        },
      },
      logger: { error: (_message, error) => logged.push(error) },
    });
    try {
      broken = true;
      const answer = await fetch(`${buggy.url}/users/getToken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ imp_key: buggy.impKey, imp_secret: buggy.impSecret }),
        signal: AbortSignal.timeout(BOUND_MS),
      });
      expect({ status: answer.status, body: await answer.json() }).toEqual(refused(500));
      expect(logged).toContain(bug);
    } finally {
      broken = false;
      await buggy.close();
    }
  });
});
