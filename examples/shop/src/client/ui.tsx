import { type ReactNode, type Ref, useEffect, useRef } from 'react';
import type { Order, OrderStatus } from '../shared/api.js';
import { hasNavigated } from './router.js';

export const won = (amount: number) => `${amount.toLocaleString('ko-KR')}원`;

export function seoulTime(iso: string): string {
  return new Date(iso).toLocaleString('ko-KR', { timeZone: 'Asia/Seoul', dateStyle: 'medium', timeStyle: 'short' });
}

export const STATUS_LABELS: Record<OrderStatus, string> = {
  pending: '결제 대기',
  paid: '결제 완료',
  failed: '결제 실패',
  refused: '결제 거부 · 환불',
  cancelled: '결제 취소',
};

/** The page's title. After a move within the app it takes the focus, so screen readers hear the new page. */
export function PageHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function StatusBadge({ status }: { status: OrderStatus }) {
  return (
    <span className={`badge badge-${status}`} data-order-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}

/**
 * A message that screen readers announce: `alert` for problems, `status` for news. With `focusRef` it can
 * take the focus (from script only), for when the control that had it goes away.
 */
export function Notice({
  tone,
  children,
  focusRef,
}: {
  tone: 'info' | 'success' | 'error';
  children: ReactNode;
  focusRef?: Ref<HTMLDivElement>;
}) {
  return (
    <div
      ref={focusRef}
      tabIndex={focusRef ? -1 : undefined}
      className={`notice notice-${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
    >
      {children}
    </div>
  );
}

/**
 * Keeps the focus on the page when the control that had it goes away (the pay button, once the order is
 * paid): whenever `controls` (what the page offers, e.g. `'payable'`; undefined while loading) changes and
 * the focus has fallen to `<body>`, it moves to `target`, or to the page's heading when `target` is not there.
 */
export function useFocusWhenGone(controls: string | undefined, target: { current: HTMLElement | null }) {
  const was = useRef(controls);
  useEffect(() => {
    const before = was.current;
    was.current = controls;
    if (before === undefined || before === controls) return;
    const active = document.activeElement;
    if (active === null || active === document.body) {
      (target.current ?? document.querySelector<HTMLElement>('main h1'))?.focus();
    }
  }, [controls, target]);
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

/** A fresh key for one submission: the server makes one order per key, however often it is sent. */
export const newRequestId = () => crypto.randomUUID();
