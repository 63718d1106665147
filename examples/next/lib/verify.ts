import type { CompletedResult } from '@portone-kit/core';
import type { PaymentSyncAnswer } from 'example-shop/api';

// The browser's side of verification: it reports what the window said, and the server (the route handler
// app/api/payments/verify) asks PortOne and answers the order as it stands. Used by client components.

/** Reports a result; answers the server's view of the order. */
export async function reportPayment(merchantUid: string, impUid: string | null): Promise<PaymentSyncAnswer> {
  const response = await fetch('/api/payments/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ merchantUid, impUid }),
  });
  const body = (await response.json().catch(() => null)) as (PaymentSyncAnswer & { error?: string }) | null;
  if (!response.ok || body === null) throw new Error(body?.error ?? '결제를 확인하지 못했습니다.');
  return body;
}

/** The kit's `verify`: resolves only when the server found the order paid by this payment. */
export async function verifyOnServer(result: CompletedResult): Promise<PaymentSyncAnswer> {
  const answer = await reportPayment(result.merchantUid, result.impUid);
  if (!answer.verified) throw new Error(answer.message);
  return answer;
}
