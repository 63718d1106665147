import type { RequestPayParams, RequestPayResponse } from '@portone-kit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeImp, type FakeImp, type FakeOutcome } from '../../src/index.js';
import { createClock, type Sandbox, startSandbox } from '../../src/server.js';
import { seoul } from './support.js';

// The in-memory fake and the emulator answer the buyer's outcome from one table (src/window-answers.ts):
// the same code, the same text and the same recorded status, whichever a test or story runs on.

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ clock: createClock(seoul(2026, 1, 15)) });
});
afterEach(() => sandbox.close());

const params = (merchantUid: string): RequestPayParams => ({
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: merchantUid,
  name: '주문',
  amount: 9900,
  buyer_tel: '010-1234-5678',
});

const pay = (imp: FakeImp, merchantUid: string) =>
  new Promise<RequestPayResponse>((resolve) => imp.request_pay(params(merchantUid), resolve));

/** What a client can tell apart in the answer, and the status the window recorded. */
const seen = (response: RequestPayResponse, recorded: string | undefined) => ({
  success: response.success,
  error_code: response.error_code,
  error_msg: response.error_msg,
  status: response.status,
  recorded,
});

const outcomes: [string, FakeOutcome][] = [
  ['approve', { kind: 'approve' }],
  ['decline with no code', { kind: 'decline' }],
  ['decline with a code', { kind: 'decline', code: 'LIMIT_EXCEEDED', message: '월 결제 한도를 초과했습니다' }],
  ['cancel', { kind: 'cancel' }],
];

describe('the in-memory fake and the emulator answer alike', () => {
  for (const [name, outcome] of outcomes) {
    it(`for ${name}`, async () => {
      const memory = createFakeImp({ outcome });
      const server = createFakeImp({ outcome, server: sandbox.url });
      memory.init('imp12345678');
      server.init('imp12345678');
      const fromMemory = await pay(memory, 'm_memory');
      const fromServer = await pay(server, 'm_server');
      const recorded = sandbox.store.paymentsFor('m_server')[0]?.status;
      expect(seen(fromServer, recorded)).toEqual(seen(fromMemory, memory.payments.get('m_memory')?.status));
    });
  }

  it('records a buyer’s cancel as ready, with F0005', async () => {
    const imp = createFakeImp({ outcome: { kind: 'cancel' }, server: sandbox.url });
    imp.init('imp12345678');
    expect(await pay(imp, 'm_cancel')).toMatchObject({ success: false, error_code: 'F0005', status: 'ready' });
    expect(sandbox.store.paymentsFor('m_cancel')).toEqual([expect.objectContaining({ status: 'ready', paid_at: 0 })]);
  });
});
