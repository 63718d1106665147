import type { CompletedResult } from '@portone-kit/core';
import { MobiliansPayButton } from '@portone-kit/react';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type {
  BillingMode,
  ClockState,
  PaymentSyncAnswer,
  Plan,
  ShopConfig,
  Subscription,
  SubscriptionStatus,
} from '../../shared/api.js';
import { ShopApiError, shopApi } from '../api.js';
import { mobiliansPg, returnUrl } from '../pay-request.js';
import { Link, navigate, navigationNotice } from '../router.js';
import { Notice, newRequestId, PageHeading, StatusBadge, seoulTime, useFocusWhenGone, won } from '../ui.js';

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

function forgetSubscription(id: string) {
  try {
    if (localStorage.getItem(SAVED_SUBSCRIPTION) === id) localStorage.removeItem(SAVED_SUBSCRIPTION);
  } catch {}
}

const SAVED_LINK_TEXT: Partial<Record<SubscriptionStatus, string>> = {
  active: '진행 중인 구독 보기',
  pending: '신청한 구독 등록 마치기',
};

/** The subscription this browser made last, when it is still going (or still to register); else nothing. */
function SavedSubscriptionLink() {
  const [saved, setSaved] = useState<{ id: string; status: SubscriptionStatus } | null>(null);
  useEffect(() => {
    const id = savedSubscriptionId();
    if (id === null) return;
    shopApi.subscription(id).then(
      (subscription) => {
        if (subscription.status === 'cancelled') forgetSubscription(id);
        else setSaved({ id, status: subscription.status });
      },
      (reason: unknown) => {
        // Gone, or another browser's: forget it. A network error keeps it for next time.
        if (reason instanceof ShopApiError && reason.httpStatus === 404) forgetSubscription(id);
      },
    );
  }, []);
  const text = saved ? SAVED_LINK_TEXT[saved.status] : undefined;
  if (!saved || !text) return null;
  return (
    <p>
      <Link href={`/subscriptions/${saved.id}`}>{text}</Link>
    </p>
  );
}

const BILLING_MODES: { value: BillingMode; label: string; hint: string }[] = [
  {
    value: 'on-demand',
    label: '상점이 매달 청구',
    hint: '결제일에 상점 서버가 빌링키로 청구합니다 (이 데모에서는 "이번 달 요금 청구" 버튼).',
  },
  {
    value: 'scheduled',
    label: 'PortOne 예약 결제',
    hint: '다음 결제를 PortOne에 예약해 두면 결제일에 PortOne이 청구하고 결과를 웹훅으로 알려 줍니다.',
  },
];

/** The plan and a form to start a subscription (the key is issued on the next page). */
export function SubscribePage() {
  const [plans, setPlans] = useState<Plan[] | null>(null);
  const [buyerName, setBuyerName] = useState('홍길동');
  const [buyerTel, setBuyerTel] = useState('010-1234-5678');
  const [requestId] = useState(newRequestId);
  const [billing, setBilling] = useState<BillingMode>('on-demand');
  const submitting = useRef(false);
  const [error, setError] = useState<string | null>(null);

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
      const subscription = await shopApi.createSubscription({
        requestId,
        planId: plan.id,
        buyerName,
        buyerTel,
        billing,
      });
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
      <SavedSubscriptionLink />
      {plan ? (
        <form onSubmit={submit}>
          <section aria-labelledby="plan-title" className="plan">
            <h2 id="plan-title">{plan.name}</h2>
            <p>
              매월 <strong>{won(plan.monthlyPrice)}</strong>, 휴대폰 소액결제로 결제됩니다.
            </p>
            <p className="hint">
              휴대폰 인증으로 빌링키를 등록하면 첫 달 요금이 결제됩니다. 등록할 때 결제되지 않는 가맹점이면 상점이 등록
              직후 빌링키로 한 번 결제합니다. 이후에는 매월 첫 결제일과 같은 날, 같은 금액으로만 청구할 수 있습니다
              (KG모빌리언스 규칙).
            </p>
          </section>
          <fieldset>
            <legend>매달 청구 방식 (데모)</legend>
            {BILLING_MODES.map((mode) => (
              <label key={mode.value} className="choice">
                <input
                  type="radio"
                  name="billing"
                  value={mode.value}
                  checked={billing === mode.value}
                  onChange={() => setBilling(mode.value)}
                />
                {mode.label}
                <span className="hint"> {mode.hint}</span>
              </label>
            ))}
          </fieldset>
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

type Message = { tone: 'info' | 'success' | 'error'; text: string };

/** After the clock moves past a scheduled charge, the page looks again this many times, a second apart. */
const SCHEDULE_POLLS = 15;

export function SubscriptionPage({ id, config }: { id: string; config: ShopConfig }) {
  const [subscription, setSubscription] = useState<Subscription | null>(null);
  // Back from the mobile return page: the notice it left for this page (desktop sets one on success).
  const [message, setMessage] = useState<Message | null>(navigationNotice);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [schedulePolls, setSchedulePolls] = useState(0);
  const busy = useRef(false);
  const noticeRef = useRef<HTMLDivElement>(null);

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

  // A scheduled charge runs at PortOne and comes back by webhook: look again for a little while.
  useEffect(() => {
    if (schedulePolls <= 0) return;
    const timer = setTimeout(() => {
      setSchedulePolls((polls) => polls - 1);
      load();
    }, 1000);
    return () => clearTimeout(timer);
  }, [schedulePolls, load]);

  // The registration (or cancel) button goes once the subscription is active (or cancelled): the focus
  // goes to the news.
  const firstMonthDue = subscription?.status === 'pending' && subscription.firstCharge === 'not-charged';
  useFocusWhenGone(
    subscription ? `${subscription.status}${firstMonthDue ? ':first-month' : ''}` : undefined,
    noticeRef,
  );

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
        const cancelled = await shopApi.cancelSubscription(id);
        setSubscription(cancelled);
        setConfirmingCancel(false);
        forgetSubscription(id);
        setMessage({
          tone: 'info',
          text:
            cancelled.billing === 'scheduled'
              ? '구독을 해지했습니다. 예약 결제를 취소하고 빌링키를 삭제했습니다.'
              : '구독을 해지했습니다. 빌링키를 삭제했습니다.',
        });
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

  // A key issued without charging whose first charge did not go through (firstMonthDue): the first month
  // is still to pay.
  const statusText = firstMonthDue
    ? '첫 달 결제 대기'
    : { pending: '등록 대기', active: '구독 중', cancelled: '해지됨' }[subscription.status];
  const scheduled = subscription.scheduledCharge;
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
        <dt>청구 방식</dt>
        <dd data-testid="billing-mode">
          {subscription.billing === 'scheduled' ? 'PortOne 예약 결제' : '상점이 매달 청구'}
        </dd>
        {subscription.firstPaidAt ? (
          <>
            <dt>첫 결제</dt>
            <dd>{seoulTime(subscription.firstPaidAt)}</dd>
          </>
        ) : null}
        {scheduled ? (
          <>
            <dt>예약된 다음 결제</dt>
            <dd data-testid="scheduled-charge">{seoulTime(scheduled.at)}</dd>
          </>
        ) : subscription.nextDueAt ? (
          <>
            <dt>다음 결제일</dt>
            <dd data-testid="next-due">{seoulTime(subscription.nextDueAt)}</dd>
          </>
        ) : null}
      </dl>
      <div aria-live="polite">
        {message ? (
          <Notice tone={message.tone} focusRef={noticeRef}>
            {message.text}
          </Notice>
        ) : null}
      </div>

      {subscription.status === 'pending' && !firstMonthDue ? (
        <section aria-labelledby="issue-title" className="pay">
          <h2 id="issue-title">정기결제 등록</h2>
          <p>휴대폰 인증으로 빌링키를 발급하고, 첫 달 요금 {won(subscription.amount)}을 결제합니다.</p>
          <MobiliansPayButton<PaymentSyncAnswer>
            className="primary"
            // The notice above says how it went: the kit's status line stays for screen readers.
            hideStatus
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
            onSuccess={(outcome) => {
              // The server's word: whether issuing the key paid the first month, or the shop charged it after.
              const text =
                outcome.status === 'succeeded'
                  ? outcome.verification.message
                  : '정기결제 등록 결과를 확인하고 있습니다.';
              setMessage({ tone: 'success', text });
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

      {firstMonthDue ? (
        <section aria-labelledby="first-month-title" className="pay">
          <h2 id="first-month-title">첫 달 요금 결제</h2>
          <p>빌링키는 등록되었지만 첫 달 요금 {won(subscription.amount)}이 아직 결제되지 않았습니다.</p>
          <button type="button" className="primary" onClick={() => void charge()}>
            첫 달 요금 결제하기
          </button>
        </section>
      ) : null}

      {subscription.status === 'active' && subscription.billing === 'on-demand' ? (
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

      {subscription.status === 'active' && subscription.billing === 'scheduled' ? (
        <section aria-labelledby="schedule-title">
          <h2 id="schedule-title">예약 결제</h2>
          <p className="hint">
            상점이 다음 달 결제를 PortOne에 예약해 둡니다. 결제일이 되면 PortOne이 빌링키로 청구하고 결과를 웹훅으로
            보내며, 상점은 그 결과를 반영한 뒤 그다음 달을 다시 예약합니다.
          </p>
        </section>
      ) : null}

      {config.demoClock && subscription.status === 'active' ? (
        <DemoClock
          subscription={subscription}
          onMoved={() => {
            load();
            if (subscription.billing === 'scheduled') setSchedulePolls(SCHEDULE_POLLS);
          }}
        />
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
                  <td>
                    {charge.paidAt
                      ? seoulTime(charge.paidAt)
                      : charge.merchantUid === scheduled?.merchantUid
                        ? `${seoulTime(scheduled.at)} 예약`
                        : '-'}
                  </td>
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
              <legend>
                {subscription.billing === 'scheduled'
                  ? '해지하면 예약 결제가 취소되고 빌링키가 삭제되어 다음 달부터 청구되지 않습니다.'
                  : '해지하면 빌링키가 삭제되어 다음 달부터 청구되지 않습니다.'}
              </legend>
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
      {subscription.status === 'cancelled' ? (
        <p>
          <Link href="/subscription">새로 구독하기</Link>
        </p>
      ) : null}
    </>
  );
}
