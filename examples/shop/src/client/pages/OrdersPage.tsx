import { useEffect, useState } from 'react';
import type { Order } from '../../shared/api.js';
import { ShopApiError, shopApi } from '../api.js';
import { Link } from '../router.js';
import { Notice, PageHeading, StatusBadge, seoulTime, won } from '../ui.js';

export function OrdersPage() {
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    shopApi
      .orders()
      .then(setOrders, (reason: unknown) =>
        setError(reason instanceof ShopApiError ? reason.message : '주문 내역을 불러오지 못했습니다.'),
      );
  }, []);
  return (
    <>
      <PageHeading>주문 내역</PageHeading>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {orders?.length === 0 ? <p>아직 주문이 없습니다.</p> : null}
      {orders && orders.length > 0 ? (
        <table className="orders">
          <caption className="visually-hidden">최근 주문</caption>
          <thead>
            <tr>
              <th scope="col">주문</th>
              <th scope="col">금액</th>
              <th scope="col">상태</th>
              <th scope="col">주문 시각</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.merchantUid} data-merchant-uid={order.merchantUid}>
                <td>
                  <Link href={`/orders/${order.merchantUid}`}>{order.name}</Link>
                </td>
                <td>{won(order.amount)}</td>
                <td>
                  <StatusBadge status={order.status} />
                </td>
                <td>{seoulTime(order.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
