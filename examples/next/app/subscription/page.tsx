import { randomUUID } from 'node:crypto';
import { PLANS } from 'example-shop/catalog';
import { won } from '@/lib/ui';
import { SubscribeForm } from './subscribe-form';

/** The monthly plan and its sign-up form; the billing key is issued on the subscription's page. */
export default function SubscribePage() {
  const plan = PLANS[0];
  if (!plan) return <h1>정기배송</h1>;
  return (
    <>
      <h1>정기배송</h1>
      <section aria-labelledby="plan-title" className="plan">
        <h2 id="plan-title">{plan.name}</h2>
        <p>
          매월 <strong>{won(plan.monthlyPrice)}</strong>, 휴대폰 소액결제로 결제됩니다.
        </p>
      </section>
      <SubscribeForm planId={plan.id} requestId={randomUUID()} />
    </>
  );
}
