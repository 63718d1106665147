import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type Sandbox, type SandboxClock, startSandbox } from '../../src/server.js';
import { api, type Envelope } from './support.js';

let clock: SandboxClock;
let sandbox: Sandbox;

// A sandbox and a clock per test: no test sees what another stored, or where it moved the clock.
beforeEach(async () => {
  clock = createClock(Date.UTC(2026, 2, 2, 3, 0, 0));
  sandbox = await startSandbox({ port: 0, clock, impKey: 'key_1', impSecret: 'secret_1' });
});
afterEach(() => sandbox.close());

interface Token {
  access_token: string;
  now: number;
  expired_at: number;
}

async function getToken(body: unknown, contentType = 'application/json') {
  const answer = await fetch(`${sandbox.url}/users/getToken`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: answer.status, envelope: (await answer.json()) as Envelope<Token> };
}

const credentials = { imp_key: 'key_1', imp_secret: 'secret_1' };

describe('POST /users/getToken', () => {
  it('answers a token that lives 30 minutes on the sandbox clock, in UNIX seconds', async () => {
    sandbox.expireTokensNow();
    const { status, envelope } = await getToken(credentials);
    expect(status).toBe(200);
    expect(envelope).toMatchObject({ code: 0, response: { now: clock.now() / 1000 } });
    expect(envelope.response?.expired_at).toBe(clock.now() / 1000 + 30 * 60);
    expect(envelope.response?.access_token).toMatch(/^\w{20,}$/);
  });

  it('accepts the credentials as a form too', async () => {
    const { status, envelope } = await getToken(
      'imp_key=key_1&imp_secret=secret_1',
      'application/x-www-form-urlencoded',
    );
    expect(status).toBe(200);
    expect(envelope.code).toBe(0);
  });

  it('answers 401 for a wrong key or secret, and 400 when one is missing', async () => {
    expect((await getToken({ imp_key: 'key_1', imp_secret: 'nope' })).status).toBe(401);
    expect((await getToken({ imp_key: 'other', imp_secret: 'secret_1' })).status).toBe(401);
    const missing = await getToken({ imp_key: 'key_1' });
    expect(missing.status).toBe(400);
    expect(missing.envelope).toMatchObject({ response: null });
    expect(missing.envelope.code).not.toBe(0);
  });

  it('returns the same token until it expires, extended by 5 minutes within its last minute', async () => {
    sandbox.expireTokensNow();
    const first = (await getToken(credentials)).envelope.response;
    clock.advance(20 * 60 * 1000);
    const again = (await getToken(credentials)).envelope.response;
    expect(again?.access_token).toBe(first?.access_token);
    expect(again?.expired_at).toBe(first?.expired_at);

    clock.advance(9 * 60 * 1000 + 30 * 1000); // 30 s before expiry
    const extended = (await getToken(credentials)).envelope.response;
    expect(extended?.access_token).toBe(first?.access_token);
    expect(extended?.expired_at).toBe((first?.expired_at ?? 0) + 5 * 60);

    clock.advance(6 * 60 * 1000); // past the extended expiry
    const renewed = (await getToken(credentials)).envelope.response;
    expect(renewed?.access_token).not.toBe(first?.access_token);
  });
});

describe('access tokens on the API', () => {
  it('are accepted as Bearer, as a raw Authorization header and as X-ImpTokenHeader', async () => {
    const token = (await getToken(credentials)).envelope.response?.access_token ?? '';
    const path = '/payments/imp_000000000000?include_sandbox=true';
    const headers = [{ authorization: `Bearer ${token}` }, { authorization: token }, { 'x-imptokenheader': token }];
    for (const header of headers) {
      // An unknown payment answers 404, which only an accepted token reaches.
      expect((await api(sandbox, 'GET', path, { token: null, headers: header })).status).toBe(404);
    }
  });

  it('answers 401 without a token, with an unknown one and with an expired one', async () => {
    const path = '/payments/imp_000000000000?include_sandbox=true';
    const none = await api(sandbox, 'GET', path, { token: null });
    expect(none.status).toBe(401);
    expect(none.envelope).toMatchObject({ response: null });
    expect((await api(sandbox, 'GET', path, { token: 'not-a-token' })).status).toBe(401);

    const token = (await getToken(credentials)).envelope.response?.access_token ?? null;
    expect((await api(sandbox, 'GET', path, { token })).status).toBe(404);
    clock.advance(36 * 60 * 1000);
    expect((await api(sandbox, 'GET', path, { token })).status).toBe(401);
  });

  it('stop working at once after expireTokensNow, until a new token is asked for', async () => {
    const path = '/payments/imp_000000000000?include_sandbox=true';
    const token = (await getToken(credentials)).envelope.response?.access_token ?? null;
    sandbox.expireTokensNow();
    expect((await api(sandbox, 'GET', path, { token })).status).toBe(401);
    const fresh = (await getToken(credentials)).envelope.response?.access_token ?? null;
    expect(fresh).not.toBe(token);
    expect((await api(sandbox, 'GET', path, { token: fresh })).status).toBe(404);
  });
});
