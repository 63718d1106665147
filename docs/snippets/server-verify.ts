import { createPortoneClient } from '@portone-kit/server';

// PORTONE_SANDBOX=true on the sandbox emulator or a test channel: test payments are then seen and accepted.
// Never in production, where a test payment is not money.
const sandbox = process.env.PORTONE_SANDBOX === 'true';

// Server only. The secret never reaches a bundle, a log line or an error message.
const portone = createPortoneClient({
  impKey: process.env.PORTONE_IMP_KEY ?? '',
  impSecret: process.env.PORTONE_IMP_SECRET ?? '',
  baseUrl: process.env.PORTONE_API_URL ?? 'https://api.iamport.kr', // http://127.0.0.1:4100 on the sandbox
  includeSandbox: sandbox,
});

/** What your verify route does with the imp_uid the browser reports for an order your server made. */
export async function verifyOrder(impUid: string, order: { merchantUid: string; amount: number }) {
  const result = await portone.verifyPayment({ impUid, expected: order, allowSandbox: sandbox });
  if (!result.verified) throw new Error(`not paid as ordered: ${result.reason}`);
  return result.payment;
}

/** A monthly charge on a billing key: sent once, and after a lost answer looked up, never sent twice. */
export async function chargeMonth(customerUid: string, month: string) {
  const charge = await portone.chargeBillingKey({
    customerUid,
    merchantUid: `sub_${customerUid}_${month}`.slice(0, 40),
    amount: 9900, // the key's first charge's amount: KG Mobilians' rule
    name: '월간 구독',
  });
  return charge.status; // 'paid' | 'declined' | 'already-paid' | 'refused' | 'not-charged' | 'unknown'
}
