import { createClock, type Sandbox, startSandbox } from '@portone-kit/sandbox/server';
import { createPortoneClient, type PortoneClient, type PortoneClientOptions } from '../src/node.js';

/** Milliseconds of a wall-clock time in Seoul (UTC+9). */
export const seoul = (year: number, month: number, day: number, hour = 10, minute = 0) =>
  Date.UTC(year, month - 1, day, hour - 9, minute);

/**
 * A sandbox whose clock starts at `startMs` (Seoul 2026-01-15 10:00 by default) and goes on with real
 * time, as PortOne's does: a clock that stood still would make a charge look older than the call that
 * made it once a test file runs past the client's 5 s of allowed skew.
 */
export const startTestSandbox = (startMs = seoul(2026, 1, 15)): Promise<Sandbox> =>
  startSandbox({ port: 0, clock: createClock(startMs, { running: true }) });

/**
 * A client on `sandbox`, seeing test-channel payments. Its timeout is long enough never to fire on a busy
 * machine: a test that needs an answer lost decides it with a driven network (`driven-network.ts`).
 */
export const clientFor = (sandbox: Sandbox, options: Partial<PortoneClientOptions> = {}): PortoneClient =>
  createPortoneClient({
    impKey: sandbox.impKey,
    impSecret: sandbox.impSecret,
    baseUrl: sandbox.url,
    includeSandbox: true,
    timeoutMs: 30_000,
    chargeSettleMs: 500,
    ...options,
  });

export interface WindowParams {
  merchant_uid: string;
  amount: number;
  pay_method?: 'card' | 'trans' | 'phone';
  pg?: string;
  customer_uid?: string;
  notice_url?: string | string[];
  name?: string;
  buyer_tel?: string;
}

export interface WindowAnswer {
  imp_uid: string | null;
  success: boolean;
  [field: string]: unknown;
}

/** What the sandbox's payment window posts when the buyer approves (or declines, or cancels). */
export async function payInWindow(
  sandbox: Sandbox,
  params: WindowParams,
  outcome: 'approve' | 'decline' | 'cancel' = 'approve',
): Promise<WindowAnswer> {
  const answer = await fetch(`${sandbox.url}/sandbox/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      outcome,
      params: { pg: 'mobilians', pay_method: 'phone', name: '주문', buyer_tel: '010-1234-5678', ...params },
    }),
  });
  if (answer.status !== 200) throw new Error(`the window post failed: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { response: WindowAnswer }).response;
}

/** A paid window payment; its imp_uid. */
export async function paidPayment(sandbox: Sandbox, params: WindowParams): Promise<string> {
  const answer = await payInWindow(sandbox, params);
  if (!answer.success || answer.imp_uid === null) throw new Error('the window did not approve the payment');
  return answer.imp_uid;
}

/**
 * A KG Mobilians billing key issued on the sandbox clock's day. With `amount` above 0 that is also the
 * key's first charge, which fixes the amount and day of the later ones; with 0, the first `again` does.
 */
export async function issueBillingKey(sandbox: Sandbox, customerUid: string, amount = 9900): Promise<void> {
  const answer = await payInWindow(sandbox, {
    pg: 'mobilians.170622040674',
    customer_uid: customerUid,
    merchant_uid: `issue_${customerUid}`,
    amount,
  });
  if (!answer.success) throw new Error(`the key ${customerUid} was not issued`);
}

/** How many getToken requests the sandbox has had. */
export const tokenRequests = (sandbox: Sandbox) => sandbox.countRequests('POST /users/getToken');

export const AGAIN = 'POST /subscribe/payments/again';
export const FIND = 'GET /payments/find/:merchant_uid';
export const FIND_BY_STATUS = 'GET /payments/find/:merchant_uid/:payment_status';
