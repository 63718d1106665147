import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Order, Subscription } from '../src/shared/api.js';
import { shopSession } from './flows.js';
import { type TestContext, test } from './harness.js';

// The shop's HTTP server alone: whose session a cookie is, whose request a request id is, and answers to
// requests a browser would not make (a broken path, a body too large) on a kept-alive connection.

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

async function call(context: TestContext, path: string, init: { cookie?: string; body?: unknown } = {}) {
  const response = await fetch(`${context.shop.url}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, headers: response.headers, body: await response.text() } satisfies Answer;
}

const cookieOf = (answer: Answer) => answer.headers.get('set-cookie')?.split(';')[0] ?? null;

const orderBody = (requestId: string) => ({
  requestId,
  items: [{ sku: 'tea-sampler', quantity: 1 }],
  buyerName: '홍길동',
  buyerTel: '010-1234-5678',
});

test('server: a session cookie the shop never issued is replaced, and sees nothing made under the new one', async (context) => {
  // A session id planted in the buyer's browser (session fixation): well formed, never issued.
  const planted = `shop_session=${randomBytes(32).toString('base64url')}`;
  const first = await call(context, '/api/orders', { cookie: planted, body: orderBody(`fixation_${Date.now()}`) });
  assert.equal(first.status, 201);
  const issued = cookieOf(first);
  assert.ok(issued, 'a new session is issued');
  assert.notEqual(issued, planted, 'the planted id is not adopted');
  const order = JSON.parse(first.body) as Order;

  // The buyer's browser now holds the issued session, which sees the order; the planted id sees nothing.
  const mine = await call(context, '/api/orders', { cookie: issued });
  assert.deepEqual(
    (JSON.parse(mine.body) as Order[]).map((entry) => entry.merchantUid),
    [order.merchantUid],
  );
  assert.equal(cookieOf(mine), null, 'an issued session is kept');
  const attacker = await call(context, '/api/orders', { cookie: planted });
  assert.deepEqual(JSON.parse(attacker.body), []);
  assert.notEqual(cookieOf(attacker), planted);
  assert.equal((await call(context, `/api/orders/${order.merchantUid}`, { cookie: planted })).status, 404);
  // A page visit with the planted id is given a session of its own too.
  const page = await call(context, '/', { cookie: planted });
  assert.notEqual(cookieOf(page), null);
  assert.notEqual(cookieOf(page), planted);
});

test("server: another session's request id makes its own order and subscription, never the first one's", async (context) => {
  const alice = await shopSession(context);
  const mallory = await shopSession(context);
  assert.notEqual(alice, mallory);
  const requestId = `shared_${Date.now()}`;

  const aliceOrder = JSON.parse(
    (await call(context, '/api/orders', { cookie: alice, body: orderBody(requestId) })).body,
  ) as Order;
  // The same session sending it again (a double click) gets the same order back.
  const repeat = JSON.parse(
    (await call(context, '/api/orders', { cookie: alice, body: orderBody(requestId) })).body,
  ) as Order;
  assert.equal(repeat.merchantUid, aliceOrder.merchantUid);
  const malloryAnswer = await call(context, '/api/orders', { cookie: mallory, body: orderBody(requestId) });
  assert.equal(malloryAnswer.status, 201);
  const malloryOrder = JSON.parse(malloryAnswer.body) as Order;
  assert.notEqual(malloryOrder.merchantUid, aliceOrder.merchantUid, "another session's request id is another order");
  assert.equal(malloryOrder.buyerName, '홍길동');
  assert.equal(
    (await call(context, `/api/orders/${aliceOrder.merchantUid}`, { cookie: mallory })).status,
    404,
    "and Alice's order stays hers",
  );

  const subscriptionBody = { requestId, planId: 'tea-monthly', buyerName: '김영희', buyerTel: '010-2222-3333' };
  const aliceSubscription = JSON.parse(
    (await call(context, '/api/subscriptions', { cookie: alice, body: subscriptionBody })).body,
  ) as Subscription;
  const mallorySubscription = JSON.parse(
    (await call(context, '/api/subscriptions', { cookie: mallory, body: { ...subscriptionBody, buyerName: '해커' } }))
      .body,
  ) as Subscription;
  assert.notEqual(mallorySubscription.id, aliceSubscription.id);
  assert.notEqual(mallorySubscription.customerUid, aliceSubscription.customerUid, "Alice's billing key stays hers");
  assert.equal(mallorySubscription.buyerName, '해커');
  assert.equal((await call(context, `/api/subscriptions/${aliceSubscription.id}`, { cookie: mallory })).status, 404);
});

/** Sends raw bytes on one connection and reads what comes back until the server ends it or `until` holds. */
function rawExchange(
  context: TestContext,
  send: (write: (data: string | Buffer) => void) => void,
  until: (received: string) => boolean,
): Promise<{ received: string; ended: 'end' | 'error' | 'kept'; error: string | null }> {
  const { port } = new URL(context.shop.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    let done = false;
    const finish = (ended: 'end' | 'error' | 'kept', error: string | null = null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, ended, error });
    };
    // A bound, not a wait: the test ends on the answer (or the socket's end); this only turns a shop that
    // never answers into a failure. It is real time because the shop under test is a separate process on
    // its own clock.
    const timer = setTimeout(() => reject(new Error(`no complete answer; got:\n${received}`)), 20_000);
    socket.on('connect', () => send((data) => socket.write(data)));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      if (until(received)) finish('kept');
    });
    socket.on('end', () => finish('end'));
    socket.on('error', (error) => finish('error', error.message));
  });
}

/** The HTTP/1.1 responses in `text`, complete ones only (bodies by content-length). */
function responses(text: string): { status: number; headers: Record<string, string>; body: string }[] {
  const found = [];
  let rest = Buffer.from(text, 'utf8');
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('utf8').split('\r\n');
    const headers = Object.fromEntries(
      lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length'] ?? 0);
    if (rest.length < end + 4 + length) break;
    found.push({
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: rest.subarray(end + 4, end + 4 + length).toString('utf8'),
    });
    rest = rest.subarray(end + 4 + length);
  }
  return found;
}

test('server: a path with broken percent-encoding is a 400 with a body, not an empty 500', async (context) => {
  for (const path of ['/%E0%A4%A', '/api/%E0%A4%A', '/orders/%ZZ']) {
    const answer = await call(context, path);
    assert.equal(answer.status, 400, path);
    assert.match(answer.body, /잘못된 주소입니다/, path);
  }
  // The shop still answers on the next request.
  assert.equal((await call(context, '/api/config')).status, 200);
});

test('server: after a body too large, the same keep-alive connection answers the next request', async (context) => {
  const cookie = await shopSession(context);
  const body = JSON.stringify({ ...orderBody(`large_${Date.now()}`), note: 'x'.repeat(40_000) });
  const { received, ended, error } = await rawExchange(
    context,
    (write) => {
      write(
        `POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nCookie: ${cookie}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      write(body);
      write(`GET /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nCookie: ${cookie}\r\n\r\n`);
    },
    (text) => responses(text).length >= 2,
  );
  assert.equal(error, null, 'the connection was not reset');
  assert.equal(ended, 'kept');
  const [tooLarge, next] = responses(received);
  assert.equal(tooLarge?.status, 400);
  assert.match(tooLarge?.body ?? '', /잘못된 요청입니다/);
  assert.notEqual(tooLarge?.headers.connection, 'close');
  assert.equal(next?.status, 200, 'the next request on the connection is answered');
  assert.equal((JSON.parse(next?.body ?? '{}') as { mode?: string }).mode, 'sandbox');
});

test('server: a body too large to drain gets its 400 and the connection is closed, not reset', async (context) => {
  const cookie = await shopSession(context);
  const { received, ended, error } = await rawExchange(
    context,
    (write) =>
      write(
        `POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nCookie: ${cookie}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n',
      ),
    () => false,
  );
  assert.equal(error, null, 'closed, not reset');
  assert.equal(ended, 'end');
  const [answer] = responses(received);
  assert.equal(answer?.status, 400);
  assert.equal(answer?.headers.connection, 'close', 'the answer says the connection ends');
  assert.match(answer?.body ?? '', /잘못된 요청입니다/);
});
