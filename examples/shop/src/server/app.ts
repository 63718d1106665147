import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BillingKeyIssuance, createClock, type Sandbox, startSandbox } from '@portone-kit/sandbox/server';
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
import { openShopDatabase, SESSION_LIFETIME_MS, type ShopDatabase } from './db.js';
import {
  BadRequest,
  decodedPath,
  type JsonReply,
  leavesBodyUnread,
  readJson,
  sendJson,
  sendText,
  serveStatic,
  textField,
} from './http.js';
import { applyPortonePayment, prepareAmount, retryRefunds, ShopError, syncPayment } from './payments.js';
import {
  cancelSubscription,
  chargeThisMonth,
  createSubscription,
  MAX_CLOCK_STEP_MS,
  type SubscriptionContext,
  scheduleNextCharge,
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
    /**
     * Whether issuing a billing key in the window charges its amount (`'charges'`, the default, as PortOne's
     * Korean guides say) or nothing (`'charges-nothing'`, as KG Mobilians' English guide says). The shop
     * handles both: it reads the issuing payment and charges the first month itself when nothing was.
     */
    billingKeyIssuance?: BillingKeyIssuance;
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

/** The session id the request's cookie presents, if it has the shape of one. */
function presentedSession(request: IncomingMessage): string | null {
  for (const part of request.headers.cookie?.split(';') ?? []) {
    const [name, value] = part.trim().split('=', 2);
    if (name === SESSION_COOKIE && value !== undefined && SESSION_ID.test(value)) return value;
  }
  return null;
}

/**
 * The request's session: the one its cookie presents when the shop issued it, else a new one, recorded
 * and set as a cookie on the response (script cannot read it). A cookie the shop never issued (a session
 * id planted in the buyer's browser, to read the orders made under it later) is never adopted.
 */
function ensureSession(db: ShopDatabase, request: IncomingMessage, response: ServerResponse): string {
  const presented = presentedSession(request);
  if (presented !== null && db.hasSession(presented)) return presented;
  const id = randomBytes(32).toString('base64url');
  db.createSession(id);
  // Secure behind an https proxy; without it on plain http, as the demo on 127.0.0.1 is.
  const secure = request.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
  response.setHeader(
    'set-cookie',
    `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_LIFETIME_MS / 1000}${secure}`,
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
      billingKeyIssuance: options.sandbox?.billingKeyIssuance ?? 'charges',
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
      billingKeyIssuance: running.billingKeyIssuance,
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
      billingKeyIssuance: null,
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
      const billing = body.billing ?? 'on-demand';
      if (billing !== 'on-demand' && billing !== 'scheduled')
        throw new BadRequest('billing must be on-demand or scheduled');
      const record = createSubscription(context, {
        requestId: textField(body, 'requestId', 64),
        plan,
        ...buyerFields(body),
        sessionId,
        billing,
      });
      const first = db.getOrder(record.firstOrderUid);
      if (first) await prepareAmount(context, first);
      return { status: 201, body: subscriptionView(context, record.id) };
    }
    const subscription = pathname.match(/^\/api\/subscriptions\/(sub_[0-9a-f]{12})(\/charges)?$/);
    if (subscription) {
      const [, id = '', charges] = subscription;
      if (!db.subscriptionBelongsTo(id, sessionId)) throw notFound('구독');
      if (method === 'GET' && !charges) {
        // A schedule PortOne did not take last time (it was down) is asked for again when the page is read.
        await scheduleNextCharge(context, id).catch((error: unknown) =>
          log(`scheduling ${id}: ${error instanceof Error ? error.message : String(error)}`),
        );
        return { status: 200, body: subscriptionView(context, id) };
      }
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
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', 'http://shop.invalid').pathname;
    } catch {
      pathname = '';
    }
    // A path whose percent-encoding is broken names nothing: 400, with a body saying so.
    if (pathname === '' || decodedPath(pathname) === null) {
      const close = leavesBodyUnread(request);
      if (pathname.startsWith('/api/'))
        sendJson(response, { status: 400, body: { error: '잘못된 주소입니다.' } }, { close });
      else sendText(response, 400, '400 잘못된 주소입니다.', { close });
      return;
    }
    if (pathname === WEBHOOK_PATH) return webhook(request, response);
    if (!pathname.startsWith('/api/')) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', ...(leavesBodyUnread(request) ? { connection: 'close' } : {}) });
        response.end();
        return;
      }
      ensureSession(db, request, response);
      return serveStatic(options.clientDir, pathname, response);
    }
    const sessionId = ensureSession(db, request, response);
    let reply: JsonReply;
    let close = false;
    try {
      reply = await api(request, pathname, sessionId);
    } catch (error) {
      if (error instanceof ShopError) {
        reply = {
          status: error.httpStatus,
          body: { error: error.message, ...(error.order ? { order: error.order } : {}) },
        };
      } else if (error instanceof BadRequest || error instanceof CatalogError) {
        close = error instanceof BadRequest && error.closeConnection;
        reply = { status: 400, body: { error: error instanceof CatalogError ? error.message : '잘못된 요청입니다.' } };
      } else {
        log(`${request.method} ${pathname}: ${error instanceof Error ? error.message : String(error)}`);
        reply = { status: 502, body: { error: '결제 서버와 통신하지 못했습니다. 잠시 후 다시 시도해 주세요.' } };
      }
    }
    // A body left unread that is too big to drain would be taken for the next request: end the connection.
    sendJson(response, reply, { close: close || leavesBodyUnread(request) });
  }

  server.on('request', (request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`unhandled: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) {
        sendJson(
          response,
          { status: 500, body: { error: '요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.' } },
          { close: leavesBodyUnread(request) },
        );
      } else {
        response.destroy();
      }
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
