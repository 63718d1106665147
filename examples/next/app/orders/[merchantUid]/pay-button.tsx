'use client';
import type { MobiliansPayMethod } from '@portone-kit/core';
import { MobiliansPayButton } from '@portone-kit/react';
import type { Order, PaymentSyncAnswer } from 'example-shop/api';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { won } from '@/lib/ui';
import { reportPayment, verifyOnServer } from '@/lib/verify';

const PAY_METHODS: { value: MobiliansPayMethod; label: string }[] = [
  { value: 'card', label: '신용카드' },
  { value: 'trans', label: '계좌이체' },
  { value: 'phone', label: '휴대폰 소액결제' },
];

/**
 * The order's pay button. On a PC the window answers here; a phone leaves for the window and comes back
 * to `returnUrl` (app/payments/return), which verifies and returns to this page, where the button shows
 * what happened. Whatever the outcome, the server records it and the page renders again.
 */
export function PayButton({ order, returnUrl }: { order: Order; returnUrl: string }) {
  const router = useRouter();
  const [payMethod, setPayMethod] = useState<MobiliansPayMethod>('card');
  // A decline or a closed window: the server asks PortOne and records it, then the page shows it.
  const record = (impUid: string | null) =>
    reportPayment(order.merchantUid, impUid).then(
      () => router.refresh(),
      () => router.refresh(),
    );
  return (
    <section aria-labelledby="pay-title" className="pay">
      <h2 id="pay-title">결제</h2>
      <fieldset>
        <legend>결제 수단</legend>
        {PAY_METHODS.map((method) => (
          <label key={method.value} className="choice">
            <input
              type="radio"
              name="pay-method"
              value={method.value}
              checked={payMethod === method.value}
              onChange={() => setPayMethod(method.value)}
            />
            {method.label}
          </label>
        ))}
      </fieldset>
      <MobiliansPayButton<PaymentSyncAnswer>
        className="primary"
        // The page shows each outcome itself (the notice above): the button's own line is for screen readers.
        hideStatus
        request={{
          pay_method: payMethod,
          merchant_uid: order.merchantUid,
          name: order.name,
          amount: order.amount,
          buyer_name: order.buyerName,
          buyer_tel: order.buyerTel,
          m_redirect_url: returnUrl,
        }}
        verify={verifyOnServer}
        onSuccess={() => router.refresh()}
        onFailure={(error) => (error.kind === 'payment' ? void record(error.result.impUid) : router.refresh())}
        onCancel={(result) => void record(result.impUid)}
      >
        {`${won(order.amount)} 결제하기`}
      </MobiliansPayButton>
    </section>
  );
}
