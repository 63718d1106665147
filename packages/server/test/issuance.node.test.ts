import { createClock, type Sandbox, startSandbox } from '@portone-kit/sandbox/server';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBillingKeyIssuance, type Payment, verifyBillingKeyIssuance } from '../src/index.js';
import { clientFor, payInWindow, seoul } from './support.js';

// Whether issuing a KG Mobilians billing key charged the window's amount: the sandbox does either, as
// PortOne's Korean guides say (charges) or as KG Mobilians' English guide says (charges nothing).

const opened: Sandbox[] = [];
afterEach(async () => {
  for (const sandbox of opened.splice(0)) await sandbox.close();
});

async function sandboxThat(billingKeyIssuance: 'charges' | 'charges-nothing'): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0, clock: createClock(seoul(2026, 1, 15)), billingKeyIssuance });
  opened.push(sandbox);
  return sandbox;
}

const expected = { customerUid: 'cust_1', merchantUid: 'sub_1_first', amount: 9900 };

/** The billing-key window for `cust_1`, approved (or as `outcome` says); its imp_uid. */
async function issue(sandbox: Sandbox, outcome: 'approve' | 'decline' | 'cancel' = 'approve') {
  const answer = await payInWindow(
    sandbox,
    { pg: 'mobilians.170622040674', customer_uid: 'cust_1', merchant_uid: 'sub_1_first', amount: 9900 },
    outcome,
  );
  return answer.imp_uid;
}

/** A payment as PortOne reports it, for the pure check. */
const payment = (fields: Partial<Payment> = {}): Payment =>
  ({
    imp_uid: 'imp_1',
    merchant_uid: 'sub_1_first',
    amount: 9900,
    cancel_amount: 0,
    currency: 'KRW',
    status: 'paid',
    sandbox: false,
    customer_uid: 'cust_1',
    customer_uid_usage: 'issue',
    paid_at: 1_768_438_800,
    ...fields,
  }) as Payment;

describe('verifyBillingKeyIssuance', () => {
  it("says paid-at-issuance when issuing the key charged the window's amount", async () => {
    const sandbox = await sandboxThat('charges');
    const impUid = await issue(sandbox);
    const result = await verifyBillingKeyIssuance(clientFor(sandbox), { ...expected, impUid, allowSandbox: true });
    expect(result).toMatchObject({
      firstCharge: 'paid-at-issuance',
      payment: { imp_uid: impUid, amount: 9900, status: 'paid' },
    });
  });

  it('says not-charged when the key was issued and nothing charged', async () => {
    const sandbox = await sandboxThat('charges-nothing');
    const impUid = await issue(sandbox);
    const client = clientFor(sandbox);
    const byImpUid = await verifyBillingKeyIssuance(client, { ...expected, impUid, allowSandbox: true });
    expect(byImpUid).toMatchObject({ firstCharge: 'not-charged', payment: { imp_uid: impUid, amount: 0 } });
    // Without the imp_uid (a window that gave none): the merchant_uid's latest payment says the same.
    const byMerchantUid = await verifyBillingKeyIssuance(client, { ...expected, allowSandbox: true });
    expect(byMerchantUid).toMatchObject({ firstCharge: 'not-charged', payment: { imp_uid: impUid } });
  });

  it('says not-charged for a key that exists with no payment at all for the merchant_uid', async () => {
    const sandbox = await sandboxThat('charges-nothing');
    await payInWindow(sandbox, {
      pg: 'mobilians.170622040674',
      customer_uid: 'cust_1',
      merchant_uid: 'another_window',
      amount: 9900,
    });
    const result = await verifyBillingKeyIssuance(clientFor(sandbox), { ...expected, allowSandbox: true });
    expect(result).toEqual({ firstCharge: 'not-charged', payment: null });
  });

  it('refuses a declined or closed window, and a key PortOne does not have', async () => {
    const sandbox = await sandboxThat('charges');
    const client = clientFor(sandbox);
    const declined = await issue(sandbox, 'decline');
    expect(await verifyBillingKeyIssuance(client, { ...expected, impUid: declined, allowSandbox: true })).toMatchObject(
      { firstCharge: 'refused', reason: 'status', payment: { status: 'failed' } },
    );
    expect(await verifyBillingKeyIssuance(client, { ...expected, allowSandbox: true })).toMatchObject({
      firstCharge: 'refused',
      reason: 'status',
    });
    // Paid, then the key deleted: nothing to build a subscription on.
    const impUid = await issue(sandbox);
    await client.deleteBillingKey('cust_1');
    expect(await verifyBillingKeyIssuance(client, { ...expected, impUid, allowSandbox: true })).toMatchObject({
      firstCharge: 'refused',
      reason: 'no-billing-key',
      payment: { imp_uid: impUid },
    });
  });

  it('refuses test-channel payments and keys unless allowSandbox, and an imp_uid PortOne does not have', async () => {
    const sandbox = await sandboxThat('charges');
    const impUid = await issue(sandbox);
    const client = clientFor(sandbox);
    expect(await verifyBillingKeyIssuance(client, { ...expected, impUid })).toMatchObject({
      firstCharge: 'refused',
      reason: 'sandbox',
    });
    expect(
      await verifyBillingKeyIssuance(client, { ...expected, impUid: 'imp_000000000000', allowSandbox: true }),
    ).toMatchObject({ firstCharge: 'refused', reason: 'not-found', payment: null });
  });
});

describe('checkBillingKeyIssuance', () => {
  it('tells the two behaviours apart by what the payment charged', () => {
    expect(checkBillingKeyIssuance(payment(), expected)).toMatchObject({ firstCharge: 'paid-at-issuance' });
    expect(checkBillingKeyIssuance(payment({ amount: 0 }), expected)).toMatchObject({ firstCharge: 'not-charged' });
  });

  it('refuses another amount, a refund, another key, merchant_uid or currency, and a payment not paid', () => {
    const reasonOf = (fields: Partial<Payment>) => {
      const result = checkBillingKeyIssuance(payment(fields), expected);
      return result.firstCharge === 'refused' ? result.reason : result.firstCharge;
    };
    expect(reasonOf({ amount: 100 })).toBe('amount');
    expect(reasonOf({ cancel_amount: 9900, status: 'cancelled' })).toBe('refunded');
    expect(reasonOf({ amount: 0, status: 'cancelled' })).toBe('refunded');
    expect(reasonOf({ customer_uid: 'cust_2' })).toBe('customer-uid');
    expect(reasonOf({ merchant_uid: 'other' })).toBe('merchant-uid');
    expect(reasonOf({ currency: 'USD' })).toBe('currency');
    expect(reasonOf({ status: 'ready' })).toBe('status');
    expect(reasonOf({ status: 'failed', amount: 0 })).toBe('status');
    expect(reasonOf({ sandbox: true })).toBe('sandbox');
    // PortOne may leave customer_uid out of an issuing payment (unconfirmed): not a refusal by itself.
    expect(reasonOf({ customer_uid: null })).toBe('paid-at-issuance');
    expect(checkBillingKeyIssuance(null, expected)).toMatchObject({ firstCharge: 'refused', reason: 'not-found' });
  });

  it('writes its refusals in English, for logs, naming the payment', () => {
    const result = checkBillingKeyIssuance(payment({ amount: 100 }), expected);
    expect(result).toMatchObject({ firstCharge: 'refused', message: expect.stringMatching(/imp_1 charged 100/) });
  });
});
