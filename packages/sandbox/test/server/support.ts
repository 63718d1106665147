import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type { Envelope } from '@portone-kit/core/rest';
// The REST and window helpers are the package's public testing entry, as a merchant's tests would use it.
export {
  type ApiAnswer,
  type CallOptions,
  callApi as api,
  getToken,
  type WindowCallback as CallbackObject,
  type WindowPayRequest as WindowRequest,
  windowPay,
} from '@portone-kit/sandbox/testing';

export const paymentParams = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_1',
  name: '주문 결제',
  amount: 9900,
  buyer_tel: '010-1234-5678',
  ...overrides,
});

/** A billing-key window (phone, as Mobilians issues keys) for `customerUid`, charging `amount` at once. */
export const billingParams = (customerUid: string, amount: number, merchantUid = `issue_${customerUid}`) =>
  paymentParams({ pg: 'mobilians.170622040674', customer_uid: customerUid, merchant_uid: merchantUid, amount });

/** Milliseconds of a time in Seoul (UTC+9). */
export const seoul = (year: number, month: number, day: number, hour = 10) => Date.UTC(year, month - 1, day, hour - 9);

export interface ReceivedWebhook {
  contentType: string | undefined;
  body: string;
  headers: IncomingHttpHeaders;
}

/** A webhook receiver on 127.0.0.1 that answers `status` and keeps what it got. */
export async function startReceiver(status = 200) {
  const received: ReceivedWebhook[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    received.push({ contentType: request.headers['content-type'], body, headers: request.headers });
    response.writeHead(status).end();
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    /** Resolves once `count` webhooks have arrived. */
    async waitFor(count: number): Promise<ReceivedWebhook[]> {
      while (received.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return received;
    },
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
