import { PortoneProvider } from '@portone-kit/react';
import type { ShopConfig } from '../shared/api.js';
import { CartPage } from './pages/CartPage.js';
import { OrderPage } from './pages/OrderPage.js';
import { OrdersPage } from './pages/OrdersPage.js';
import { PaymentReturnPage } from './pages/PaymentReturnPage.js';
import { SubscribePage, SubscriptionPage } from './pages/SubscriptionPages.js';
import { Link, usePath } from './router.js';
import { readSandboxOutcome, type SandboxOutcome, sandboxSdkSrc, writeSandboxOutcome } from './sandbox-settings.js';
import { PageHeading } from './ui.js';

const NAVIGATION = [
  { href: '/', label: '장바구니' },
  { href: '/orders', label: '주문 내역' },
  { href: '/subscription', label: '정기배송' },
];

function Page({ path, config }: { path: string; config: ShopConfig }) {
  if (path === '/') return <CartPage />;
  if (path === '/orders') return <OrdersPage />;
  if (path === '/payments/return') return <PaymentReturnPage />;
  if (path === '/subscription') return <SubscribePage />;
  const merchantUid = path.match(/^\/orders\/([\w-]{1,40})$/)?.[1];
  // A new order is a new page: no state of the last one's button carries over.
  if (merchantUid) return <OrderPage key={merchantUid} merchantUid={merchantUid} config={config} />;
  const subscriptionId = path.match(/^\/subscriptions\/(sub_[0-9a-f]{12})$/)?.[1];
  if (subscriptionId) return <SubscriptionPage key={subscriptionId} id={subscriptionId} config={config} />;
  return (
    <>
      <PageHeading>페이지를 찾을 수 없습니다</PageHeading>
      <p>
        <Link href="/">장바구니로 가기</Link>
      </p>
    </>
  );
}

const OUTCOME_LABELS: Record<SandboxOutcome, string> = {
  window: '결제창에서 직접 고르기',
  approve: '바로 승인',
  decline: '바로 실패',
  cancel: '바로 창 닫기',
};

function SandboxSettings({ config }: { config: ShopConfig }) {
  return (
    <section aria-labelledby="sandbox-title" className="sandbox-settings">
      <h2 id="sandbox-title">샌드박스 설정</h2>
      <p>이 상점은 PortOne 샌드박스(오프라인 에뮬레이터)에서 동작합니다. 실제 결제는 일어나지 않습니다.</p>
      {config.billingKeyIssuance === 'charges-nothing' ? (
        <p data-testid="sandbox-issuance">
          빌링키를 발급할 때는 결제되지 않습니다 (KG모빌리언스 영문 가이드). 첫 달 요금은 상점이 빌링키로 따로
          결제합니다.
        </p>
      ) : (
        <p data-testid="sandbox-issuance">
          빌링키를 발급할 때 첫 달 요금이 함께 결제됩니다 (PortOne 한국어 가이드). 발급할 때 결제되지 않는
          경우(KG모빌리언스 영문 가이드)는 서버를 <code>SANDBOX_BILLING_KEY_ISSUANCE=charges-nothing</code>으로 시작해
          확인할 수 있습니다.
        </p>
      )}
      <label className="field">
        결제창 동작
        <select
          defaultValue={readSandboxOutcome()}
          onChange={(event) => {
            writeSandboxOutcome(event.target.value as SandboxOutcome);
            // The fake SDK reads its script URL once: load the page again with the new one.
            window.location.reload();
          }}
        >
          {Object.entries(OUTCOME_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

export function App({ config }: { config: ShopConfig }) {
  const path = usePath();
  const src =
    config.sdkSrc === null ? undefined : config.mode === 'sandbox' ? sandboxSdkSrc(config.sdkSrc) : config.sdkSrc;
  return (
    <PortoneProvider merchantCode={config.merchantCode} src={src}>
      <a className="skip-link" href="#main">
        본문으로 건너뛰기
      </a>
      <header className="site-header">
        <p className="brand">
          <Link href="/">찻잎 상점</Link>
        </p>
        <nav aria-label="주 메뉴">
          <ul>
            {NAVIGATION.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={path === item.href ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main">
        <Page path={path} config={config} />
      </main>
      <footer className="site-footer">
        {config.mode === 'sandbox' ? <SandboxSettings config={config} /> : null}
        <p>portone-kit 예제 상점 · KG모빌리언스 (PortOne V1)</p>
      </footer>
    </PortoneProvider>
  );
}
