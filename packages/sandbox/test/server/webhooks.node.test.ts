import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock, type Sandbox, type StartSandboxOptions, startSandbox } from '../../src/server.js';
import { api, billingParams, paymentParams, seoul, startReceiver, windowPay } from './support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sandboxWith(options: StartSandboxOptions): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0, clock: createClock(seoul(2026, 1, 15)), ...options });
  cleanups.push(() => sandbox.close());
  return sandbox;
}

async function receiver(status = 200) {
  const started = await startReceiver(status);
  cleanups.push(started.close);
  return started;
}

describe('webhooks', () => {
  it('posts { imp_uid, merchant_uid, status } as JSON to the console URL when a window payment is paid', async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith({ webhookUrl: hook.url });
    const { imp_uid } = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'hook_1' }) });
    const [received] = await hook.waitFor(1);
    expect(received?.contentType).toBe('application/json');
    expect(JSON.parse(received?.body ?? '')).toEqual({ imp_uid, merchant_uid: 'hook_1', status: 'paid' });
    await sandbox.webhooks.settled();
    expect(sandbox.webhooks.deliveries).toEqual([
      expect.objectContaining({ url: hook.url, status: 200, error: null, contentType: 'application/json' }),
    ]);
  });

  it('posts a form when the sandbox is set to webhookFormat form', async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith({ webhookUrl: hook.url, webhookFormat: 'form' });
    const { imp_uid } = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'hook_2' }) });
    const [received] = await hook.waitFor(1);
    expect(received?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(received?.body))).toEqual({
      imp_uid,
      merchant_uid: 'hook_2',
      status: 'paid',
    });
  });

  it('posts to the payment’s notice_url instead of the console URL', async () => {
    const consoleHook = await receiver();
    const noticeHook = await receiver();
    const sandbox = await sandboxWith({ webhookUrl: consoleHook.url });
    await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'hook_3', notice_url: noticeHook.url }) });
    await noticeHook.waitFor(1);
    await sandbox.webhooks.settled();
    expect(consoleHook.received).toEqual([]);
  });

  it('posts for a paid again charge and a scheduled charge, paid or failed, and none for a failed again', async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith({ webhookUrl: hook.url });
    const clock = sandbox.clock;
    await windowPay(sandbox, { params: billingParams('cust', 9900) });
    await hook.waitFor(1);
    clock.set(seoul(2026, 2, 15));
    const charge = { customer_uid: 'cust', amount: 9900, name: '구독' };
    await api(sandbox, 'POST', '/subscribe/payments/again', { json: { ...charge, merchant_uid: 'feb' } });
    await hook.waitFor(2);
    await api(sandbox, 'POST', '/subscribe/payments/again', { json: { ...charge, merchant_uid: 'feb_bis' } });
    await sandbox.webhooks.settled();
    expect(hook.received).toHaveLength(2);

    await api(sandbox, 'POST', '/subscribe/payments/schedule', {
      json: {
        customer_uid: 'cust',
        schedules: [{ merchant_uid: 'mar', schedule_at: seoul(2026, 3, 16) / 1000, amount: 9900, name: '구독' }],
      },
    });
    clock.set(seoul(2026, 3, 16));
    const [, second, third] = await hook.waitFor(3);
    expect(JSON.parse(second?.body ?? '')).toMatchObject({ merchant_uid: 'feb', status: 'paid' });
    expect(JSON.parse(third?.body ?? '')).toMatchObject({ merchant_uid: 'mar', status: 'failed' });
  });

  it('posts for an API cancel only with enable_webhook: true', async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith({ webhookUrl: hook.url });
    const quiet = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'c_1' }) });
    const loud = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'c_2' }) });
    await hook.waitFor(2);
    await api(sandbox, 'POST', '/payments/cancel', { json: { imp_uid: quiet.imp_uid } });
    await api(sandbox, 'POST', '/payments/cancel', { form: `imp_uid=${loud.imp_uid}&enable_webhook=true` });
    const received = await hook.waitFor(3);
    await sandbox.webhooks.settled();
    expect(received).toHaveLength(3);
    expect(JSON.parse(received[2]?.body ?? '')).toMatchObject({
      imp_uid: loud.imp_uid,
      merchant_uid: 'c_2',
      status: 'cancelled',
      cancellation_id: expect.any(String),
    });
  });

  it('refuses and logs URLs beyond this machine, without posting', async () => {
    const sandbox = await sandboxWith({ webhookUrl: 'http://example.com/hook' });
    await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'far_1' }) });
    await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'far_2', notice_url: 'http://10.1.2.3/hook' }) });
    await sandbox.webhooks.settled();
    expect(sandbox.webhooks.deliveries).toEqual([
      expect.objectContaining({
        url: 'http://example.com/hook',
        status: null,
        error: expect.stringMatching(/refused/),
      }),
      expect.objectContaining({ url: 'http://10.1.2.3/hook', status: null, error: expect.stringMatching(/refused/) }),
    ]);
  });

  it('logs the receiver’s error status', async () => {
    const hook = await receiver(500);
    const sandbox = await sandboxWith({ webhookUrl: hook.url });
    await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'err_1' }) });
    await sandbox.webhooks.settled();
    expect(sandbox.webhooks.deliveries).toEqual([expect.objectContaining({ status: 500, error: null })]);
  });

  it('never holds the API answer for a receiver that does not answer', async () => {
    const hanging = new Set<ServerResponse>();
    let arrived: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = createServer((_request, response) => {
      hanging.add(response);
      arrived();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    cleanups.push(
      () =>
        new Promise<void>((closed) => {
          server.closeAllConnections();
          server.close(() => closed());
        }),
    );
    const { port } = server.address() as AddressInfo;
    const sandbox = await startSandbox({ port: 0, webhookUrl: `http://127.0.0.1:${port}/hook` });
    const callback = await windowPay(sandbox, { params: paymentParams({ merchant_uid: 'slow_1' }) });
    expect(callback.success).toBe(true);
    await reached;
    expect(sandbox.webhooks.deliveries).toEqual([]);
    // Closing the sandbox ends the delivery it was still waiting on.
    await sandbox.close();
    expect(sandbox.webhooks.deliveries).toEqual([expect.objectContaining({ status: null, error: expect.any(String) })]);
  });
});
