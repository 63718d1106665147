import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/server.js';
import { api, getToken, paymentParams, windowPay } from './support.js';

let sandbox: Sandbox;
let token: string;

// A sandbox per test: what one test sends never reaches the next.
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0 });
  token = await getToken(sandbox);
});
afterEach(() => sandbox.close());

const post = (path: string, body: string, contentType = 'application/json', withToken = true) =>
  fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(withToken ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

/** Nothing stored, and the sandbox still answers and still takes a good payment. */
async function expectUnharmed() {
  expect(sandbox.store.payments.size).toBe(0);
  expect(sandbox.store.prepared.size).toBe(0);
  expect(sandbox.store.schedules.size).toBe(0);
  const health = await api(sandbox, 'GET', '/payments/imp_000000000000?include_sandbox=true');
  expect(health.status).toBe(404);
  const callback = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'after' }) });
  expect(callback.success).toBe(true);
}

describe('bad input', () => {
  it('answers malformed JSON with 400 in the envelope, on the API and the window', async () => {
    const answer = await post('/payments/prepare', '{"merchant_uid": "x", amount: }');
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ code: -1, response: null, message: expect.stringMatching(/JSON/) });
    const window = await post('/sandbox/payments', '{oops', 'application/json', false);
    expect(window.status).toBe(400);
    expect(await window.json()).toEqual({ code: -1, response: null, message: expect.stringMatching(/JSON/) });
    expect(window.headers.get('access-control-allow-origin')).toBe('*');
    expect((await post('/payments/prepare', '[1, 2]')).status).toBe(400);
    await expectUnharmed();
  });

  it('answers missing or mistyped fields with 400', async () => {
    const cases: [string, unknown][] = [
      ['/payments/prepare', { merchant_uid: 'x', amount: '1000' }],
      ['/payments/prepare', { merchant_uid: 42, amount: 1000 }],
      ['/payments/prepare', { amount: 1000 }],
      ['/payments/prepare', { merchant_uid: 'x', amount: 10.5 }],
      ['/payments/cancel', { imp_uid: 'imp_000000000000', amount: 'all' }],
      ['/subscribe/payments/schedule', { customer_uid: 'c', schedules: 'soon' }],
      ['/subscribe/payments/schedule', { customer_uid: 'c', schedules: [{ merchant_uid: 'a', amount: 1 }] }],
      ['/subscribe/payments/unschedule', { merchant_uid: [1, 2] }],
      ['/sandbox/payments', { outcome: 'approve' }],
      ['/sandbox/payments', { outcome: 'maybe', params: paymentParams() }],
      ['/sandbox/payments', { params: paymentParams({ amount: '9900' }), outcome: 'approve' }],
      ['/sandbox/payments', { params: paymentParams({ pay_method: 'vbank' }), outcome: 'approve' }],
      ['/sandbox/payments', { params: paymentParams({ amount: 0 }), outcome: 'approve' }],
      ['/sandbox/payments', { params: paymentParams({ notice_url: 5 }), outcome: 'approve' }],
    ];
    for (const [path, body] of cases) {
      const answer = await post(path, JSON.stringify(body));
      expect(answer.status, `${path} ${JSON.stringify(body)}`).toBe(400);
    }
    await expectUnharmed();
  });

  it('answers a 2 MiB body with 413', async () => {
    const huge = JSON.stringify({ merchant_uid: 'big', amount: 1, pad: 'x'.repeat(2 * 1024 * 1024) });
    const answer = await post('/payments/prepare', huge);
    expect(answer.status).toBe(413);
    const window = await post('/sandbox/payments', huge, 'application/json', false);
    expect(window.status).toBe(413);
    await expectUnharmed();
  });

  it('answers an unsupported content type with 415 and odd form keys with 400', async () => {
    expect((await post('/payments/prepare', 'merchant_uid: x', 'text/plain')).status).toBe(415);
    expect((await post('/payments/prepare', '__proto__[amount]=1', 'application/x-www-form-urlencoded')).status).toBe(
      400,
    );
    expect((await post('/payments/prepare', 'a[]=1&a[x]=2', 'application/x-www-form-urlencoded')).status).toBe(400);
    await expectUnharmed();
  });

  it('answers a path with broken percent-encoding with 400', async () => {
    const answer = await fetch(`${sandbox.url}/payments/%E0%A4%A?include_sandbox=true`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(400);
    await expectUnharmed();
  });

  it('survives bytes that are not HTTP', async () => {
    const { port } = new URL(sandbox.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += String(chunk);
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    await expectUnharmed();
  });
});
