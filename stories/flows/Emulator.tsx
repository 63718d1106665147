import type { CompletedResult } from '@portone-kit/core';
import { MobiliansPayButton, PortoneProvider } from '@portone-kit/react';
import { useState } from 'react';

export interface EmulatorCheckoutProps {
  /** Where the emulator is mounted (Storybook's server proxies it). */
  emulator: string;
  /** What the buyer does: `window` opens the sandbox window for you to try. */
  outcome: 'window' | 'approve' | 'decline';
  merchantUid: string;
}

interface RecordedPayment {
  imp_uid: string;
  amount: number;
  status: string;
  pay_method: string;
  sandbox: boolean;
}

/**
 * The whole sandbox in one story: the fake SDK served by the emulator, its window, and the payment the
 * emulator then reports, as PortOne's REST API would to your server.
 */
export function EmulatorCheckout({ emulator, outcome, merchantUid }: EmulatorCheckoutProps) {
  const [recorded, setRecorded] = useState<RecordedPayment | null>(null);
  // In your app this is your server calling GET /payments/{imp_uid}; the story reads the emulator's record.
  const verify = async (result: CompletedResult) => {
    const response = await fetch(`${emulator}/sandbox/payments/${encodeURIComponent(result.impUid)}`);
    if (!response.ok) throw new Error(`the emulator has no payment ${result.impUid}`);
    const payment = (await response.json()) as RecordedPayment;
    setRecorded(payment);
    if (payment.status !== 'paid' || payment.amount !== 9900) throw new Error('not paid as ordered');
    return payment;
  };
  return (
    <PortoneProvider merchantCode="imp12345678" src={`${emulator}/v1/iamport.js?outcome=${outcome}`}>
      <MobiliansPayButton
        request={{
          pg: 'mobilians',
          pay_method: 'card',
          merchant_uid: merchantUid,
          name: '샌드박스 주문',
          amount: 9900,
          buyer_tel: '010-1234-5678',
        }}
        verify={verify}
      />
      {recorded ? (
        <section aria-label="에뮬레이터가 기록한 결제" style={{ fontFamily: 'system-ui, sans-serif' }}>
          <dl>
            <dt>imp_uid</dt>
            <dd>{recorded.imp_uid}</dd>
            <dt>status</dt>
            <dd>{recorded.status}</dd>
            <dt>amount</dt>
            <dd>{recorded.amount}</dd>
            <dt>sandbox</dt>
            <dd>{String(recorded.sandbox)}</dd>
          </dl>
        </section>
      ) : null}
    </PortoneProvider>
  );
}
