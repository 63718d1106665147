import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IdempotencyClaim, IdempotencyStore } from '@portone-kit/server';
import Database from 'better-sqlite3';
import type {
  BillingMode,
  FirstCharge,
  Order,
  OrderKind,
  OrderLine,
  OrderStatus,
  Plan,
  Subscription,
  SubscriptionStatus,
} from '../shared/api.js';

// One SQLite file holds the shop. better-sqlite3 is synchronous: a transaction runs start to end without
// any other request's code in between, which is what keeps the browser's return and the webhook from
// both applying the same payment.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  merchant_uid TEXT PRIMARY KEY,
  request_id TEXT UNIQUE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  lines TEXT NOT NULL,
  buyer_name TEXT NOT NULL,
  buyer_tel TEXT NOT NULL,
  status TEXT NOT NULL,
  imp_uid TEXT,
  pay_method TEXT,
  status_reason TEXT,
  refund TEXT,
  subscription_id TEXT,
  charge_month TEXT,
  sending_until INTEGER,
  sending_token TEXT,
  session_id TEXT,
  created_at INTEGER NOT NULL,
  paid_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_subscription ON orders (subscription_id, charge_month);
CREATE TABLE IF NOT EXISTS payment_events (
  id INTEGER PRIMARY KEY,
  merchant_uid TEXT NOT NULL,
  imp_uid TEXT NOT NULL,
  payment_status TEXT NOT NULL,
  cancel_count INTEGER NOT NULL,
  source TEXT NOT NULL,
  outcome TEXT NOT NULL,
  at INTEGER NOT NULL,
  UNIQUE (imp_uid, payment_status, cancel_count)
);
CREATE TABLE IF NOT EXISTS subscriptions (
  id TEXT PRIMARY KEY,
  request_id TEXT UNIQUE,
  customer_uid TEXT NOT NULL UNIQUE,
  plan_id TEXT NOT NULL,
  plan_name TEXT NOT NULL,
  amount INTEGER NOT NULL,
  buyer_name TEXT NOT NULL,
  buyer_tel TEXT NOT NULL,
  status TEXT NOT NULL,
  first_order_uid TEXT NOT NULL,
  first_paid_at INTEGER,
  created_at INTEGER NOT NULL,
  cancelled_at INTEGER,
  session_id TEXT
);
CREATE TABLE IF NOT EXISTS refunds (
  imp_uid TEXT PRIMARY KEY,
  merchant_uid TEXT NOT NULL,
  checksum INTEGER NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  sending_until INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS schedules (
  merchant_uid TEXT PRIMARY KEY,
  subscription_id TEXT NOT NULL,
  schedule_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_claims (
  key TEXT PRIMARY KEY,
  done INTEGER NOT NULL,
  until INTEGER NOT NULL
);
`;

interface OrderRow {
  merchant_uid: string;
  request_id: string | null;
  kind: OrderKind;
  name: string;
  amount: number;
  lines: string;
  buyer_name: string;
  buyer_tel: string;
  status: OrderStatus;
  imp_uid: string | null;
  pay_method: string | null;
  status_reason: string | null;
  refund: Order['refund'];
  subscription_id: string | null;
  charge_month: string | null;
  created_at: number;
  paid_at: number | null;
  updated_at: number;
}

interface SubscriptionRow {
  id: string;
  request_id: string | null;
  customer_uid: string;
  plan_id: string;
  plan_name: string;
  amount: number;
  buyer_name: string;
  buyer_tel: string;
  status: SubscriptionStatus;
  first_order_uid: string;
  first_paid_at: number | null;
  created_at: number;
  cancelled_at: number | null;
  billing: BillingMode | null;
  first_charge: FirstCharge | null;
}

export interface NewOrder {
  merchantUid: string;
  requestId: string | null;
  kind: OrderKind;
  name: string;
  amount: number;
  lines: OrderLine[];
  buyerName: string;
  buyerTel: string;
  subscriptionId?: string;
  chargeMonth?: string;
  /** The browser session that made it: only that session lists and reads it. */
  sessionId: string | null;
}

/** What a payment does to its order; only the fields that change. */
export interface OrderChange {
  status?: OrderStatus;
  impUid?: string;
  payMethod?: string | null;
  statusReason?: string | null;
  paidAt?: number | null;
  /** The order's refund state, as a cancel webhook reports it (`'done'`). */
  refund?: Order['refund'];
  /**
   * Refund this payment in full: recorded once per imp_uid in `refunds`, and claimed there, so only the
   * caller that gets `refundClaimed` back sends it. The order's `refund` follows its latest refund.
   */
  refundPayment?: RefundJob;
  /** A subscription's first month, verified: the subscription becomes active from this time. */
  activateSubscriptionAt?: number;
  /** What issuing the subscription's key did with the first month's amount. */
  subscriptionFirstCharge?: FirstCharge;
}

/** One payment of PortOne's, as the transaction sees it. */
export interface PaymentFact {
  merchantUid: string;
  impUid: string;
  status: string;
  cancelCount: number;
  source: 'browser' | 'webhook' | 'charge';
}

/** A refund to send: the whole balance, with that balance as `checksum` (a second refund is refused). */
export interface RefundJob {
  impUid: string;
  merchantUid: string;
  checksum: number;
  reason: string;
}

/**
 * How long a monthly charge's sender holds it: longer than the client's worst case, so that a second
 * click never claims a month still being charged. With the client's defaults (20 s per request, reads
 * sent 3 times, 10 s of settle lookups): token 20 s + charge 20 s + settle 10 s + its last lookup 60 s +
 * a 401's new token 20 s, then applying the payment, whose refund (cancel 20 s + lookup 60 s) may follow:
 * about 210 s. Five minutes leaves room; a crashed sender's month is free again after it.
 */
const MONTHLY_CHARGE_LEASE_MS = 5 * 60_000;

/** How long a refund's sender holds it: the client's cancel (20 s timeout, no retry) with room to spare. */
const REFUND_LEASE_MS = 2 * 60_000;

export interface ApplyResult {
  order: Order;
  /** False when this exact state of the payment had been applied before (by the other path). */
  applied: boolean;
  /** The refund this call claimed and must send. */
  refundClaimed: RefundJob | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** How long a browser session lasts: the cookie's Max-Age. */
export const SESSION_LIFETIME_MS = 180 * 24 * 60 * 60 * 1000;

/**
 * The key a request id is stored under. The id is the browser's, so it names a request within its own
 * session only: the same id from another session is another request (and never answers the first one's).
 */
function requestKey(requestId: string | null, sessionId: string | null): string | null {
  if (requestId === null) return null;
  if (sessionId === null) return requestId;
  return `s_${createHash('sha256').update(`${sessionId}\n${requestId}`).digest('base64url')}`;
}

function toOrder(row: OrderRow): Order {
  return {
    merchantUid: row.merchant_uid,
    kind: row.kind,
    name: row.name,
    amount: row.amount,
    lines: JSON.parse(row.lines) as OrderLine[],
    buyerName: row.buyer_name,
    buyerTel: row.buyer_tel,
    status: row.status,
    impUid: row.imp_uid,
    payMethod: row.pay_method,
    statusReason: row.status_reason,
    refund: row.refund,
    subscriptionId: row.subscription_id,
    createdAt: new Date(row.created_at).toISOString(),
    paidAt: iso(row.paid_at),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export type SubscriptionRecord = Omit<Subscription, 'nextDueAt' | 'charges' | 'scheduledCharge'> & {
  firstPaidAtMs: number | null;
};

/** A charge registered with PortOne's schedule. */
export interface ScheduleRecord {
  merchantUid: string;
  subscriptionId: string;
  scheduleAtMs: number;
  status: 'scheduled' | 'executed' | 'revoked';
}

function toSubscription(row: SubscriptionRow, plan: Plan): SubscriptionRecord {
  return {
    id: row.id,
    customerUid: row.customer_uid,
    plan,
    amount: row.amount,
    buyerName: row.buyer_name,
    buyerTel: row.buyer_tel,
    status: row.status,
    firstOrderUid: row.first_order_uid,
    billing: row.billing ?? 'on-demand',
    firstCharge: row.first_charge,
    firstPaidAt: iso(row.first_paid_at),
    firstPaidAtMs: row.first_paid_at,
    createdAt: new Date(row.created_at).toISOString(),
    cancelledAt: iso(row.cancelled_at),
  };
}

export type ShopDatabase = ReturnType<typeof openShopDatabase>;

/** Opens (and creates) the shop's SQLite file. `now` is the shop's clock, in ms. */
export function openShopDatabase(file: string, now: () => number) {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  // Files made before orders carried a session: their orders stay, visible to no browser.
  for (const [table, column] of [
    ['orders', 'session_id'],
    ['subscriptions', 'session_id'],
    ['orders', 'sending_token'],
    ['subscriptions', 'billing'],
    ['subscriptions', 'first_charge'],
  ] as const) {
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
    if (!columns.some((existing) => existing.name === column))
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
  }
  db.exec('CREATE INDEX IF NOT EXISTS orders_by_session ON orders (session_id, created_at)');
  // Sessions past their cookie's lifetime are forgotten on start.
  db.prepare('DELETE FROM sessions WHERE created_at <= ?').run(Date.now() - SESSION_LIFETIME_MS);

  const selectOrder = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE merchant_uid = ?');
  const selectOrderByRequest = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE request_id = ?');
  const insertOrder = db.prepare(
    `INSERT INTO orders (merchant_uid, request_id, kind, name, amount, lines, buyer_name, buyer_tel, status,
       subscription_id, charge_month, session_id, created_at, updated_at)
     VALUES (@merchantUid, @requestId, @kind, @name, @amount, @lines, @buyerName, @buyerTel, 'pending',
       @subscriptionId, @chargeMonth, @sessionId, @at, @at)
     ON CONFLICT DO NOTHING`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO payment_events (merchant_uid, imp_uid, payment_status, cancel_count, source, outcome, at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const updateEventOutcome = db.prepare(
    'UPDATE payment_events SET outcome = ? WHERE imp_uid = ? AND payment_status = ? AND cancel_count = ?',
  );
  const updateOrder = db.prepare(
    `UPDATE orders SET status = ?, imp_uid = ?, pay_method = ?, status_reason = ?, paid_at = ?, refund = ?,
       updated_at = ? WHERE merchant_uid = ?`,
  );
  const selectSubscription = db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?');
  const insertRefund = db.prepare(
    `INSERT INTO refunds (imp_uid, merchant_uid, checksum, reason, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'requested', ?, ?) ON CONFLICT DO NOTHING`,
  );
  const claimRefundRow = db.prepare(
    `UPDATE refunds SET sending_until = ? WHERE imp_uid = ? AND status IN ('requested', 'failed')
       AND COALESCE(sending_until, 0) < ?`,
  );

  /**
   * Takes a refund to send, unless it is done or another caller holds it. The lease is on real time (the
   * sandbox's clock stands still), so a crashed sender's lapses and the retry takes it over.
   */
  function claimRefund(impUid: string): boolean {
    const realNow = Date.now();
    return claimRefundRow.run(realNow + REFUND_LEASE_MS, impUid, realNow).changes === 1;
  }

  function getOrderRow(merchantUid: string): OrderRow | undefined {
    return selectOrder.get(merchantUid);
  }

  /**
   * Creates an order once per `requestId` (the browser's key for one click on "주문하기"): a repeat of the
   * same request answers the order made the first time, so a double click never makes two.
   */
  const createOrder = db.transaction((order: NewOrder): Order => {
    const requestId = requestKey(order.requestId, order.sessionId);
    if (requestId !== null) {
      const existing = selectOrderByRequest.get(requestId);
      if (existing) return toOrder(existing);
    }
    insertOrder.run({
      ...order,
      requestId,
      lines: JSON.stringify(order.lines),
      subscriptionId: order.subscriptionId ?? null,
      chargeMonth: order.chargeMonth ?? null,
      at: now(),
    });
    const row = getOrderRow(order.merchantUid);
    if (!row) throw new Error(`order ${order.merchantUid} was not stored`);
    return toOrder(row);
  });

  /**
   * Applies one state of a PortOne payment to its order, at most once: the event row, keyed by the
   * payment's imp_uid, status and number of refunds, is inserted first, and only the caller whose insert
   * went in changes the order. The browser's return and the webhook may come in either order or together.
   */
  const applyPayment = db.transaction(
    (fact: PaymentFact, decide: (order: Order) => OrderChange | null): ApplyResult => {
      const row = getOrderRow(fact.merchantUid);
      if (!row) throw new Error(`no order ${fact.merchantUid}`);
      const at = now();
      const inserted =
        insertEvent.run(fact.merchantUid, fact.impUid, fact.status, fact.cancelCount, fact.source, 'pending', at)
          .changes === 1;
      if (!inserted) return { order: toOrder(row), applied: false, refundClaimed: null };
      const change = decide(toOrder(row));
      const outcome = change?.status ?? (change ? 'updated' : 'unchanged');
      updateEventOutcome.run(outcome, fact.impUid, fact.status, fact.cancelCount);
      if (!change) return { order: toOrder(row), applied: true, refundClaimed: null };
      const job = change.refundPayment ?? null;
      if (job) insertRefund.run(job.impUid, job.merchantUid, job.checksum, job.reason, at, at);
      const refundClaimed = job && claimRefund(job.impUid) ? job : null;
      const refund = refundClaimed ? 'requested' : (change.refund ?? row.refund);
      updateOrder.run(
        change.status ?? row.status,
        change.impUid ?? row.imp_uid,
        change.payMethod === undefined ? row.pay_method : change.payMethod,
        change.statusReason === undefined ? row.status_reason : change.statusReason,
        change.paidAt === undefined ? row.paid_at : change.paidAt,
        refund,
        at,
        fact.merchantUid,
      );
      if (change.subscriptionFirstCharge !== undefined && row.subscription_id !== null) {
        db.prepare('UPDATE subscriptions SET first_charge = ? WHERE id = ? AND first_charge IS NULL').run(
          change.subscriptionFirstCharge,
          row.subscription_id,
        );
      }
      if (change.activateSubscriptionAt !== undefined && row.subscription_id !== null) {
        db.prepare(
          `UPDATE subscriptions SET status = 'active', first_paid_at = ? WHERE id = ? AND status = 'pending'`,
        ).run(change.activateSubscriptionAt, row.subscription_id);
      }
      const updated = getOrderRow(fact.merchantUid) as OrderRow;
      return { order: toOrder(updated), applied: true, refundClaimed };
    },
  );

  /** Records how a refund went, on its row and on its order; a done refund stays done. */
  const finishRefund = db.transaction((impUid: string, status: 'done' | 'failed'): Order | null => {
    const refund = db
      .prepare<[string], { merchant_uid: string; status: string }>(
        'SELECT merchant_uid, status FROM refunds WHERE imp_uid = ?',
      )
      .get(impUid);
    if (!refund) return null;
    const final = refund.status === 'done' ? 'done' : status;
    db.prepare('UPDATE refunds SET status = ?, sending_until = NULL, updated_at = ? WHERE imp_uid = ?').run(
      final,
      Date.now(),
      impUid,
    );
    db.prepare('UPDATE orders SET refund = ?, updated_at = ? WHERE merchant_uid = ?').run(
      final,
      now(),
      refund.merchant_uid,
    );
    const row = getOrderRow(refund.merchant_uid);
    return row ? toOrder(row) : null;
  });

  /** Moves an order between non-final states (a monthly charge being sent, or one that never left). */
  function setPendingReason(merchantUid: string, status: 'pending' | 'failed', reason: string): Order | null {
    db.prepare(
      `UPDATE orders SET status = ?, status_reason = ?, updated_at = ?
       WHERE merchant_uid = ? AND status IN ('pending', 'failed')`,
    ).run(status, reason, now(), merchantUid);
    const row = getOrderRow(merchantUid);
    return row ? toOrder(row) : null;
  }

  const plansById = new Map<string, Plan>();

  return {
    close: () => db.close(),
    /** Records a session id the shop has just issued: only such ids are taken from a cookie. */
    createSession(id: string) {
      db.prepare('INSERT INTO sessions (id, created_at) VALUES (?, ?)').run(id, Date.now());
    },
    /** Whether the shop issued this session id (and it has not expired): a cookie it never set counts for nothing. */
    hasSession(id: string): boolean {
      return (
        db
          .prepare<[string, number], { one: number }>('SELECT 1 AS one FROM sessions WHERE id = ? AND created_at > ?')
          .get(id, Date.now() - SESSION_LIFETIME_MS) !== undefined
      );
    },
    createOrder,
    applyPayment,
    finishRefund,
    claimRefund,
    /** Refunds not done whose lease has lapsed: failed ones, and ones a crash left `requested`. */
    refundsToRetry(): RefundJob[] {
      return db
        .prepare<[number], { imp_uid: string; merchant_uid: string; checksum: number; reason: string }>(
          `SELECT imp_uid, merchant_uid, checksum, reason FROM refunds
           WHERE status IN ('requested', 'failed') AND COALESCE(sending_until, 0) < ? ORDER BY created_at`,
        )
        .all(Date.now())
        .map((row) => ({
          impUid: row.imp_uid,
          merchantUid: row.merchant_uid,
          checksum: row.checksum,
          reason: row.reason,
        }));
    },
    /** Every refund of an order's payments, oldest first. */
    refundsOf(merchantUid: string) {
      return db
        .prepare<[string], { imp_uid: string; checksum: number; status: string }>(
          'SELECT imp_uid, checksum, status FROM refunds WHERE merchant_uid = ? ORDER BY created_at, rowid',
        )
        .all(merchantUid);
    },
    setPendingReason,
    getOrder(merchantUid: string): Order | null {
      const row = getOrderRow(merchantUid);
      return row ? toOrder(row) : null;
    },
    /** The newest checkout orders: one session's, or (with no session, for tests) everyone's. */
    listOrders(options: { sessionId?: string; limit?: number } = {}): Order[] {
      const limit = options.limit ?? 50;
      const rows =
        options.sessionId === undefined
          ? db
              .prepare<[number], OrderRow>(
                `SELECT * FROM orders WHERE kind = 'checkout' ORDER BY created_at DESC, rowid DESC LIMIT ?`,
              )
              .all(limit)
          : db
              .prepare<[string, number], OrderRow>(
                `SELECT * FROM orders WHERE kind = 'checkout' AND session_id = ?
                 ORDER BY created_at DESC, rowid DESC LIMIT ?`,
              )
              .all(options.sessionId, limit);
      return rows.map(toOrder);
    },
    /** Whether the order was made by this browser session. */
    orderBelongsTo(merchantUid: string, sessionId: string): boolean {
      return (
        db
          .prepare<[string, string], { one: number }>(
            'SELECT 1 AS one FROM orders WHERE merchant_uid = ? AND session_id = ?',
          )
          .get(merchantUid, sessionId) !== undefined
      );
    },
    /** Whether the subscription was made by this browser session. */
    subscriptionBelongsTo(id: string, sessionId: string): boolean {
      return (
        db
          .prepare<[string, string], { one: number }>(
            'SELECT 1 AS one FROM subscriptions WHERE id = ? AND session_id = ?',
          )
          .get(id, sessionId) !== undefined
      );
    },
    /** The payment states applied to an order, oldest first: which path applied what. */
    paymentEvents(merchantUid: string) {
      return db
        .prepare<[string], { imp_uid: string; payment_status: string; source: string; outcome: string }>(
          'SELECT imp_uid, payment_status, source, outcome FROM payment_events WHERE merchant_uid = ? ORDER BY id',
        )
        .all(merchantUid);
    },
    registerPlan(plan: Plan) {
      plansById.set(plan.id, plan);
    },
    /** Creates a subscription and its first order once per `requestId`. */
    createSubscription: db.transaction(
      (input: {
        id: string;
        requestId: string;
        customerUid: string;
        plan: Plan;
        buyerName: string;
        buyerTel: string;
        firstOrder: NewOrder;
        sessionId: string | null;
        /** Default `on-demand`. */
        billing?: BillingMode;
      }): SubscriptionRecord => {
        const requestId = requestKey(input.requestId, input.sessionId) as string;
        const existing = db
          .prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE request_id = ?')
          .get(requestId);
        if (existing) return toSubscription(existing, input.plan);
        createOrder(input.firstOrder);
        db.prepare(
          `INSERT INTO subscriptions (id, request_id, customer_uid, plan_id, plan_name, amount, buyer_name, buyer_tel,
             status, first_order_uid, created_at, session_id, billing)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
        ).run(
          input.id,
          requestId,
          input.customerUid,
          input.plan.id,
          input.plan.name,
          input.plan.monthlyPrice,
          input.buyerName,
          input.buyerTel,
          input.firstOrder.merchantUid,
          now(),
          input.sessionId,
          input.billing ?? 'on-demand',
        );
        return toSubscription(selectSubscription.get(input.id) as SubscriptionRow, input.plan);
      },
    ),
    getSubscription(id: string): SubscriptionRecord | null {
      const row = selectSubscription.get(id);
      if (!row) return null;
      const plan = plansById.get(row.plan_id) ?? { id: row.plan_id, name: row.plan_name, monthlyPrice: row.amount };
      return toSubscription(row, plan);
    },
    cancelSubscription(id: string) {
      db.prepare(
        `UPDATE subscriptions SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status != 'cancelled'`,
      ).run(now(), id);
    },
    /** Whether any of the subscription's orders is paid: its first month has been charged. */
    subscriptionHasPaidCharge(id: string): boolean {
      return (
        db
          .prepare<[string], { one: number }>(
            `SELECT 1 AS one FROM orders WHERE subscription_id = ? AND status = 'paid' LIMIT 1`,
          )
          .get(id) !== undefined
      );
    },
    /**
     * Records a charge to register with PortOne's schedule, once: true only for the caller whose row went
     * in, which then registers it (a second caller finds it there and does nothing).
     */
    claimSchedule(merchantUid: string, subscriptionId: string, scheduleAtMs: number): boolean {
      return (
        db
          .prepare(
            `INSERT INTO schedules (merchant_uid, subscription_id, schedule_at, status, created_at)
             VALUES (?, ?, ?, 'scheduled', ?) ON CONFLICT DO NOTHING`,
          )
          .run(merchantUid, subscriptionId, scheduleAtMs, Date.now()).changes === 1
      );
    },
    /** Forgets a schedule PortOne did not register, so that a later call may try again. */
    dropSchedule(merchantUid: string) {
      db.prepare(`DELETE FROM schedules WHERE merchant_uid = ? AND status = 'scheduled'`).run(merchantUid);
    },
    markScheduleExecuted(merchantUid: string) {
      db.prepare(`UPDATE schedules SET status = 'executed' WHERE merchant_uid = ? AND status = 'scheduled'`).run(
        merchantUid,
      );
    },
    /** The subscription's schedules, oldest first. */
    schedulesOf(subscriptionId: string): ScheduleRecord[] {
      return db
        .prepare<[string], { merchant_uid: string; subscription_id: string; schedule_at: number; status: string }>(
          'SELECT * FROM schedules WHERE subscription_id = ? ORDER BY schedule_at, rowid',
        )
        .all(subscriptionId)
        .map((row) => ({
          merchantUid: row.merchant_uid,
          subscriptionId: row.subscription_id,
          scheduleAtMs: row.schedule_at,
          status: row.status as ScheduleRecord['status'],
        }));
    },
    /** Revokes the subscription's pending schedules here, and marks their orders as not to be paid. */
    revokeSchedules: db.transaction((subscriptionId: string, reason: string) => {
      const pending = db
        .prepare<[string], { merchant_uid: string }>(
          `SELECT merchant_uid FROM schedules WHERE subscription_id = ? AND status = 'scheduled'`,
        )
        .all(subscriptionId);
      for (const { merchant_uid } of pending) {
        db.prepare(`UPDATE schedules SET status = 'revoked' WHERE merchant_uid = ?`).run(merchant_uid);
        db.prepare(
          `UPDATE orders SET status = 'cancelled', status_reason = ?, updated_at = ?
           WHERE merchant_uid = ? AND status IN ('pending', 'failed')`,
        ).run(reason, now(), merchant_uid);
      }
    }),
    /** The subscription's orders: the first one and every monthly charge, oldest first. */
    subscriptionOrders(id: string): Order[] {
      return db
        .prepare<[string], OrderRow>('SELECT * FROM orders WHERE subscription_id = ? ORDER BY created_at, rowid')
        .all(id)
        .map(toOrder);
    },
    /** The monthly charge of `month` (`YYYY-MM`, Seoul), if one was made or tried. */
    monthlyCharge(subscriptionId: string, month: string): Order | null {
      const row = db
        .prepare<[string, string], OrderRow>(
          `SELECT * FROM orders WHERE subscription_id = ? AND charge_month = ? AND kind = 'subscription-month'`,
        )
        .get(subscriptionId, month);
      return row ? toOrder(row) : null;
    },
    /**
     * Marks a monthly charge as being sent, unless it is paid or another request is sending it: only the
     * caller that gets a token back sends the charge, and only that token releases it.
     */
    claimMonthlyCharge(merchantUid: string, leaseMs = MONTHLY_CHARGE_LEASE_MS): string | null {
      // A lease on real time, not the shop's clock (the sandbox's stands still): a crashed sender's lapses.
      const realNow = Date.now();
      const token = randomUUID();
      const claimed =
        db
          .prepare(
            `UPDATE orders SET sending_until = ?, sending_token = ?
             WHERE merchant_uid = ? AND status IN ('pending', 'failed') AND COALESCE(sending_until, 0) < ?`,
          )
          .run(realNow + leaseMs, token, merchantUid, realNow).changes === 1;
      return claimed ? token : null;
    },
    /** Ends the lease if `token` still holds it: a sender whose lease lapsed cannot end its successor's. */
    releaseMonthlyCharge(merchantUid: string, token: string) {
      db.prepare(
        'UPDATE orders SET sending_until = NULL, sending_token = NULL WHERE merchant_uid = ? AND sending_token = ?',
      ).run(merchantUid, token);
    },
    /** A webhook idempotency store in SQLite, shared by every process that opens this file. */
    webhookStore(claimTtlMs = 5 * 60_000): IdempotencyStore {
      const claim = db.transaction((key: string): IdempotencyClaim => {
        const row = db
          .prepare<[string], { done: number; until: number }>('SELECT done, until FROM webhook_claims WHERE key = ?')
          .get(key);
        if (row?.done) return 'done';
        if (row && row.until > Date.now()) return 'busy';
        db.prepare('INSERT OR REPLACE INTO webhook_claims (key, done, until) VALUES (?, 0, ?)').run(
          key,
          Date.now() + claimTtlMs,
        );
        return 'claimed';
      });
      return {
        claim,
        complete(key) {
          db.prepare('UPDATE webhook_claims SET done = 1 WHERE key = ?').run(key);
        },
        release(key) {
          db.prepare('DELETE FROM webhook_claims WHERE key = ? AND done = 0').run(key);
        },
      };
    },
  };
}
