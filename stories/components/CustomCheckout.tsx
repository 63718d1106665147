import { type PaymentRequest, validatePaymentRequest } from '@portone-kit/core';
import { type FlowOutcome, usePortone } from '@portone-kit/react';
import { useState } from 'react';

export interface CustomCheckoutProps {
  request: PaymentRequest;
  verify: (result: { impUid: string }) => Promise<unknown>;
}

/** A checkout with its own markup on `usePortone`: method picker, its own button and status line. */
export function CustomCheckout({ request, verify }: CustomCheckoutProps) {
  const { sdk, pay } = usePortone();
  const [method, setMethod] = useState<PaymentRequest['pay_method']>(request.pay_method);
  const [last, setLast] = useState<FlowOutcome | null>(null);
  const chosen = { ...request, pay_method: method };
  const problems = validatePaymentRequest(chosen);
  return (
    <form
      aria-label="결제 수단 선택"
      onSubmit={(event) => {
        event.preventDefault();
        void pay.start(chosen, { verify }).then(setLast);
      }}
      style={{ fontFamily: 'system-ui, sans-serif', display: 'grid', gap: 12, maxWidth: 360 }}
    >
      <fieldset>
        <legend>결제 수단</legend>
        {(
          [
            ['card', '신용카드'],
            ['trans', '계좌이체'],
            ['phone', '휴대폰 소액결제'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} style={{ display: 'block' }}>
            <input
              type="radio"
              name="pay_method"
              value={value}
              checked={method === value}
              onChange={() => setMethod(value)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={!sdk.isReady || pay.isInFlight || problems.length > 0}>
        {request.amount.toLocaleString('ko-KR')}원 결제
      </button>
      <p role="status">
        {sdk.isLoading
          ? '결제 모듈 준비 중'
          : pay.isInFlight
            ? `진행 중: ${pay.status}`
            : last
              ? `결과: ${last.status}`
              : '결제 수단을 고르세요'}
      </p>
    </form>
  );
}
