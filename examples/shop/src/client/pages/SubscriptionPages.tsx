import type { CompletedResult } from '@portone-kit/core';
import { MobiliansPayButton } from '@portone-kit/react';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { ClockState, PaymentSyncAnswer, Plan, ShopConfig, Subscription } from '../../shared/api.js';
import { ShopApiError, shopApi } from '../api.js';
import { mobiliansPg, returnUrl } from '../pay-request.js';
import { Link, navigate } from '../router.js';
import { Notice, newRequestId, PageHeading, StatusBadge, seoulTime, won } from '../ui.js';

const SAVED_SUBSCRIPTION = 'shop:subscription';
const DAY_MS = 24 * 60 * 60 * 1000;

const errorText = (reason: unknown, fallback: string) => (reason instanceof ShopApiError ? reason.message : fallback);

function savedSubscriptionId(): string | null {
  try {
    return localStorage.getItem(SAVED_SUBSCRIPTION);
  } catch {
    return null;
  }
}

/** The plan and a form to start a subscription (the key is issued on the next page). */
export function SubscribePage() {
  const [plans, setPlans] = useState<Plan[] | null>(null);
  const [buyerName, setBuyerName] = useState('홍길동');
  const [buyerTel, setBuyerTel] = useState('010-1234-5678');
  const [requestId] = useState(newRequestId);
  const submitting = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const saved = savedSubscriptionId();

  useEffect(() => {
    shopApi.catalog().then(
      (catalog) => setPlans(catalog.plans),
      (reason: unknown) => setError(errorText(reason, '요금제를 불러오지 못했습니다.')),
    );
  }, []);
  const plan = plans?.[0];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!plan || submitting.current) return;
    submitting.current = true;
    try {
      const subscription = await shopApi.createSubscription({ requestId, planId: plan.id, buyerName, buyerTel });
      try {
        localStorage.setItem(SAVED_SUBSCRIPTION, subscription.id);
      } catch {}
      navigate(`/subscriptions/${subscription.id}`);
    } catch (reason) {
      setError(errorText(reason, '구독을 시작하지 못했습니다.'));
      submitting.current = false;
    }
  }

  return (
    <>
      <PageHeading>정기배송</PageHeading>
      {saved ? (
        <p>
          <Link href={`/subscriptions/${saved}`}>진행 중인 구독 보기</Link>
        </p>
      ) : null}
      {plan ? (
        <form onSubmit={submit}>
          <section aria-labelledby="plan-title" className="plan">
            <h2 id="plan-title">{plan.name}</h2>
            <p>
              매월 <strong>{won(plan.monthlyPrice)}</strong>, 휴대폰 소액결제로 결제됩니다.
            </p>
            <p className="hint">
              KG모빌리언스 정기결제는 등록할 때 첫 달 요금이 결제되고, 이후 매월 같은 날 같은 금액으로만 청구할 수
              있습니다.
            </p>
          </section>
          <fieldset>
            <legend>구독하는 분</legend>
            <label className="field">
              이름
              <input value={buyerName} onChange={(event) => setBuyerName(event.target.value)} autoComplete="name" />
            </label>
            <label className="field">
              휴대폰 번호
              <input
                type="tel"
                value={buyerTel}
                onChange={(event) => setBuyerTel(event.target.value)}
                autoComplete="tel"
              />
            </label>
          </fieldset>
          {error ? <Notice tone="error">{error}</Notice> : null}
          <button type="submit" className="primary">
            구독 신청하기
          </button>
        </form>
      ) : error ? (
        <Notice tone="error">{error}</Notice>
      ) : (
        <p role="status">요금제를 불러오는 중입니다.</p>
      )}
    </>
  );
}

/** The sandbox's clock, which dates payments and decides Mobilians' monthly rule: moved forward for the demo. */
function DemoClock({ subscription, onMoved }: { subscription: Subscription; onMoved: () => void }) {
  const [clock, setClock] = useState<ClockState | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    shopApi.clock().then(setClock, (reason: unknown) => setError(errorText(reason, '시계를 읽지 못했습니다.')));
  }, []);
  const advance = async (ms: number) => {
    try {
      setClock(await shopApi.advanceClock(ms));
      onMoved();
    } catch (reason) {
      setError(errorText(reason, '시계를 옮기지 못했습니다.'));
    }
  };
  const nowMs = clock ? Date.parse(clock.now) : null;
  const dueMs = subscription.nextDueAt ? Date.parse(subscription.nextDueAt) : null;
  return (
    <section aria-labelledby="clock-title" className="demo">
      <h2 id="clock-title">샌드박스 시계 (데모 전용)</h2>
      <p>
        지금 시각(서울): <strong data-testid="clock">{clock ? clock.seoul : '…'}</strong>
      </p>
      <div className="actions">
        <button type="button" onClick={() => void advance(DAY_MS)}>
          하루 지나기
        </button>
        {nowMs !== null && dueMs !== null && dueMs > nowMs ? (
          <button type="button" onClick={() => void advance(dueMs - nowMs)}>
            다음 결제일로 시계 이동
          </button>
        ) : null}
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
    </section>
  );
}

export function SubscriptionPage({ id, config }: { id: string; config: ShopConfig }) {
  const [subscription, setSubscription] = useState<Subscription | null>(null);
  const [message, setMessage] = useState<{ tone: 'info' | 'success' | 'error'; text: string } | null>(null);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const busy = useRef(false);

  const load = useCallback(() => {
    shopApi
      .subscription(id)
      .then(setSubscription, (reason: unknown) =>
        setMessage({ tone: 'error', text: errorText(reason, '구독을 불러오지 못했습니다.') }),
      );
  }, [id]);
  useEffect(() => {
    load();
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) load();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, [load]);

  const verify = async (result: CompletedResult): Promise<PaymentSyncAnswer> => {
    const answer = await shopApi.syncPayment({ merchantUid: result.merchantUid, impUid: result.impUid });
    if (!answer.verified) throw new Error(answer.message);
    return answer;
  };

  /** One action at a time: a second click while one is on its way does nothing. */
  const act = async (action: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    try {
      await action();
    } finally {
      busy.current = false;
    }
  };

  const charge = () =>
    act(async () => {
      try {
        const answer = await shopApi.chargeMonth(id);
        setSubscription(answer.subscription);
        setMessage({ tone: answer.status === 'paid' ? 'success' : 'error', text: answer.message });
      } catch (reason) {
        setMessage({ tone: 'error', text: errorText(reason, '청구하지 못했습니다.') });
      }
    });

  const cancel = () =>
    act(async () => {
      try {
        setSubscription(await shopApi.cancelSubscription(id));
        setConfirmingCancel(false);
        setMessage({ tone: 'info', text: '구독을 해지했습니다. 빌링키를 삭제했습니다.' });
      } catch (reason) {
        setMessage({ tone: 'error', text: errorText(reason, '해지하지 못했습니다.') });
      }
    });

  if (!subscription) {
    return (
      <>
        <PageHeading>정기배송 구독</PageHeading>
        {message ? <Notice tone={message.tone}>{message.text}</Notice> : <p role="status">불러오는 중입니다.</p>}
      </>
    );
  }

  const statusText = { pending: '등록 대기', active: '구독 중', cancelled: '해지됨' }[subscription.status];
  return (
    <>
      <PageHeading>정기배송 구독</PageHeading>
      <dl className="facts">
        <dt>요금제</dt>
        <dd>{subscription.plan.name}</dd>
        <dt>상태</dt>
        <dd data-testid="subscription-status">{statusText}</dd>
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
      <div aria-live="polite">{message ? <Notice tone={message.tone}>{message.text}</Notice> : null}</div>

      {subscription.status === 'pending' ? (
        <section aria-labelledby="issue-title" className="pay">
          <h2 id="issue-title">정기결제 등록</h2>
          <p>휴대폰 인증으로 빌링키를 발급하고, 첫 달 요금 {won(subscription.amount)}을 결제합니다.</p>
          <MobiliansPayButton<PaymentSyncAnswer>
            className="primary"
            customerUid={subscription.customerUid}
            request={{
              pg: mobiliansPg(config.billingPg),
              pay_method: 'phone',
              merchant_uid: subscription.firstOrderUid,
              name: `${subscription.plan.name} 정기결제`,
              amount: subscription.amount,
              buyer_name: subscription.buyerName,
              buyer_tel: subscription.buyerTel,
              m_redirect_url: returnUrl(),
            }}
            verify={verify}
            onSuccess={() => {
              setMessage({ tone: 'success', text: '정기결제가 등록되고 첫 달 결제가 완료되었습니다.' });
              load();
            }}
            onFailure={(error) => {
              const text =
                error.kind === 'payment'
                  ? `등록하지 못했습니다. ${error.result.message}`
                  : error.kind === 'verification' && error.cause instanceof Error
                    ? error.cause.message
                    : '등록하지 못했습니다.';
              setMessage({ tone: 'error', text });
              load();
            }}
            onCancel={() => setMessage({ tone: 'info', text: '결제창을 닫았습니다. 다시 등록할 수 있습니다.' })}
          />
        </section>
      ) : null}

      {subscription.status === 'active' ? (
        <section aria-labelledby="charge-title">
          <h2 id="charge-title">월 요금 청구</h2>
          <p className="hint">
            상점 서버가 KG모빌리언스 규칙(첫 결제와 같은 날, 같은 금액, 한 달에 한 번)을 확인한 뒤 빌링키로 청구합니다.
          </p>
          <button type="button" className="primary" onClick={() => void charge()}>
            이번 달 요금 청구
          </button>
        </section>
      ) : null}

      {config.demoClock && subscription.status === 'active' ? (
        <DemoClock subscription={subscription} onMoved={load} />
      ) : null}

      {subscription.charges.length > 0 ? (
        <section aria-labelledby="charges-title">
          <h2 id="charges-title">결제 내역</h2>
          <table className="orders">
            <caption className="visually-hidden">정기결제 내역</caption>
            <thead>
              <tr>
                <th scope="col">내용</th>
                <th scope="col">금액</th>
                <th scope="col">상태</th>
                <th scope="col">결제 시각</th>
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
                  <td>{charge.paidAt ? seoulTime(charge.paidAt) : '-'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {subscription.status === 'active' ? (
        <section aria-labelledby="cancel-title">
          <h2 id="cancel-title">구독 해지</h2>
          {confirmingCancel ? (
            <fieldset className="actions">
              <legend>해지하면 빌링키가 삭제되어 다음 달부터 청구되지 않습니다.</legend>
              <button type="button" className="danger" onClick={() => void cancel()}>
                해지하기
              </button>
              <button type="button" onClick={() => setConfirmingCancel(false)}>
                계속 구독하기
              </button>
            </fieldset>
          ) : (
            <button type="button" onClick={() => setConfirmingCancel(true)}>
              구독 해지하기
            </button>
          )}
        </section>
      ) : null}
    </>
  );
}
