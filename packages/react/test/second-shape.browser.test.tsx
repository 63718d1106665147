import {
  interpretPaymentResponse,
  type RequestPayParams,
  type RequestPayResponse,
  unloadPortone,
  validateBillingKeyRequest,
  validatePaymentRequest,
} from '@portone-kit/core';
import {
  type FlowOutcome,
  MobiliansPayButton,
  PortoneProvider,
  RedirectResultHandler,
  usePortone,
} from '@portone-kit/react';
import { createFakeImp, type FakeImp, type FakeOutcome } from '@portone-kit/sandbox';
import { type ReactNode, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';

// Each bullet of the React layer's second shape, in Chromium under StrictMode. The fake SDK holds every
// window open until the test answers it, so what the page shows in between is checked at a moment the test
// chooses, never in a race with a timer.

const merchantCode = 'imp12345678';
const order = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_2001',
  name: '월간 구독',
  amount: 9900,
  buyer_tel: '010-1234-5678',
} as const;

let imp: FakeImp;
let held: (() => void)[];
/** How many windows have given the kit their answer (the callback ran). */
let answered: number;
/** The merchant_uid of each window opened, in order. */
let opened: string[];
let host: HTMLElement;
let root: Root;

function installHeldSdk(outcome: FakeOutcome = { kind: 'approve' }, more: { redirect?: boolean } = {}) {
  imp = createFakeImp({ outcome, ...more, navigate: (url) => redirects.push(url) });
  held = [];
  opened = [];
  answered = 0;
  const answer = imp.request_pay;
  imp.request_pay = (params: RequestPayParams, callback?: (response: RequestPayResponse) => void) => {
    opened.push(params.merchant_uid);
    held.push(() =>
      answer(params, (response) => {
        callback?.(response);
        answered += 1;
      }),
    );
  };
  Object.assign(window, { IMP: imp });
}
let redirects: string[] = [];

/** Answers the oldest window still open. */
const answerWindow = () => held.shift()?.();

function mount(ui: ReactNode) {
  root = createRoot(host);
  root.render(<StrictMode>{ui}</StrictMode>);
}
const rerender = (ui: ReactNode) => root.render(<StrictMode>{ui}</StrictMode>);

async function until(check: () => boolean, what: string) {
  await expect.poll(check, { timeout: 15_000, message: what }).toBe(true);
}

const buttons = () => [...host.querySelectorAll('button')];
const statusOf = (index = 0) => buttons()[index]?.dataset.status;
const liveText = (index = 0) => host.querySelectorAll('[role="status"]')[index]?.textContent;

/** A promise and its resolve, for a verify the test finishes. */
function deferred<Value>() {
  let resolve!: (value: Value) => void;
  const promise = new Promise<Value>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

beforeEach(() => {
  host = document.createElement('main');
  document.body.append(host);
  sessionStorage.clear();
  redirects = [];
  installHeldSdk();
});

afterEach(() => {
  root?.unmount();
  host.remove();
  unloadPortone();
});

/** A shop's own markup on the hook: a start of another order, its outcome kept for the test. */
function OtherOrder({ outcomes }: { outcomes: FlowOutcome[] }) {
  const { pay } = usePortone();
  return (
    <button
      type="button"
      onClick={() => void pay.start({ ...order, merchant_uid: 'order_2003' }).then((o) => outcomes.push(o))}
    >
      다른 주문 결제
    </button>
  );
}

describe('the page has one window; every start gets its own outcome', () => {
  it('a second button is unavailable while the first window is open, and a click there sends nothing', async () => {
    const second = vi.fn();
    const others: FlowOutcome[] = [];
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={order} />
        <MobiliansPayButton request={{ ...order, merchant_uid: 'order_2002' }} onFailure={second} />
        <OtherOrder outcomes={others} />
      </PortoneProvider>,
    );
    await until(() => statusOf(1) === 'ready', 'both buttons are ready');
    await userEvent.click(buttons()[0] as HTMLButtonElement);
    await until(() => buttons()[1]?.getAttribute('aria-disabled') === 'true', 'the other button waits');
    // A real click: Playwright's own click refuses an aria-disabled button before the page sees it.
    buttons()[1]?.click();
    expect(opened).toEqual(['order_2001']);
    expect(second).not.toHaveBeenCalled();
    // A start through the hook gets its own answer at once: busy, never the open window's outcome.
    await userEvent.click(buttons()[2] as HTMLButtonElement);
    await expect.poll(() => others).toEqual([{ status: 'failed', error: { kind: 'busy' } }]);
    expect(opened).toEqual(['order_2001']);
    answerWindow();
    await until(() => statusOf(0) === 'unverified', 'the first window ends');
    await until(() => buttons()[1]?.getAttribute('aria-disabled') === null, 'the page is free again');
    expect(statusOf(1)).toBe('ready');
  });
});

describe('callbacks fire where the attempt settles', () => {
  it('a button unmounted while verify runs still calls onSuccess once', async () => {
    const check = deferred<{ orderId: string }>();
    const onSuccess = vi.fn();
    const onFailure = vi.fn();
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={order} verify={() => check.promise} onSuccess={onSuccess} onFailure={onFailure} />
      </PortoneProvider>,
    );
    await until(() => statusOf() === 'ready', 'ready');
    await userEvent.click(buttons()[0] as HTMLButtonElement);
    answerWindow();
    await until(() => statusOf() === 'verifying', 'verifying');
    root.unmount();
    check.resolve({ orderId: 'A-1' });
    await expect.poll(() => onSuccess.mock.calls.length).toBe(1);
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ status: 'succeeded', verification: { orderId: 'A-1' } });
    expect(onFailure).not.toHaveBeenCalled();
    mount(<p>next page</p>);
  });
});

describe('a window that does not answer in time', () => {
  it('fails with timeout, then shows and verifies the late answer: onFailure, then onSuccess', async () => {
    const onFailure = vi.fn();
    const onSuccess = vi.fn();
    const verify = vi.fn(async () => 'paid late');
    mount(
      <PortoneProvider merchantCode={merchantCode} windowTimeoutMs={50}>
        <MobiliansPayButton request={order} verify={verify} onSuccess={onSuccess} onFailure={onFailure} />
      </PortoneProvider>,
    );
    await until(() => statusOf() === 'ready', 'ready');
    await userEvent.click(buttons()[0] as HTMLButtonElement);
    // The window is held open: only the kit's own timeout can end this wait.
    await until(() => onFailure.mock.calls.length === 1, 'the timeout');
    expect(onFailure).toHaveBeenCalledWith({ kind: 'timeout', afterMs: 50 });
    expect(liveText()).toBe('결제창의 응답이 없습니다. 주문 내역에서 결제 여부를 확인해 주세요.');
    answerWindow();
    await until(() => statusOf() === 'succeeded', 'the late answer is verified');
    expect(verify).toHaveBeenCalledTimes(1);
    expect(onSuccess).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ verification: 'paid late' }));
    expect(buttons()[0]?.textContent).toBe('결제 완료');
  });

  it('a click after the timeout opens a new window; the first window paying late still wins', async () => {
    const onSuccess = vi.fn();
    const onFailure = vi.fn();
    const page = (windowTimeoutMs: number) => (
      <PortoneProvider merchantCode={merchantCode} windowTimeoutMs={windowTimeoutMs}>
        <MobiliansPayButton request={order} verify={async () => 'ok'} onSuccess={onSuccess} onFailure={onFailure} />
      </PortoneProvider>
    );
    mount(page(50));
    await until(() => statusOf() === 'ready', 'ready');
    await userEvent.click(buttons()[0] as HTMLButtonElement);
    await until(() => statusOf() === 'failed', 'the timeout frees the button');
    // The second window must not time out too, however slow the machine: it gets a long limit.
    rerender(page(10 * 60_000));
    await userEvent.click(buttons()[0] as HTMLButtonElement);
    expect(opened).toEqual(['order_2001', 'order_2001']);
    // The first window pays after all: shown and verified although a newer window is open.
    answerWindow();
    await until(() => statusOf() === 'succeeded', 'the first window paid');
    // The second window then meets an order already paid (F1002): the paid result stays on screen.
    answerWindow();
    await until(() => answered === 2, "the second window's answer reached the kit");
    expect(imp.payments.get('order_2001')?.status).toBe('paid');
    await until(() => buttons()[0]?.getAttribute('aria-disabled') === 'true', 'a paid order is not paid again');
    expect(statusOf()).toBe('succeeded');
    expect(onSuccess).toHaveBeenCalledTimes(1);
    // The shop heard the timeout, then the payment; the second window's "already paid" is not news.
    expect(onFailure.mock.calls).toEqual([[{ kind: 'timeout', afterMs: 50 }]]);
  });
});

describe('what the default button says', () => {
  it("shows the PG's reason on a decline, and a billing key's failure as such", async () => {
    installHeldSdk({ kind: 'decline', code: 'LIMIT', message: '한도초과' });
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={order} />
        <MobiliansPayButton
          request={{ ...order, merchant_uid: 'order_key_1', amount: 0, buyer_tel: '02-1234-1234' }}
          customerUid="customer_0001"
        />
      </PortoneProvider>,
    );
    await until(() => statusOf(1) === 'ready', 'ready');
    await userEvent.click(buttons()[0] as HTMLButtonElement);
    answerWindow();
    await until(() => statusOf(0) === 'failed', 'the decline');
    expect(liveText(0)).toBe('결제에 실패했습니다. 한도초과');
    await userEvent.click(buttons()[1] as HTMLButtonElement);
    answerWindow();
    await until(() => statusOf(1) === 'failed', 'the key is refused');
    expect(liveText(1)).toBe('정기결제 등록에 실패했습니다. 한도초과');
  });

  it('no longer invites to pay once paid, nor to register once the key is issued', async () => {
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={order} verify={async () => 'ok'} />
        <MobiliansPayButton
          request={{ ...order, merchant_uid: 'order_key_2', amount: 0 }}
          customerUid="customer_0002"
          verify={async () => 'ok'}
        />
      </PortoneProvider>,
    );
    await until(() => statusOf(1) === 'ready', 'ready');
    await userEvent.click(buttons()[0] as HTMLButtonElement);
    answerWindow();
    await until(() => statusOf(0) === 'succeeded', 'paid');
    await userEvent.click(buttons()[1] as HTMLButtonElement);
    answerWindow();
    await until(() => statusOf(1) === 'succeeded', 'issued');
    expect(buttons().map((button) => button.textContent)).toEqual(['결제 완료', '정기결제 등록 완료']);
    expect(buttons().map((button) => button.getAttribute('aria-disabled'))).toEqual(['true', 'true']);
  });
});

describe('the return page', () => {
  const returnUrl = (merchantUid: string, impUid: string) =>
    `${location.origin}/pay/return?imp_uid=${impUid}&merchant_uid=${merchantUid}&imp_success=true`;

  it('a new result URL while the previous one is verified: only the shown result settles', async () => {
    const checks = new Map([
      ['imp_a', deferred<string>()],
      ['imp_b', deferred<string>()],
    ]);
    const onSuccess = vi.fn();
    const verify = vi.fn((result: { impUid: string }) => checks.get(result.impUid)?.promise as Promise<string>);
    const view = (url: string) => <RedirectResultHandler url={url} verify={verify} onSuccess={onSuccess} />;
    mount(view(returnUrl('order_a', 'imp_a')));
    await until(() => host.querySelector('[data-status]')?.getAttribute('data-status') === 'verifying', 'verifying a');
    rerender(view(returnUrl('order_b', 'imp_b')));
    await until(() => verify.mock.calls.length === 2, 'the page reads the new result');
    checks.get('imp_a')?.resolve('verified a');
    // a's answer is for a URL no longer shown: nothing settles on it.
    await expect.poll(() => sessionStorage.getItem('portone-kit:verified:imp_a:order_a')).not.toBeNull();
    expect(host.querySelector('[data-status]')?.getAttribute('data-status')).toBe('verifying');
    expect(onSuccess.mock.calls).toEqual([]);
    checks.get('imp_b')?.resolve('verified b');
    await until(() => host.querySelector('[data-status]')?.getAttribute('data-status') === 'succeeded', 'b settles');
    // The handler calls back from the effect after that render: wait for the call, not for a sleep.
    await expect.poll(() => onSuccess.mock.calls.length).toBe(1);
    expect(onSuccess).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ verification: 'verified b', result: expect.objectContaining({ impUid: 'imp_b' }) }),
    );
  });

  it('the mobile round trip: the page the flow started from shows the settled payment and calls back once', async () => {
    installHeldSdk({ kind: 'approve' }, { redirect: true });
    const checkout = (onSuccess: () => void) => (
      <PortoneProvider merchantCode={merchantCode} mobile>
        <MobiliansPayButton
          request={{ ...order, m_redirect_url: `${location.origin}/pay/return` }}
          verify={async () => 'unused on mobile'}
          onSuccess={onSuccess}
        />
      </PortoneProvider>
    );
    const firstVisit = vi.fn();
    mount(checkout(firstVisit));
    await until(() => statusOf() === 'ready', 'ready');
    await userEvent.click(buttons()[0] as HTMLButtonElement);
    expect(statusOf()).toBe('redirecting');
    answerWindow();
    await until(() => redirects.length === 1, 'the window sends the browser to m_redirect_url');
    root.unmount();

    // The m_redirect_url page verifies and keeps the outcome for the page that started the flow.
    mount(<RedirectResultHandler url={redirects[0]} verify={async (result) => ({ paid: result.impUid })} />);
    await until(() => host.querySelector('[data-status]')?.getAttribute('data-status') === 'succeeded', 'verified');
    expect(host.querySelector('a')?.getAttribute('href')).toBe(location.pathname + location.search);
    root.unmount();

    const back = vi.fn();
    mount(checkout(back));
    await until(() => statusOf() === 'succeeded', 'the checkout shows the payment');
    expect(liveText()).toBe('결제가 완료되었습니다.');
    expect(buttons()[0]?.textContent).toBe('결제 완료');
    expect(back).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ status: 'succeeded' }));
    expect(firstVisit).not.toHaveBeenCalled();
  });

  it.each([
    '/.//evil.example',
    '/a/..//evil.example',
    '/%2e//evil.example',
    '/./\\evil.example',
    '//evil.example',
    'https://evil.example/',
  ])('offers no link back to %s', async (returnPath) => {
    sessionStorage.setItem(
      'portone-kit:pending',
      JSON.stringify({
        flow: 'pay',
        merchantUid: 'order_r',
        amount: 9900,
        customerUid: null,
        returnPath,
        savedAt: Date.now(),
      }),
    );
    mount(<RedirectResultHandler url={returnUrl('order_r', 'imp_r')} />);
    await until(() => host.querySelector('[data-status]')?.getAttribute('data-status') === 'unverified', 'read');
    expect(host.querySelector('a')).toBeNull();
  });
});

describe('core input that must be refused, not thrown on', () => {
  it('refuses hostile requests and answers with problems, never an exception', () => {
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('getter');
        },
        ownKeys: () => {
          throw new Error('keys');
        },
      },
    );
    for (const input of [throwing, { ...order, merchant_uid: 'a\u0000b' }, { ...order, merchant_uid: 'a\r\nb' }]) {
      expect(validatePaymentRequest(input).length).toBeGreaterThan(0);
    }
    expect(validatePaymentRequest({ ...order, merchant_uid: 'order\u202Egnp.exe' })[0]?.field).toBe('merchant_uid');
    expect(validatePaymentRequest({ ...order, buyer_tel: '-1-' })[0]?.field).toBe('buyer_tel');
    expect(validatePaymentRequest({ ...order, buyer_tel: '1'.repeat(1000) })[0]?.field).toBe('buyer_tel');
    const key = { ...order, amount: 0, customer_uid: 'c'.repeat(100_000) };
    expect(validateBillingKeyRequest(key)[0]?.field).toBe('customer_uid');
    expect(interpretPaymentResponse(throwing)).toMatchObject({ status: 'failed' });
    // pg may be left out where Mobilians is the only PG: filled in, not refused.
    const { pg: _, ...withoutPg } = order;
    expect(validatePaymentRequest(withoutPg)).toEqual([]);
    expect(validatePaymentRequest({ ...order, pg: 'kcp' })[0]?.field).toBe('pg');
  });
});
