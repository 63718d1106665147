import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type Sandbox, startSandbox } from '@portone-kit/sandbox/server';
import {
  checkPayment,
  createPortoneClient,
  createWebhookHandler,
  type PortoneClient,
  toNodeHandler,
} from '@portone-kit/server';
import type { ClockState, ShopConfig } from '../shared/api.js';
import { CatalogError, orderName, PLANS, PRODUCTS, priceCart } from './catalog.js';
import { MOBILIANS_TEST_MID, type PortoneCredentials } from './config.js';
import { openShopDatabase, type ShopDatabase } from './db.js';
import { BadRequest, type JsonReply, readJson, sendJson, serveStatic, textField } from './http.js';
import { applyPortonePayment, prepareAmount, retryRefunds, ShopError, syncPayment } from './payments.js';
import {
  cancelSubscription,
  chargeThisMonth,
  createSubscription,
  MAX_CLOCK_STEP_MS,
  type SubscriptionContext,
  subscriptionView,
} from './subscriptions.js';

export interface StartShopOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The SQLite file (created when missing), or `:memory:`. */
  databaseFile: string;
  /** The built front end (vite's output). */
  clientDir: string;
  /** Real PortOne. Without it the shop runs on the sandbox emulator, started in this process. */
  portone?: PortoneCredentials | null;
  sandbox?: {
    /** Where the sandbox's clock starts; default: real time until the demo moves it. */
    clockStartMs?: number;
    /** Where the sandbox posts webhooks; default the shop's own webhook route. */
    webhookUrl?: string;
    port?: number;
  };
  /** Where the shop says what it did; never given secrets. Default: nothing. */
  log?: (line: string) => void;
}

export interface RunningShop {
  url: string;
  config: ShopConfig;
  /** The emulator, on the sandbox; null on real PortOne. */
  sandbox: Sandbox | null;
  db: ShopDatabase;
  /** Sends again the refunds left behind now, as the 30 s timer does. */
  retryRefunds(): Promise<void>;
  close(): Promise<void>;
}

/** The merchant code the sandbox's fake SDK is initialised with: any `imp` + digits will do. */
const SANDBOX_MERCHANT_CODE = 'imp00000000';
const WEBHOOK_PATH = '/api/portone/webhook';

/** The browser's session: an unguessable id, the only thing that lets a browser see its own orders. */
const SESSION_COOKIE = 'shop_session';
const SESSION_ID = /^[\w-]{43}$/;

function sessionOf(request: IncomingMessage): string | null {
  for (const part of request.headers.cookie?.split(';') ?? []) {
    const [name, value] = part.trim().split('=', 2);
    if (name === SESSION_COOKIE && value !== undefined && SESSION_ID.test(value)) return value;
  }
  return null;
}

/** The request's session, or a new one set as a cookie on the response (script cannot read it). */
function ensureSession(request: IncomingMessage, response: ServerResponse): string {
  const existing = sessionOf(request);
  if (existing) return existing;
  const id = randomBytes(32).toString('base64url');
  // Secure behind an https proxy; without it on plain http, as the demo on 127.0.0.1 is.
  const secure = request.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
  response.setHeader(
    'set-cookie',
    `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${60 * 60 * 24 * 180}${secure}`,
  );
  return id;
}

/** How often refunds that failed or were cut off by a crash are sent again. */
const REFUND_RETRY_MS = 30_000;

const PHONE = /^01[016789]-?\d{3,4}-?\d{4}$/;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function buyerFields(body: Record<string, unknown>) {
  const buyerName = textField(body, 'buyerName', 20);
  const buyerTel = textField(body, 'buyerTel', 16);
  if (!PHONE.test(buyerTel)) throw new ShopError(400, '휴대폰 번호를 010-1234-5678 형식으로 입력해 주세요.');
  return { buyerName, buyerTel };
}

function clockState(nowMs: number): ClockState {
  const seoul = new Date(nowMs + 9 * 60 * 60 * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return { now: new Date(nowMs).toISOString(), seoul };
}

/**
 * Starts the shop's server: the API, PortOne's webhook route and the built front end. On the sandbox it
 * starts the emulator in this process too, with its webhooks pointed at this server.
 */
export async function startShop(options: StartShopOptions): Promise<RunningShop> {
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  // Listen first: the sandbox needs this server's URL for its webhooks.
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host}:${port}`;

  let sandbox: Sandbox | null = null;
  let portone: PortoneClient;
  let config: ShopConfig;
  let allowSandbox: boolean;
  let now: () => number;
  const real = options.portone ?? null;
  if (real === null) {
    sandbox = await startSandbox({
      clock: createClock(options.sandbox?.clockStartMs),
      webhookUrl: options.sandbox?.webhookUrl ?? `${url}${WEBHOOK_PATH}`,
      port: options.sandbox?.port ?? 0,
    });
    const running = sandbox;
    portone = createPortoneClient({
      impKey: running.impKey,
      impSecret: running.impSecret,
      baseUrl: running.url,
      includeSandbox: true,
    });
    config = {
      mode: 'sandbox',
      merchantCode: SANDBOX_MERCHANT_CODE,
      sdkSrc: `${running.url}/v1/iamport.js`,
      pg: 'mobilians',
      billingPg: `mobilians.${MOBILIANS_TEST_MID}`,
      demoClock: true,
    };
    allowSandbox = true;
    now = () => running.clock.now();
  } else {
    portone = createPortoneClient({
      impKey: real.impKey,
      impSecret: real.impSecret,
      ...(real.apiUrl ? { baseUrl: real.apiUrl } : {}),
      includeSandbox: real.allowTestPayments ?? false,
    });
    config = {
      mode: 'portone',
      merchantCode: real.merchantCode,
      sdkSrc: real.sdkSrc ?? null,
      pg: real.pg ?? 'mobilians',
      billingPg: real.billingPg,
      demoClock: false,
    };
    allowSandbox = real.allowTestPayments ?? false;
    now = () => Date.now();
  }

  const db = openShopDatabase(options.databaseFile, now);
  for (const plan of PLANS) db.registerPlan(plan);
  const context: SubscriptionContext = { db, portone, allowSandbox, log, now };

  // Refunds left behind (PortOne down, a crash mid-refund): on start, then every 30 s; one run at a time.
  let retrying: Promise<void> | null = null;
  const retry = () => {
    retrying ??= retryRefunds(context)
      .catch((error: unknown) => log(`refund retry: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        retrying = null;
      });
  };
  retry();
  const retryTimer = setInterval(retry, REFUND_RETRY_MS);
  retryTimer.unref();

  const webhook = toNodeHandler(
    createWebhookHandler({
      client: portone,
      allowSandbox,
      store: db.webhookStore(),
      onError: (error) => log(`webhook: ${error instanceof Error ? error.message : String(error)}`),
      async onPayment(payment) {
        const order = db.getOrder(payment.merchant_uid);
        // Not one of this shop's orders (another app on the same PortOne account): nothing to do.
        if (!order) return;
        const expected = { merchantUid: order.merchantUid, amount: order.amount };
        await applyPortonePayment(context, payment, checkPayment(payment, expected, { allowSandbox }), 'webhook');
      },
    }),
  );

  const notFound = (what: '주문' | '구독') => new ShopError(404, `${what}을 찾을 수 없습니다.`);

  async function api(request: IncomingMessage, pathname: string, sessionId: string): Promise<JsonReply> {
    const method = request.method ?? 'GET';
    const route = `${method} ${pathname}`;
    // Every write says JSON, body or not: a cross-site form cannot, so it cannot act for the buyer.
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (method === 'POST' && type !== 'application/json') throw new BadRequest('content-type must be application/json');

    if (route === 'GET /api/config') return { status: 200, body: config };
    if (route === 'GET /api/catalog') return { status: 200, body: { products: PRODUCTS, plans: PLANS } };

    if (route === 'POST /api/orders') {
      const body = await readJson(request);
      const requestId = textField(body, 'requestId', 64);
      const buyer = buyerFields(body);
      const { lines, amount } = priceCart(body.items);
      const date = new Date(now()).toISOString().slice(0, 10).replaceAll('-', '');
      const order = db.createOrder({
        merchantUid: `ord_${date}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`,
        requestId,
        kind: 'checkout',
        name: orderName(lines),
        amount,
        lines,
        ...buyer,
        sessionId,
      });
      await prepareAmount(context, order);
      return { status: 201, body: order };
    }
    if (route === 'GET /api/orders') return { status: 200, body: db.listOrders({ sessionId }) };
    const orderUid = pathname.match(/^\/api\/orders\/([\w-]{1,40})$/)?.[1];
    if (method === 'GET' && orderUid) {
      const order = db.orderBelongsTo(orderUid, sessionId) ? db.getOrder(orderUid) : null;
      if (!order) throw notFound('주문');
      return { status: 200, body: order };
    }

    if (route === 'POST /api/payments/sync') {
      const body = await readJson(request);
      const merchantUid = textField(body, 'merchantUid', 40);
      const impUid = body.impUid === null || body.impUid === undefined ? null : textField(body, 'impUid', 32);
      if (!db.orderBelongsTo(merchantUid, sessionId)) throw notFound('주문');
      return { status: 200, body: await syncPayment(context, { merchantUid, impUid }) };
    }

    if (route === 'POST /api/subscriptions') {
      const body = await readJson(request);
      const plan = PLANS.find((candidate) => candidate.id === body.planId);
      if (!plan) throw new ShopError(400, '없는 요금제입니다.');
      const record = createSubscription(context, {
        requestId: textField(body, 'requestId', 64),
        plan,
        ...buyerFields(body),
        sessionId,
      });
      const first = db.getOrder(record.firstOrderUid);
      if (first) await prepareAmount(context, first);
      return { status: 201, body: subscriptionView(context, record.id) };
    }
    const subscription = pathname.match(/^\/api\/subscriptions\/(sub_[0-9a-f]{12})(\/charges)?$/);
    if (subscription) {
      const [, id = '', charges] = subscription;
      if (!db.subscriptionBelongsTo(id, sessionId)) throw notFound('구독');
      if (method === 'GET' && !charges) return { status: 200, body: subscriptionView(context, id) };
      if (method === 'DELETE' && !charges) return { status: 200, body: await cancelSubscription(context, id) };
      if (method === 'POST' && charges) return { status: 200, body: await chargeThisMonth(context, id) };
    }

    // The demo clock: the sandbox's, which dates payments and decides Mobilians' monthly rule.
    if (sandbox !== null && route === 'GET /api/demo/clock') return { status: 200, body: clockState(now()) };
    if (sandbox !== null && route === 'POST /api/demo/clock') {
      const body = await readJson(request);
      const advanceMs = body.advanceMs;
      if (
        typeof advanceMs !== 'number' ||
        !Number.isInteger(advanceMs) ||
        advanceMs < 0 ||
        advanceMs > MAX_CLOCK_STEP_MS
      ) {
        throw new BadRequest('advanceMs must be a whole number of ms, 0 to 400 days');
      }
      sandbox.clock.advance(advanceMs);
      return { status: 200, body: clockState(now()) };
    }
    return { status: 404, body: { error: '없는 주소입니다.' } };
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const pathname = new URL(request.url ?? '/', 'http://shop.invalid').pathname;
    if (pathname === WEBHOOK_PATH) return webhook(request, response);
    if (!pathname.startsWith('/api/')) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      ensureSession(request, response);
      return serveStatic(options.clientDir, pathname, response);
    }
    const sessionId = ensureSession(request, response);
    let reply: JsonReply;
    try {
      reply = await api(request, pathname, sessionId);
    } catch (error) {
      if (error instanceof ShopError) {
        reply = {
          status: error.httpStatus,
          body: { error: error.message, ...(error.order ? { order: error.order } : {}) },
        };
      } else if (error instanceof BadRequest || error instanceof CatalogError) {
        reply = { status: 400, body: { error: error instanceof CatalogError ? error.message : '잘못된 요청입니다.' } };
      } else {
        log(`${request.method} ${pathname}: ${error instanceof Error ? error.message : String(error)}`);
        reply = { status: 502, body: { error: '결제 서버와 통신하지 못했습니다. 잠시 후 다시 시도해 주세요.' } };
      }
    }
    sendJson(response, reply);
  }

  server.on('request', (request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`unhandled: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  return {
    url,
    config,
    sandbox,
    db,
    async retryRefunds() {
      await retrying;
      retry();
      await retrying;
    },
    async close() {
      clearInterval(retryTimer);
      await retrying;
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
      await sandbox?.close();
      db.close();
    },
  };
}
