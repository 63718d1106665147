import type { Order, OrderStatus } from 'example-shop/api';
import type { ReactNode } from 'react';

// Markup shared by the pages; no state, so Server and Client Components both use it.

export const won = (amount: number) => `${amount.toLocaleString('ko-KR')}원`;

/** Rendered on the server only (Server Components): the same text whatever the browser's time zone. */
export function seoulTime(iso: string): string {
  return new Date(iso).toLocaleString('ko-KR', { timeZone: 'Asia/Seoul', dateStyle: 'medium', timeStyle: 'short' });
}

const STATUS_LABELS: Record<OrderStatus, string> = {
  pending: '결제 대기',
  paid: '결제 완료',
  failed: '결제 실패',
  refused: '결제 거부 · 환불',
  cancelled: '결제 취소',
};

export function StatusBadge({ status }: { status: OrderStatus }) {
  return (
    <span className={`badge badge-${status}`} data-order-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}

/** A message screen readers announce: `alert` for problems, `status` for news. */
export function Notice({ tone, children }: { tone: 'info' | 'success' | 'error'; children: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** What the order's state means to the buyer, from the server's record. */
export function OrderNotice({ order }: { order: Order }) {
  switch (order.status) {
    case 'paid':
      return <Notice tone="success">결제가 완료되었습니다.</Notice>;
    case 'failed':
      return <Notice tone="error">{`결제에 실패했습니다. ${order.statusReason ?? ''}`.trim()}</Notice>;
    case 'refused':
      return <Notice tone="error">{order.statusReason ?? '결제를 승인하지 않았습니다.'}</Notice>;
    case 'cancelled':
      return <Notice tone="info">{order.statusReason ?? '결제가 취소되었습니다.'}</Notice>;
    default:
      return order.statusReason ? <Notice tone="info">{order.statusReason}</Notice> : null;
  }
}

export function OrderLines({ order }: { order: Order }) {
  return (
    <table className="lines">
      <caption className="visually-hidden">주문 상품</caption>
      <thead>
        <tr>
          <th scope="col">상품</th>
          <th scope="col">수량</th>
          <th scope="col">금액</th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((line) => (
          <tr key={line.sku}>
            <td>{line.name}</td>
            <td>{line.quantity}</td>
            <td>{won(line.unitPrice * line.quantity)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            합계
          </th>
          <td data-testid="order-amount">{won(order.amount)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
