import { type RequestPayParams, type RequestPayResponse, unloadPortone } from '@portone-kit/core';
import { MobiliansPayButton, PortoneProvider, RedirectResultHandler } from '@portone-kit/react';
import { createFakeImp, type FakeImp } from '@portone-kit/sandbox';
import axe from 'axe-core';
import { type ReactNode, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { userEvent } from 'vitest/browser';

const merchantCode = 'imp12345678';
const request = {
  pg: 'mobilians',
  pay_method: 'card',
  merchant_uid: 'order_0001',
  name: '월간 구독',
  amount: 9900,
  buyer_tel: '010-1234-5678',
} as const;

interface WindowCall {
  /** The event being dispatched when request_pay ran: 'click' only inside the click's own listener. */
  eventType: string | null;
  popupOpened: boolean;
}

let imp: FakeImp;
let windowCalls: WindowCall[];
let host: HTMLElement;
let root: Root;

let heldWindows: (() => void)[] = [];

/**
 * A fake SDK whose window is a real popup, opened inside request_pay as PG windows are. With `hold`, each
 * window stays open until the test calls `answerWindows()`: what the page shows while a window is open is
 * then checked at a moment the test decides, never in a race with a timer.
 */
function installPopupSdk(hold = false) {
  imp = createFakeImp();
  windowCalls = [];
  heldWindows = [];
  const answer = imp.request_pay;
  imp.request_pay = (params: RequestPayParams, callback?: (response: RequestPayResponse) => void) => {
    const popup = window.open('about:blank', '_blank', 'popup,width=320,height=480');
    windowCalls.push({ eventType: window.event?.type ?? null, popupOpened: popup !== null });
    popup?.close();
    if (hold) heldWindows.push(() => answer(params, callback));
    else answer(params, callback);
  };
  Object.assign(window, { IMP: imp });
}

const answerWindows = () => {
  for (const open of heldWindows.splice(0)) open();
};

function mount(ui: ReactNode) {
  root = createRoot(host);
  root.render(<StrictMode>{ui}</StrictMode>);
}

async function until(check: () => boolean, what: string) {
  await expect.poll(check, { timeout: 15_000, message: what }).toBe(true);
}

const button = () => host.querySelector('button') as HTMLButtonElement;

async function noAxeViolations() {
  const results = await axe.run(host);
  expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

beforeEach(() => {
  host = document.createElement('main');
  document.body.append(host);
  sessionStorage.clear();
  installPopupSdk();
});

afterEach(() => {
  root?.unmount();
  host.remove();
  unloadPortone();
});

describe('MobiliansPayButton in Chromium', () => {
  it('the popup blocker is on in this browser: a popup without a click is blocked', () => {
    const popup = window.open('about:blank', '_blank', 'popup');
    popup?.close();
    expect(popup).toBeNull();
  });

  it('a click reaches IMP.request_pay inside its own listener, and the popup it opens is not blocked', async () => {
    const outcomes: string[] = [];
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={request} onSuccess={(outcome) => outcomes.push(outcome.status)} />
      </PortoneProvider>,
    );
    await until(() => button()?.dataset.status === 'ready', 'the button becomes ready');
    await userEvent.click(button());
    expect(windowCalls).toEqual([{ eventType: 'click', popupOpened: true }]);
    await until(() => outcomes.length === 1, 'the flow ends');
    expect(outcomes).toEqual(['unverified']);
  });

  it('a double click opens one window', async () => {
    installPopupSdk(true);
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton request={request} />
      </PortoneProvider>,
    );
    await until(() => button()?.dataset.status === 'ready', 'the button becomes ready');
    await userEvent.dblClick(button());
    expect(windowCalls).toHaveLength(1);
    answerWindows();
    await until(() => button().dataset.status === 'unverified', 'the flow ends');
    expect(windowCalls).toHaveLength(1);
    expect(imp.calls.filter((call) => call.method === 'request_pay')).toHaveLength(1);
  });

  it('works from the keyboard alone, keeping focus while the window is open', async () => {
    installPopupSdk(true);
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <a href="#cart">장바구니</a>
        <MobiliansPayButton request={request} />
      </PortoneProvider>,
    );
    await until(() => button()?.dataset.status === 'ready', 'the button becomes ready');
    await userEvent.tab();
    await userEvent.tab();
    expect(document.activeElement).toBe(button());
    await userEvent.keyboard('{Enter}');
    expect(windowCalls).toEqual([{ eventType: 'click', popupOpened: true }]);
    expect(button().getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(button());
    // Space while the window is open does nothing more.
    await userEvent.keyboard(' ');
    expect(windowCalls).toHaveLength(1);
    answerWindows();
    await until(() => button().dataset.status === 'unverified', 'the flow ends');
    await userEvent.keyboard(' ');
    expect(windowCalls).toHaveLength(1);
  });

  it('has no axe violations while loading, ready, requesting and after a failure', async () => {
    installPopupSdk(true);
    delete (window as { IMP?: unknown }).IMP;
    // A script that never answers keeps the SDK loading.
    mount(
      <PortoneProvider merchantCode={merchantCode} src={`${inject('scriptServerOrigin')}/hang.js?key=axe`}>
        <h1>결제</h1>
        <MobiliansPayButton request={request} />
      </PortoneProvider>,
    );
    await until(() => button()?.dataset.status === 'loading', 'the button shows loading');
    await noAxeViolations();
    Object.assign(window, { IMP: imp });
    root.unmount();
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <h1>결제</h1>
        <MobiliansPayButton request={request} />
      </PortoneProvider>,
    );
    await until(() => button()?.dataset.status === 'ready', 'the button becomes ready');
    await noAxeViolations();
    await userEvent.click(button());
    expect(button().dataset.status).toBe('requesting');
    await noAxeViolations();
    answerWindows();
    await until(() => button().dataset.status === 'unverified', 'the first flow ends');
    installPopupSdk();
    imp.configure({ outcome: { kind: 'decline' } });
    root.unmount();
    mount(
      <PortoneProvider merchantCode={merchantCode}>
        <h1>결제</h1>
        <MobiliansPayButton request={{ ...request, merchant_uid: 'order_0002' }} />
      </PortoneProvider>,
    );
    await until(() => button()?.dataset.status === 'ready', 'the button becomes ready');
    await userEvent.click(button());
    await until(() => button().dataset.status === 'failed', 'the decline arrives');
    await noAxeViolations();
  });
});

describe('RedirectResultHandler in Chromium', () => {
  it('verifies once across a real reload of the redirect page', async () => {
    localStorage.removeItem('redirect-page:verify-calls');
    const frame = document.createElement('iframe');
    frame.title = 'redirect page';
    const loaded = () => new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    const fixture = new URL('./fixtures/redirect-page.html', import.meta.url);
    fixture.search = '?from=app&imp_uid=imp_000000000042&merchant_uid=order_0042&imp_success=true';
    let ready = loaded();
    frame.src = fixture.href;
    document.body.append(frame);
    await ready;
    const frameStatus = () => frame.contentDocument?.querySelector('[role="status"]')?.getAttribute('data-status');
    await until(() => frameStatus() === 'succeeded', 'the first visit verifies');
    expect(localStorage.getItem('redirect-page:verify-calls')).toBe('1');
    expect(frame.contentWindow?.location.search).toBe('?from=app');

    ready = loaded();
    frame.contentWindow?.location.reload();
    await ready;
    await until(() => frameStatus() === 'succeeded', 'the reloaded page shows the result');
    // Back to the URL that still has PortOne's query, as the back button would.
    ready = loaded();
    frame.src = fixture.href;
    await ready;
    await until(() => frameStatus() === 'succeeded', 'the revisited page shows the result');
    expect(localStorage.getItem('redirect-page:verify-calls')).toBe('1');
    frame.remove();
  });

  it('has no axe violations on success, failure and an empty URL', async () => {
    for (const [url, expected] of [
      ['https://shop.example/r?imp_uid=imp_1&merchant_uid=o_1', 'succeeded'],
      [
        'https://shop.example/r?imp_uid=imp_2&merchant_uid=o_2&imp_success=false&error_msg=%ED%95%9C%EB%8F%84',
        'failed',
      ],
      ['https://shop.example/r', 'no-result'],
    ] as const) {
      mount(
        <>
          <h1>결제 결과</h1>
          <RedirectResultHandler url={url} verify={async () => 'ok'} />
        </>,
      );
      await until(() => host.querySelector('[role="status"]')?.getAttribute('data-status') === expected, expected);
      await noAxeViolations();
      root.unmount();
    }
  });
});
