import type { CompletedResult, FlowError } from '@portone-kit/core';
import { RedirectResultHandler, type RedirectState } from '@portone-kit/react';
import { useState } from 'react';
import type { Order, PaymentSyncAnswer } from '../../shared/api.js';
import { shopApi } from '../api.js';
import { Link, type NavigationState, navigate } from '../router.js';
import { Notice, PageHeading } from '../ui.js';

/** Where a result lands: the order page, or the subscription's page for a billing key. */
const landingPath = (order: Order) =>
  order.kind === 'checkout' || order.subscriptionId === null
    ? `/orders/${order.merchantUid}`
    : `/subscriptions/${order.subscriptionId}`;

/**
 * What the landing page shows: an order page says it from the order's state; a subscription's page gets
 * the server's answer (whether issuing the key paid the first month, or why it did not), as on desktop.
 */
function landingNotice(answer: PaymentSyncAnswer): NavigationState {
  if (answer.order.kind === 'checkout') return {};
  if (answer.verified) return { notice: { tone: 'success', text: answer.message } };
  if (answer.order.status === 'failed' || answer.order.status === 'refused') {
    return { notice: { tone: 'error', text: `등록하지 못했습니다. ${answer.message}` } };
  }
  return { notice: { tone: 'info', text: answer.message } };
}

const STATUS_TEXT: Record<RedirectState['status'], string> = {
  reading: '결제 결과를 읽고 있습니다.',
  verifying: '결제 결과를 확인하고 있습니다.',
  succeeded: '결제가 확인되었습니다. 주문으로 이동합니다.',
  unverified: '결제 결과를 확인하지 못했습니다.',
  failed: '결제가 완료되지 않았습니다. 주문으로 이동합니다.',
  cancelled: '결제를 취소했습니다. 주문으로 이동합니다.',
  'no-result': '확인할 결제 결과가 없습니다.',
};

/**
 * The `m_redirect_url` page of mobile browsers. The kit's handler verifies once per imp_uid (a reload
 * or the back button reads the stored answer instead of asking again); then the buyer lands on the
 * order page, which replaces this page in the history.
 */
export function PaymentReturnPage() {
  const [problem, setProblem] = useState<string | null>(null);

  const verify = async (result: CompletedResult): Promise<PaymentSyncAnswer> => {
    const answer = await shopApi.syncPayment({ merchantUid: result.merchantUid, impUid: result.impUid });
    if (!answer.verified) throw new Error(answer.message);
    return answer;
  };

  /** A result that did not pay: the server records it (it asks PortOne), then the order page shows it. */
  const land = async (merchantUid: string | null, impUid: string | null) => {
    if (merchantUid === null) {
      setProblem('어느 주문의 결과인지 알 수 없습니다.');
      return;
    }
    try {
      const answer = await shopApi.syncPayment({ merchantUid, impUid });
      navigate(landingPath(answer.order), { replace: true, state: landingNotice(answer) });
    } catch {
      navigate(`/orders/${merchantUid}`, { replace: true });
    }
  };

  const onFailure = (error: FlowError) => {
    if (error.kind === 'payment' || error.kind === 'verification') {
      void land(error.result.merchantUid, error.result.impUid);
    } else {
      setProblem('이 결제 결과는 이 창에서 시작한 주문의 것이 아닙니다.');
    }
  };

  return (
    <>
      <PageHeading>결제 결과</PageHeading>
      <RedirectResultHandler<PaymentSyncAnswer>
        verify={verify}
        onSuccess={(state) => {
          if (state.verification) {
            navigate(landingPath(state.verification.order), {
              replace: true,
              state: landingNotice(state.verification),
            });
          }
        }}
        onFailure={onFailure}
        onCancel={(result) => void land(result.merchantUid, result.impUid)}
      >
        {(state) => (
          <div role="status" data-redirect-status={state.status}>
            <p>{STATUS_TEXT[state.status]}</p>
          </div>
        )}
      </RedirectResultHandler>
      {problem ? <Notice tone="error">{problem}</Notice> : null}
      <p>
        <Link href="/orders">주문 내역 보기</Link>
      </p>
    </>
  );
}
