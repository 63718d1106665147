import { subscriptionView } from 'example-shop/subscriptions';
import { notFound } from 'next/navigation';
import { FocusWhenShown } from '@/lib/focus';
import { readSession, siteOrigin } from '@/lib/session';
import { shop, shopSettings } from '@/lib/shop';
import { StatusBadge, seoulTime, won } from '@/lib/ui';
import { BillingKeyButton } from './billing-key-button';

const STATUS_TEXT = { pending: '등록 대기', active: '구독 중', cancelled: '해지됨' } as const;

/** A subscription: the billing key's window while it is pending, then its state and charges. */
export default async function SubscriptionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await readSession();
  const context = shop();
  if (!session || !/^sub_[0-9a-f]{12}$/.test(id) || !context.db.subscriptionBelongsTo(id, session)) notFound();
  const subscription = subscriptionView(context, id);
  return (
    <>
      <h1>정기배송 구독</h1>
      <dl className="facts">
        <dt>요금제</dt>
        <dd>{subscription.plan.name}</dd>
        <dt>상태</dt>
        <dd data-testid="subscription-status">{STATUS_TEXT[subscription.status]}</dd>
        <dt>월 요금</dt>
        <dd>{won(subscription.amount)}</dd>
        {subscription.firstPaidAt ? (
          <>
            <dt>첫 결제</dt>
            <dd>{seoulTime(subscription.firstPaidAt)}</dd>
          </>
        ) : null}
        {subscription.nextDueAt ? (
          <>
            <dt>다음 결제일</dt>
            <dd data-testid="next-due">{seoulTime(subscription.nextDueAt)}</dd>
          </>
        ) : null}
      </dl>
      {subscription.status === 'active' ? (
        <FocusWhenShown>
          <div className="notice notice-success" role="status">
            정기결제가 등록되었습니다.
          </div>
        </FocusWhenShown>
      ) : null}
      {subscription.status === 'pending' ? (
        <BillingKeyButton
          subscription={subscription}
          billingPg={shopSettings().billingPg}
          returnUrl={`${await siteOrigin()}/payments/return`}
        />
      ) : null}
      {subscription.charges.length > 0 ? (
        <table className="orders">
          <caption>결제 내역</caption>
          <thead>
            <tr>
              <th scope="col">내용</th>
              <th scope="col">금액</th>
              <th scope="col">상태</th>
            </tr>
          </thead>
          <tbody>
            {subscription.charges.map((charge) => (
              <tr key={charge.merchantUid} data-merchant-uid={charge.merchantUid}>
                <td>{charge.name}</td>
                <td>{won(charge.amount)}</td>
                <td>
                  <StatusBadge status={charge.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
