'use client';
import { useActionState } from 'react';
import { Notice } from '@/lib/ui';
import { type FormState, subscribe } from '../actions';

export function SubscribeForm({ planId, requestId }: { planId: string; requestId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(subscribe, null);
  return (
    <form action={action}>
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="planId" value={planId} />
      <fieldset>
        <legend>구독하는 분</legend>
        <label className="field">
          이름
          <input name="buyerName" defaultValue="홍길동" autoComplete="name" required />
        </label>
        <label className="field">
          휴대폰 번호
          <input name="buyerTel" type="tel" defaultValue="010-1234-5678" autoComplete="tel" required />
        </label>
      </fieldset>
      {state ? <Notice tone="error">{state.error}</Notice> : null}
      <button type="submit" className="primary" aria-disabled={pending || undefined}>
        구독 신청하기
      </button>
    </form>
  );
}
