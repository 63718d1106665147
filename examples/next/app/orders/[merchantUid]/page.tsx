import { notFound } from 'next/navigation';
import { FocusWhenShown } from '@/lib/focus';
import { readSession, siteOrigin } from '@/lib/session';
import { shop } from '@/lib/shop';
import { OrderLines, OrderNotice, StatusBadge, seoulTime } from '@/lib/ui';
import { PayButton } from './pay-button';

// The checkout: a Server Component reads the order from the shop's database (this browser's only) and
// renders it; the pay button is a client component. After a payment the button asks for a refresh and
// this page renders again with what the server recorded.
export default async function OrderPage({ params }: { params: Promise<{ merchantUid: string }> }) {
  const { merchantUid } = await params;
  const session = await readSession();
  const { db } = shop();
  const order = session && db.orderBelongsTo(merchantUid, session) ? db.getOrder(merchantUid) : null;
  if (!order) notFound();
  const payable = order.kind === 'checkout' && (order.status === 'pending' || order.status === 'failed');
  return (
    <>
      <h1>주문 상세</h1>
      <dl className="facts">
        <dt>주문 번호</dt>
        <dd data-testid="merchant-uid">{order.merchantUid}</dd>
        <dt>상태</dt>
        <dd>
          <StatusBadge status={order.status} />
        </dd>
        <dt>주문 시각</dt>
        <dd>{seoulTime(order.createdAt)}</dd>
        {order.paidAt ? (
          <>
            <dt>결제 시각</dt>
            <dd>{seoulTime(order.paidAt)}</dd>
          </>
        ) : null}
      </dl>
      <OrderLines order={order} />
      <FocusWhenShown key={`${order.status} ${order.updatedAt}`}>
        <OrderNotice order={order} />
      </FocusWhenShown>
      {payable ? <PayButton order={order} returnUrl={`${await siteOrigin()}/payments/return`} /> : null}
    </>
  );
}
