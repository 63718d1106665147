import { inspect } from 'node:util';
import type { Sandbox } from '@portone-kit/sandbox/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPortoneClient } from '../src/node.js';
import { createDrivenNetwork, type DrivenNetwork } from './driven-network.js';
import { AGAIN, clientFor, issueBillingKey, seoul, startTestSandbox } from './support.js';

const SECRET = 'sEcReT_do_not_leak_0123456789';

let sandbox: Sandbox;
let issuedTokens: string[];

beforeEach(async () => {
  sandbox = await startTestSandbox();
  issuedTokens = [];
});
afterEach(() => sandbox.close());

/** Everything a log could show of a value: its text, its JSON, and Node's inspection with causes. */
function everyRendering(value: unknown): string {
  const parts = [String(value), inspect(value, { depth: 10, showHidden: true, getters: true })];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // Circular: inspect shows it anyway.
  }
  if (value instanceof Error) parts.push(value.stack ?? '', value.message);
  return parts.join('\n');
}

function expectNoSecret(value: unknown) {
  const text = everyRendering(value);
  expect(text).not.toContain(SECRET);
  for (const token of issuedTokens) expect(text).not.toContain(token);
}

/**
 * A client with a secret the sandbox does not know (so getToken is refused), or, with `sandboxSecret`,
 * the sandbox's; every token it gets is noted, and `echo` makes the "server" repeat the request back.
 */
function watchedClient(options: { echo?: boolean; throwWithRequest?: boolean; network?: DrivenNetwork } = {}) {
  const forward = options.network?.fetch ?? fetch;
  return createPortoneClient({
    impKey: sandbox.impKey,
    impSecret: SECRET,
    baseUrl: sandbox.url,
    includeSandbox: true,
    timeoutMs: options.network ? 100 : 30_000,
    ...(options.network ? { timers: options.network.timers } : {}),
    readRetries: 0,
    chargeSettleMs: 0,
    fetch: async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      const authorization = new Headers(init?.headers).get('authorization') ?? '';
      if (options.throwWithRequest) throw new Error(`refused ${body} ${authorization}`);
      if (String(input).endsWith('/users/getToken')) {
        // The sandbox knows its own secret only: swap ours for it, as if PortOne had ours.
        const swapped = body.replace(SECRET, sandbox.impSecret);
        const answer = await forward(input, { ...init, body: swapped });
        const text = await answer.text();
        const token = /"access_token":"(\w+)"/.exec(text)?.[1];
        if (token) issuedTokens.push(token);
        return new Response(text, { status: answer.status, headers: answer.headers });
      }
      if (options.echo) {
        return new Response(
          JSON.stringify({ code: 1, message: `echo ${body} ${authorization} ${SECRET}`, response: null }),
          { status: 500, headers: { 'content-type': 'application/json' } },
        );
      }
      return forward(input, init);
    },
  });
}

describe('imp_secret and tokens stay out of sight', () => {
  it('in the client itself: toString, JSON and util.inspect', async () => {
    const client = watchedClient();
    await client.getPayment('imp_000000000000');
    expect(issuedTokens).toHaveLength(1);
    expectNoSecret(client);
    expect(JSON.stringify(client)).toBe(`{"baseUrl":"${sandbox.url}"}`);
    expect(inspect(client)).toBe(`PortoneClient <${sandbox.url}>`);
  });

  it('in errors whose body echoes the request, the token and the secret', async () => {
    const client = watchedClient({ echo: true });
    const error = await client.getPayment('imp_000000000000').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ httpStatus: 500 });
    expect((error as Error).message).toContain('[redacted]');
    expectNoSecret(error);
  });

  it('in network errors whose cause carries the request', async () => {
    const client = watchedClient({ throwWithRequest: true });
    const error = await client.getPayment('imp_000000000000').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'PortoneNetworkError', endpoint: 'POST /users/getToken' });
    expectNoSecret(error);
  });

  it('in the refusal of a wrong secret', async () => {
    const client = createPortoneClient({ impKey: sandbox.impKey, impSecret: SECRET, baseUrl: sandbox.url });
    const error = await client.getPayment('imp_000000000000').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ httpStatus: 401 });
    expectNoSecret(error);
  });

  it('in 404s, business errors, timeouts and every charge result', async () => {
    await issueBillingKey(sandbox, 'cust', 9900);
    sandbox.clock.set(seoul(2026, 2, 15));
    const network = createDrivenNetwork(sandbox);
    const client = watchedClient({ network });
    const charge = { customerUid: 'cust', amount: 9900, name: '구독' };
    const seen: unknown[] = [
      await client.getPayment('imp_000000000000'),
      await client.cancelPayment({ impUid: 'imp_000000000000' }).catch((caught: unknown) => caught),
      await client.deleteBillingKey('nobody').catch((caught: unknown) => caught),
      await client.chargeBillingKey({ ...charge, merchantUid: 'm1' }),
      await client.chargeBillingKey({ ...charge, merchantUid: 'm1' }),
      await client.chargeBillingKey({ ...charge, customerUid: 'nobody', merchantUid: 'm2' }),
      await client.chargeBillingKey({ ...charge, merchantUid: 'm3', amount: 1 }),
    ];
    sandbox.faults.set(AGAIN, { status: 503, times: 1 });
    seen.push(await client.chargeBillingKey({ ...charge, merchantUid: 'm4' }));
    sandbox.faults.set(AGAIN, { dropAfterCommit: true, times: 1 });
    sandbox.faults.set('GET /payments/find/:merchant_uid', { status: 500, times: 1 });
    seen.push(await client.chargeBillingKey({ ...charge, merchantUid: 'm5' }));
    expect(seen.map((value) => (value as { status?: string } | null)?.status ?? (value as Error | null)?.name)).toEqual(
      [
        undefined,
        'PortoneApiError',
        'PortoneApiError',
        'paid',
        'already-paid',
        'refused',
        'declined',
        'not-charged',
        'unknown',
      ],
    );
    network.misfortune('GET /payments/:imp_uid', { kind: 'lost' }, 1);
    const timeout = await network.drive(client.getPayment('imp_000000000000')).catch((caught: unknown) => caught);
    expect(timeout).toMatchObject({ name: 'PortoneTimeoutError' });
    seen.push(timeout);
    expect(issuedTokens.length).toBeGreaterThan(0);
    for (const value of seen) expectNoSecret(value);
  });
});

describe('the client with the sandbox’s own secret', () => {
  it('keeps that secret out of its rendering too', () => {
    const client = clientFor(sandbox);
    expect(everyRendering(client)).not.toContain(sandbox.impSecret);
  });
});
