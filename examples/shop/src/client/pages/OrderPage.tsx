import type { CompletedResult, FlowError, MobiliansPayMethod } from '@portone-kit/core';
import { MobiliansPayButton } from '@portone-kit/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Order, PaymentSyncAnswer, ShopConfig } from '../../shared/api.js';
import { ShopApiError, shopApi } from '../api.js';
import { mobiliansPg, returnUrl } from '../pay-request.js';
import { Link } from '../router.js';
import { Notice, OrderLines, PageHeading, StatusBadge, seoulTime, useFocusWhenGone, won } from '../ui.js';

const PAY_METHODS: { value: MobiliansPayMethod; label: string }[] = [
  { value: 'card', label: '신용카드' },
  { value: 'trans', label: '계좌이체' },
  { value: 'phone', label: '휴대폰 소액결제' },
];

const REFUND_TEXT: Record<NonNullable<Order['refund']> | 'none', string> = {
  none: '',
  requested: '',
  done: ' 환불이 완료되었습니다.',
  failed: ' 환불을 다시 시도하고 있습니다.',
};

/** The refund is looked at again after 1, 2, 4, 8 s, then every 15 s: about two minutes in all. */
const REFUND_POLLS = 12;
const refundPollDelay = (poll: number) => Math.min(1000 * 2 ** poll, 15_000);

type Message = { tone: 'info' | 'success' | 'error'; text: string };

/** What the order's state means to the buyer, from the server's record. */
function orderNotice(order: Order): Message | null {
  switch (order.status) {
    case 'paid':
      return { tone: 'success', text: '결제가 완료되었습니다.' };
    case 'failed':
      return { tone: 'error', text: `결제에 실패했습니다. ${order.statusReason ?? ''}`.trim() };
    case 'refused':
      return {
        tone: 'error',
        text: `${order.statusReason ?? '결제를 승인하지 않았습니다.'}${REFUND_TEXT[order.refund ?? 'none']}`,
      };
    case 'cancelled':
      return { tone: 'info', text: order.statusReason ?? '결제가 취소되었습니다.' };
    default:
      return order.statusReason ? { tone: 'info', text: order.statusReason } : null;
  }
}

export function OrderPage({ merchantUid, config }: { merchantUid: string; config: ShopConfig }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [payMethod, setPayMethod] = useState<MobiliansPayMethod>('card');
  const noticeRef = useRef<HTMLDivElement>(null);
  const payable =
    order !== null && order.kind === 'checkout' && (order.status === 'pending' || order.status === 'failed');
  // Paid (or refused) while the buyer was on the pay button: the button goes, the focus stays on the news.
  useFocusWhenGone(order === null ? undefined : payable ? 'payable' : 'settled', noticeRef);

  const load = useCallback(() => {
    shopApi
      .order(merchantUid)
      .then(setOrder, (reason: unknown) =>
        setLoadError(reason instanceof ShopApiError ? reason.message : '주문을 불러오지 못했습니다.'),
      );
  }, [merchantUid]);

  useEffect(() => {
    load();
    // Back from the payment page (the back-forward cache keeps the old state): ask the server again.
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) {
        setMessage(null);
        load();
      }
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, [load]);

  // A refund on its way (sent by a path, or by the server's retry): look again, less and less often, and
  // stop after a while rather than ask forever.
  const refundPending = order?.status === 'refused' && (order.refund === 'requested' || order.refund === 'failed');
  const [refundPolls, setRefundPolls] = useState(0);
  const refundPollsLeft = refundPending && refundPolls < REFUND_POLLS;
  useEffect(() => {
    if (!refundPollsLeft) return;
    const timer = setTimeout(() => {
      setRefundPolls((polls) => polls + 1);
      load();
    }, refundPollDelay(refundPolls));
    return () => clearTimeout(timer);
  }, [refundPollsLeft, refundPolls, load]);

  /** Tells the server how the window ended; it asks PortOne and answers the order as it stands. */
  const report = useCallback(
    async (impUid: string | null) => {
      try {
        const answer = await shopApi.syncPayment({ merchantUid, impUid });
        setOrder(answer.order);
      } catch {
        load();
      }
    },
    [merchantUid, load],
  );

  const verify = async (result: CompletedResult): Promise<PaymentSyncAnswer> => {
    const answer = await shopApi.syncPayment({ merchantUid: result.merchantUid, impUid: result.impUid });
    setOrder(answer.order);
    if (!answer.verified) throw new Error(answer.message);
    return answer;
  };

  const onFailure = (error: FlowError) => {
    if (error.kind === 'payment') {
      setMessage({ tone: 'error', text: `결제에 실패했습니다. ${error.result.message}` });
      void report(error.result.impUid);
    } else if (error.kind === 'verification') {
      // The server answered: the order (already shown) says why. Its answer lost: say so, and ask again
      // (the webhook may have settled the order meanwhile).
      setMessage(error.cause instanceof ShopApiError ? { tone: 'error', text: error.cause.message } : null);
      load();
    } else {
      setMessage({ tone: 'error', text: '결제를 시작하지 못했습니다. 잠시 후 다시 시도해 주세요.' });
    }
  };

  if (loadError) {
    return (
      <>
        <PageHeading>주문 상세</PageHeading>
        <Notice tone="error">{loadError}</Notice>
        <p>
          <Link href="/">장바구니로 돌아가기</Link>
        </p>
      </>
    );
  }
  if (!order) return <p role="status">주문을 불러오는 중입니다.</p>;

  // What this page said about an attempt counts while the order can still be paid; once it is settled
  // (paid on a retry after a decline, say) the order's own state is the news.
  const notice = (payable ? message : null) ?? orderNotice(order);
  return (
    <>
      <PageHeading>주문 상세</PageHeading>
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
      <div aria-live="polite">
        {notice ? (
          <Notice tone={notice.tone} focusRef={noticeRef}>
            {notice.text}
          </Notice>
        ) : null}
        {refundPending && !refundPollsLeft ? (
          <Notice tone="info">환불 처리가 늦어지고 있습니다. 잠시 후 이 페이지를 다시 열어 확인해 주세요.</Notice>
        ) : null}
      </div>
      {payable ? (
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
            // The notice above says how each attempt went: the kit's status line stays for screen readers.
            hideStatus
            request={{
              pg: mobiliansPg(config.pg),
              pay_method: payMethod,
              merchant_uid: order.merchantUid,
              name: order.name,
              amount: order.amount,
              buyer_name: order.buyerName,
              buyer_tel: order.buyerTel,
              m_redirect_url: returnUrl(),
            }}
            verify={verify}
            onSuccess={(outcome) => {
              setMessage(null);
              if (outcome.status === 'succeeded') setOrder(outcome.verification.order);
            }}
            onFailure={onFailure}
            onCancel={(result) => {
              setMessage({ tone: 'info', text: '결제창을 닫았습니다. 다시 결제할 수 있습니다.' });
              void report(result.impUid);
            }}
          >
            {`${won(order.amount)} 결제하기`}
          </MobiliansPayButton>
        </section>
      ) : null}
      <p>
        <Link href="/orders">주문 내역 보기</Link>
      </p>
    </>
  );
}
