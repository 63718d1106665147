import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createClock,
  type Sandbox,
  type SandboxClock,
  type SandboxCustomer,
  type SandboxPayment,
  type SandboxSchedule,
  startSandbox,
} from '../../src/server.js';
import { api, billingParams, paymentParams, seoul, startReceiver, windowPay } from './support.js';

let clock: SandboxClock;
let sandbox: Sandbox;

beforeEach(async () => {
  clock = createClock(seoul(2026, 1, 15));
  sandbox = await startSandbox({ port: 0, clock });
});
afterEach(() => sandbox.close());

let orders = 0;
/** Charges `customerUid` through `again` with a fresh merchant_uid. */
const again = (customerUid: string, amount: number, extra: Record<string, unknown> = {}) =>
  api<SandboxPayment>(sandbox, 'POST', '/subscribe/payments/again', {
    json: { customer_uid: customerUid, merchant_uid: `again_${++orders}`, amount, name: '월 구독', ...extra },
  });

/** Issues a key in the window on the sandbox clock's day, charging `amount` at once. */
const issue = (customerUid: string, amount = 9900) =>
  windowPay(sandbox, { params: billingParams(customerUid, amount) });

describe('POST /subscribe/payments/again', () => {
  it('charges a key the same amount on the same day of the next month', async () => {
    await issue('cust');
    clock.set(seoul(2026, 2, 15));
    const { status, envelope } = await again('cust', 9900, { merchant_uid: 'feb' });
    expect(status).toBe(200);
    expect(envelope).toMatchObject({
      code: 0,
      response: {
        merchant_uid: 'feb',
        status: 'paid',
        amount: 9900,
        channel: 'api',
        pay_method: 'phone',
        customer_uid: 'cust',
        customer_uid_usage: 'payment',
        paid_at: clock.now() / 1000,
        buyer_tel: '010-1234-5678',
      },
    });
    const stored = await api<SandboxPayment>(
      sandbox,
      'GET',
      `/payments/${envelope.response?.imp_uid}?include_sandbox=true`,
    );
    expect(stored.envelope.response?.status).toBe('paid');
  });

  it('fails a charge of another amount: code 0, status failed and the rule in fail_reason', async () => {
    await issue('cust');
    clock.set(seoul(2026, 2, 15));
    const { status, envelope } = await again('cust', 5000);
    expect(status).toBe(200);
    expect(envelope).toMatchObject({ code: 0, response: { status: 'failed', paid_at: 0, amount: 5000 } });
    expect(envelope.response?.fail_reason).toMatch(/같은 금액.*9900.*5000/);
    // A failed charge uses nothing up: the right one still passes this month.
    expect((await again('cust', 9900)).envelope.response?.status).toBe('paid');
  });

  it('fails a charge on another day of the month, in Seoul time', async () => {
    await issue('cust');
    clock.set(seoul(2026, 2, 16));
    const late = await again('cust', 9900);
    expect(late.envelope.response).toMatchObject({ status: 'failed' });
    expect(late.envelope.response?.fail_reason).toMatch(/같은 날/);
    // 01:00 on the 16th in Seoul is still the 15th in UTC: fails, as the day is Seoul's.
    clock.set(seoul(2026, 2, 16, 1));
    expect((await again('cust', 9900)).envelope.response?.status).toBe('failed');
    // 00:30 on the 15th in Seoul is the 14th in UTC: passes.
    clock.set(seoul(2026, 2, 15, 0) + 30 * 60 * 1000);
    expect((await again('cust', 9900)).envelope.response?.status).toBe('paid');
  });

  it('fails a second charge in the same month, the first payment’s month included', async () => {
    await issue('cust');
    expect((await again('cust', 9900)).envelope.response?.status).toBe('failed');
    clock.set(seoul(2026, 2, 15));
    expect((await again('cust', 9900)).envelope.response?.status).toBe('paid');
    clock.advance(60 * 60 * 1000);
    const second = await again('cust', 9900);
    expect(second.envelope.response).toMatchObject({ status: 'failed' });
    expect(second.envelope.response?.fail_reason).toMatch(/한 달에 한 번.*2026-02/);
  });

  it('charges a key first paid on the 31st on the last day of shorter months', async () => {
    clock.set(seoul(2026, 1, 31));
    await issue('cust');
    for (const [month, day] of [
      [2, 28],
      [3, 31],
      [4, 30],
    ] as const) {
      clock.set(seoul(2026, month, day));
      expect((await again('cust', 9900)).envelope.response?.status, `2026-${month}-${day}`).toBe('paid');
    }
  });

  it('takes 29 February as the last day in a leap year, not the 28th', async () => {
    clock.set(seoul(2028, 1, 31));
    await issue('cust');
    clock.set(seoul(2028, 2, 28));
    expect((await again('cust', 9900)).envelope.response?.status).toBe('failed');
    clock.set(seoul(2028, 2, 29));
    expect((await again('cust', 9900)).envelope.response?.status).toBe('paid');
  });

  it('makes the first paid charge of a key issued with amount 0 its first payment', async () => {
    await issue('cust', 0);
    clock.set(seoul(2026, 1, 20));
    expect((await again('cust', 3300)).envelope.response?.status).toBe('paid');
    expect(sandbox.store.billingTerms.get('cust')?.first).toMatchObject({ amount: 3300 });
    clock.set(seoul(2026, 2, 15));
    expect((await again('cust', 3300)).envelope.response?.status).toBe('failed');
    clock.set(seoul(2026, 2, 20));
    expect((await again('cust', 3300)).envelope.response?.status).toBe('paid');
  });

  it('answers code -1 for an unknown customer_uid and stores nothing', async () => {
    const { status, envelope } = await again('nobody', 9900);
    expect(status).toBe(200);
    expect(envelope).toMatchObject({ code: -1, response: null });
    expect(sandbox.store.payments.size).toBe(0);
  });

  it('refuses a merchant_uid already paid with a business error, and charges nothing', async () => {
    await issue('cust');
    clock.set(seoul(2026, 2, 15));
    await again('cust', 9900, { merchant_uid: 'order_x' });
    const count = sandbox.store.payments.size;
    const repeat = await again('cust', 9900, { merchant_uid: 'order_x' });
    expect(repeat.status).toBe(200);
    expect(repeat.envelope.code).not.toBe(0);
    expect(repeat.envelope.response).toBeNull();
    expect(sandbox.store.payments.size).toBe(count);
  });

  it('answers 400 without name (the OpenAPI document requires it) or with a mistyped amount', async () => {
    await issue('cust');
    const count = sandbox.store.payments.size;
    const noName = await api(sandbox, 'POST', '/subscribe/payments/again', {
      json: { customer_uid: 'cust', merchant_uid: 'no_name', amount: 9900 },
    });
    expect(noName.status).toBe(400);
    expect(noName.envelope.message).toMatch(/name/);
    expect((await again('cust', '9900' as unknown as number)).status).toBe(400);
    expect(sandbox.store.payments.size).toBe(count);
  });
});

describe('/subscribe/customers/{customer_uid}', () => {
  it('answers 404 for an unknown customer_uid, on GET and DELETE', async () => {
    expect((await api(sandbox, 'GET', '/subscribe/customers/nobody')).status).toBe(404);
    expect((await api(sandbox, 'DELETE', '/subscribe/customers/nobody')).status).toBe(404);
  });

  it('DELETE removes the key and revokes its schedules: later charges find no customer', async () => {
    await issue('cust');
    await api(sandbox, 'POST', '/subscribe/payments/schedule', {
      json: {
        customer_uid: 'cust',
        schedules: [{ merchant_uid: 'sch_1', schedule_at: seoul(2026, 2, 15) / 1000, amount: 9900, name: '월 구독' }],
      },
    });
    const deleted = await api<SandboxCustomer>(sandbox, 'DELETE', '/subscribe/customers/cust?reason=탈퇴');
    expect(deleted.envelope).toMatchObject({ code: 0, response: { customer_uid: 'cust' } });
    expect((await api(sandbox, 'GET', '/subscribe/customers/cust')).status).toBe(404);
    expect(sandbox.store.schedules.get('sch_1')).toMatchObject({ schedule_status: 'revoked' });
    clock.set(seoul(2026, 2, 15));
    expect(sandbox.store.paymentsFor('sch_1')).toEqual([]);
    expect((await again('cust', 9900)).envelope.code).toBe(-1);
  });
});

describe('scheduled charges', () => {
  const schedule = (entries: Record<string, unknown>[], customerUid = 'cust') =>
    api<SandboxSchedule[]>(sandbox, 'POST', '/subscribe/payments/schedule', {
      json: { customer_uid: customerUid, schedules: entries },
    });
  const entry = (merchantUid: string, at: number, amount = 9900) => ({
    merchant_uid: merchantUid,
    schedule_at: at / 1000,
    amount,
    name: '월 구독',
  });

  it('run when the clock reaches them, charging like again with usage payment.scheduled', async () => {
    await issue('cust');
    const registered = await schedule([entry('sch_feb', seoul(2026, 2, 15)), entry('sch_mar', seoul(2026, 3, 16))]);
    expect(registered.envelope.response).toEqual([
      expect.objectContaining({ merchant_uid: 'sch_feb', schedule_status: 'scheduled', payment_status: null }),
      expect.objectContaining({ merchant_uid: 'sch_mar', schedule_status: 'scheduled', imp_uid: null }),
    ]);
    clock.advance(24 * 60 * 60 * 1000);
    expect(sandbox.store.schedules.get('sch_feb')?.schedule_status).toBe('scheduled');

    clock.set(seoul(2026, 2, 15));
    const feb = sandbox.store.schedules.get('sch_feb');
    expect(feb).toMatchObject({ schedule_status: 'executed', payment_status: 'paid' });
    const payment = await api<SandboxPayment>(sandbox, 'GET', `/payments/${feb?.imp_uid}?include_sandbox=true`);
    expect(payment.envelope.response).toMatchObject({
      merchant_uid: 'sch_feb',
      status: 'paid',
      customer_uid: 'cust',
      customer_uid_usage: 'payment.scheduled',
    });

    // Scheduled on the 16th, a day off the first payment's 15th: the rule fails it.
    clock.advance(40 * 24 * 60 * 60 * 1000);
    const read = await api<SandboxSchedule>(sandbox, 'GET', '/subscribe/payments/schedule/sch_mar');
    expect(read.envelope.response).toMatchObject({ schedule_status: 'executed', payment_status: 'failed' });
    expect(read.envelope.response?.fail_reason).toMatch(/같은 날/);
  });

  it('are read as a form with schedules[0][field] keys', async () => {
    await issue('cust');
    const at = seoul(2026, 2, 15) / 1000;
    const form = [
      'customer_uid=cust',
      'schedules[0][merchant_uid]=form_1',
      `schedules[0][schedule_at]=${at}`,
      'schedules[0][amount]=9900',
      `schedules[0][name]=${encodeURIComponent('월 구독')}`,
      'schedules[1][merchant_uid]=form_2',
      `schedules[1][schedule_at]=${at + 31 * 24 * 3600}`,
      'schedules[1][amount]=9900',
      'schedules[1][name]=plan',
    ].join('&');
    const { envelope } = await api<SandboxSchedule[]>(sandbox, 'POST', '/subscribe/payments/schedule', { form });
    expect(envelope.code).toBe(0);
    expect(envelope.response?.map((item) => [item.merchant_uid, item.amount, item.name])).toEqual([
      ['form_1', 9900, '월 구독'],
      ['form_2', 9900, 'plan'],
    ]);
  });

  it('are refused all together for an unknown customer, a past time or a repeated merchant_uid', async () => {
    await issue('cust');
    expect((await schedule([entry('s1', seoul(2026, 2, 15))], 'nobody')).envelope).toMatchObject({
      code: -1,
      response: null,
    });
    const past = await schedule([entry('s2', seoul(2026, 2, 15)), entry('s3', seoul(2026, 1, 1))]);
    expect(past.envelope).toMatchObject({ code: 1, response: null });
    const repeated = await schedule([entry('s4', seoul(2026, 2, 15)), entry('s4', seoul(2026, 3, 15))]);
    expect(repeated.envelope).toMatchObject({ code: 1, response: null });
    expect(sandbox.store.schedules.size).toBe(0);
    await schedule([entry('s5', seoul(2026, 2, 15))]);
    expect((await schedule([entry('s5', seoul(2026, 3, 15))])).envelope.code).toBe(1);
  });

  it('are revoked by unschedule: by merchant_uid[] in a form, or all of a customer_uid', async () => {
    await issue('cust');
    await schedule([
      entry('u1', seoul(2026, 2, 15)),
      entry('u2', seoul(2026, 3, 15)),
      entry('u3', seoul(2026, 4, 15)),
      entry('u4', seoul(2026, 5, 15)),
    ]);
    const byId = await api<SandboxSchedule[]>(sandbox, 'POST', '/subscribe/payments/unschedule', {
      form: 'customer_uid=cust&merchant_uid[]=u1&merchant_uid[]=u2',
    });
    expect(byId.envelope.response?.map((item) => [item.merchant_uid, item.schedule_status])).toEqual([
      ['u1', 'revoked'],
      ['u2', 'revoked'],
    ]);
    const all = await api<SandboxSchedule[]>(sandbox, 'POST', '/subscribe/payments/unschedule', {
      json: { customer_uid: 'cust' },
    });
    expect(all.envelope.response?.map((item) => item.merchant_uid)).toEqual(['u3', 'u4']);
    clock.set(seoul(2026, 6, 1));
    expect([...sandbox.store.payments.values()].filter((payment) => payment.merchant_uid.startsWith('u'))).toEqual([]);
    const nothing = await api(sandbox, 'POST', '/subscribe/payments/unschedule', { json: { customer_uid: 'cust' } });
    expect(nothing.envelope).toMatchObject({ code: 1, response: null });
    expect((await api(sandbox, 'POST', '/subscribe/payments/unschedule', { json: {} })).status).toBe(400);
  });

  it('run on runDueSchedules() with a clock that does not announce its changes', async () => {
    await sandbox.close();
    let now = seoul(2026, 1, 15);
    const quiet: SandboxClock = {
      now: () => now,
      set: (ms) => {
        now = ms;
      },
      advance: (ms) => {
        now += ms;
      },
      subscribe: () => () => {},
    };
    sandbox = await startSandbox({ port: 0, clock: quiet });
    await issue('cust');
    await schedule([entry('quiet_1', seoul(2026, 2, 15))]);
    quiet.set(seoul(2026, 2, 15));
    expect(sandbox.store.schedules.get('quiet_1')?.schedule_status).toBe('scheduled');
    expect(sandbox.runDueSchedules().map((item) => item.merchant_uid)).toEqual(['quiet_1']);
    expect(sandbox.store.schedules.get('quiet_1')).toMatchObject({
      schedule_status: 'executed',
      payment_status: 'paid',
    });
    expect(sandbox.runDueSchedules()).toEqual([]);
  });

  it('answers 404 for an unknown schedule', async () => {
    expect((await api(sandbox, 'GET', '/subscribe/payments/schedule/nothing')).status).toBe(404);
  });
});

describe('billingKeyIssuance: what issuing a key in the window does with its amount', () => {
  /** A second sandbox on the same clock, started with `billingKeyIssuance`, closed after the test. */
  async function sandboxThat(billingKeyIssuance: 'charges' | 'charges-nothing') {
    const other = await startSandbox({ port: 0, clock, billingKeyIssuance });
    opened.push(other);
    return other;
  }
  const opened: Sandbox[] = [];
  afterEach(async () => {
    for (const other of opened.splice(0)) await other.close();
  });

  it("charges the window's amount by default: the issuing payment is the key's first charge", async () => {
    expect(sandbox.billingKeyIssuance).toBe('charges');
    const callback = await issue('cust');
    expect(callback).toMatchObject({ success: true, paid_amount: 9900 });
    expect(sandbox.store.paymentsFor('issue_cust')).toMatchObject([
      { status: 'paid', amount: 9900, customer_uid: 'cust', customer_uid_usage: 'issue' },
    ]);
    expect(sandbox.store.billingTerms.get('cust')).toMatchObject({
      first: { amount: 9900 },
      charged_months: ['2026-01'],
    });
  });

  it("'charges-nothing' issues the key, records a paid payment of 0 and sends no webhook", async () => {
    const receiver = await startReceiver();
    try {
      const other = await startSandbox({
        port: 0,
        clock,
        billingKeyIssuance: 'charges-nothing',
        webhookUrl: receiver.url,
      });
      opened.push(other);
      const callback = await windowPay(other, { params: billingParams('cust', 9900) });
      expect(callback).toMatchObject({ success: true, paid_amount: 0, status: 'paid' });
      expect(other.store.customers.get('cust')).toMatchObject({ customer_uid: 'cust', pg_id: '170622040674' });
      expect(other.store.paymentsFor('issue_cust')).toMatchObject([
        { imp_uid: callback.imp_uid, status: 'paid', amount: 0, customer_uid: 'cust', customer_uid_usage: 'issue' },
      ]);
      expect(other.store.billingTerms.get('cust')).toEqual({ first: null, charged_months: [] });
      await other.webhooks.settled();
      expect(other.webhooks.deliveries).toEqual([]);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("'charges-nothing': the first charge with the key, that same day, is paid and fixes the monthly rule", async () => {
    const other = await sandboxThat('charges-nothing');
    await windowPay(other, { params: billingParams('cust', 9900) });
    const first = await api<SandboxPayment>(other, 'POST', '/subscribe/payments/again', {
      json: { customer_uid: 'cust', merchant_uid: 'first_month', amount: 9900, name: '월 구독' },
    });
    expect(first.envelope.response).toMatchObject({ status: 'paid', amount: 9900, customer_uid_usage: 'payment' });
    expect(other.store.billingTerms.get('cust')).toMatchObject({
      first: { amount: 9900 },
      charged_months: ['2026-01'],
    });
    // Once a month: a second charge in January is declined; February's, on the 15th, is paid.
    const again = await api<SandboxPayment>(other, 'POST', '/subscribe/payments/again', {
      json: { customer_uid: 'cust', merchant_uid: 'second_january', amount: 9900, name: '월 구독' },
    });
    expect(again.envelope.response).toMatchObject({ status: 'failed' });
    clock.set(seoul(2026, 2, 15));
    const february = await api<SandboxPayment>(other, 'POST', '/subscribe/payments/again', {
      json: { customer_uid: 'cust', merchant_uid: 'february', amount: 9900, name: '월 구독' },
    });
    expect(february.envelope.response).toMatchObject({ status: 'paid' });
  });

  it("'charges-nothing' changes nothing for a window payment without a key", async () => {
    const other = await sandboxThat('charges-nothing');
    const callback = await windowPay(other, { params: paymentParams({ merchant_uid: 'plain' }) });
    expect(callback).toMatchObject({ success: true, paid_amount: 9900 });
    expect(other.store.paymentsFor('plain')).toMatchObject([{ status: 'paid', amount: 9900, customer_uid: null }]);
  });

  it('refuses an unknown behaviour when started', async () => {
    await expect(
      startSandbox({ port: 0, clock, billingKeyIssuance: 'sometimes' as unknown as 'charges' }),
    ).rejects.toThrow(/billingKeyIssuance/);
  });
});
