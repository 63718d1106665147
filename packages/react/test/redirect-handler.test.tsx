import { englishMessages, type PendingIntent, RedirectResultHandler, type RedirectState } from '@portone-kit/react';
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderStrict, setUpFakePortone } from './support.js';

setUpFakePortone();

const intent: PendingIntent = {
  flow: 'pay',
  merchantUid: 'order_0001',
  amount: 9900,
  customerUid: null,
  returnPath: '/cart?step=pay',
  savedAt: Date.now(),
};

function landOn(query: string, pending: PendingIntent | null = intent) {
  window.history.replaceState(null, '', `/pay/return${query}`);
  if (pending) sessionStorage.setItem('portone-kit:pending', JSON.stringify(pending));
}

const status = () => screen.getByRole('status');

afterEach(() => window.history.replaceState(null, '', '/'));

describe('RedirectResultHandler', () => {
  it('verifies a completed result once under StrictMode, then cleans the URL and forgets the intent', async () => {
    landOn('?utm_source=sms&imp_uid=imp_1&merchant_uid=order_0001&imp_success=true');
    const verify = vi.fn(async () => ({ orderId: 7 }));
    const onSuccess = vi.fn();
    renderStrict(<RedirectResultHandler verify={verify} onSuccess={onSuccess} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(status().textContent).toContain('결제가 완료되었습니다.');
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify).toHaveBeenCalledWith(
      expect.objectContaining({ impUid: 'imp_1', merchantUid: 'order_0001' }),
      intent,
    );
    // The callbacks run in the effect after the render that shows the result: wait for it, not for a sleep.
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ status: 'succeeded', verification: { orderId: 7 } });
    expect(window.location.pathname + window.location.search).toBe('/pay/return?utm_source=sms');
    expect(sessionStorage.getItem('portone-kit:pending')).toBeNull();
  });

  it('does not verify again when the page is reloaded or revisited with the back button', async () => {
    landOn('?imp_uid=imp_2&merchant_uid=order_0001');
    const verify = vi.fn(async () => 'paid');
    const first = renderStrict(<RedirectResultHandler verify={verify} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    first.unmount();
    // A reload after the URL was cleaned (the history entry keeps its state, as browsers keep it), then
    // the back button to the URL with the query.
    for (const query of ['', '?imp_uid=imp_2&merchant_uid=order_0001']) {
      window.history.replaceState(window.history.state, '', `/pay/return${query}`);
      const again = renderStrict(<RedirectResultHandler verify={verify} />);
      await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
      again.unmount();
    }
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('shows no old result on a later visit to the bare return page', async () => {
    landOn('?imp_uid=imp_11&merchant_uid=order_0001');
    const first = renderStrict(<RedirectResultHandler verify={async () => 'ok'} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    first.unmount();
    // A new visit: a new history entry, without the state the first one kept.
    window.history.pushState(null, '', '/pay/return');
    renderStrict(<RedirectResultHandler verify={async () => 'ok'} />);
    await waitFor(() => expect(status().dataset.status).toBe('no-result'));
  });

  it('asks the server again on the next visit when verification failed, and keeps the error thrown', async () => {
    landOn('?imp_uid=imp_12&merchant_uid=order_0001');
    const down = new Error('server down');
    const verify = vi.fn().mockRejectedValueOnce(down).mockResolvedValueOnce('ok');
    const onFailure = vi.fn();
    const first = renderStrict(<RedirectResultHandler verify={verify} onFailure={onFailure} />);
    await waitFor(() => expect(status().dataset.status).toBe('failed'));
    expect(status().textContent).toContain('결제를 확인하지 못했습니다.');
    await waitFor(() =>
      expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ kind: 'verification', cause: down })),
    );
    first.unmount();
    window.history.replaceState(window.history.state, '', '/pay/return');
    renderStrict(<RedirectResultHandler verify={verify} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('does not take a verified imp_uid as proof for another merchant_uid', async () => {
    landOn('?imp_uid=imp_13&merchant_uid=order_0001');
    const verify = vi.fn(async () => 'ok');
    const first = renderStrict(<RedirectResultHandler verify={verify} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    first.unmount();
    landOn('?imp_uid=imp_13&merchant_uid=order_9999', null);
    renderStrict(<RedirectResultHandler verify={verify} />);
    await waitFor(() => expect(verify).toHaveBeenCalledTimes(2));
  });

  it('calls an unreadable result unknown, never failed, so that the buyer does not pay again', async () => {
    landOn('?merchant_uid=order_0001&imp_success=true');
    renderStrict(<RedirectResultHandler verify={vi.fn()} />);
    await waitFor(() => expect(status().dataset.status).toBe('failed'));
    expect(status().textContent).toContain('결제 결과를 확인할 수 없습니다.');
    expect(status().textContent).not.toContain('결제에 실패했습니다.');
  });

  it("shows the PG's message only for the order this tab started", async () => {
    landOn(
      '?imp_uid=imp_14&merchant_uid=order_7777&imp_success=false&error_msg=call%20010-0000-0000%20for%20a%20refund',
      null,
    );
    renderStrict(<RedirectResultHandler verify={vi.fn()} />);
    await waitFor(() => expect(status().dataset.status).toBe('failed'));
    expect(status().textContent).not.toContain('010-0000-0000');
  });

  it('ignores an intent saved more than an hour ago', async () => {
    landOn('?imp_uid=imp_15&merchant_uid=order_new', { ...intent, savedAt: Date.now() - 2 * 60 * 60 * 1000 });
    const verify = vi.fn(async () => 'ok');
    renderStrict(<RedirectResultHandler verify={verify} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(verify).toHaveBeenCalledWith(expect.objectContaining({ merchantUid: 'order_new' }), null);
  });

  it('fails with a reason when the result is for another order than this tab started', async () => {
    landOn('?imp_uid=imp_3&merchant_uid=order_9999');
    const verify = vi.fn();
    const onFailure = vi.fn();
    renderStrict(<RedirectResultHandler verify={verify} onFailure={onFailure} />);
    await waitFor(() => expect(status().dataset.status).toBe('failed'));
    expect(status().textContent).toContain('이 창에서 시작한 주문과 결제 결과가 일치하지 않습니다.');
    await waitFor(() =>
      expect(onFailure).toHaveBeenCalledWith({
        kind: 'redirect',
        reason: expect.stringMatching(/order_9999.*order_0001/),
      }),
    );
    expect(verify).not.toHaveBeenCalled();
  });

  it('verifies a result this tab did not start (no intent): the server decides', async () => {
    landOn('?imp_uid=imp_4&merchant_uid=order_0004', null);
    const verify = vi.fn(async () => 'ok');
    renderStrict(<RedirectResultHandler verify={verify} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(verify).toHaveBeenCalledWith(expect.objectContaining({ impUid: 'imp_4' }), null);
  });

  it('shows a failure and its message as text only, without verifying', async () => {
    const message = '<img src=x onerror="alert(1)">한도 초과';
    landOn(
      `?imp_uid=imp_5&merchant_uid=order_0001&imp_success=false&error_code=LIMIT&error_msg=${encodeURIComponent(message)}`,
    );
    const verify = vi.fn();
    renderStrict(<RedirectResultHandler verify={verify} />);
    await waitFor(() => expect(status().dataset.status).toBe('failed'));
    expect(status().textContent).toContain(message);
    expect(status().querySelector('img')).toBeNull();
    expect(verify).not.toHaveBeenCalled();
  });

  it('reads a cancel as cancelled and calls onCancel', async () => {
    landOn('?imp_uid=imp_6&merchant_uid=order_0001&imp_success=false&error_code=F0005&error_msg=cancelled');
    const onCancel = vi.fn();
    renderStrict(<RedirectResultHandler verify={vi.fn()} onCancel={onCancel} />);
    await waitFor(() => expect(status().dataset.status).toBe('cancelled'));
    await waitFor(() => expect(onCancel).toHaveBeenCalledTimes(1));
  });

  it('says there is nothing to check on a URL without a result', async () => {
    landOn('', null);
    renderStrict(<RedirectResultHandler verify={vi.fn()} messages={englishMessages} />);
    await waitFor(() => expect(status().dataset.status).toBe('no-result'));
    expect(status().textContent).toContain('There is no payment result to check.');
  });

  it('ends unverified without verify', async () => {
    landOn('?imp_uid=imp_7&merchant_uid=order_0001');
    renderStrict(<RedirectResultHandler />);
    await waitFor(() => expect(status().dataset.status).toBe('unverified'));
  });

  it('reads a url prop and leaves the address bar alone', async () => {
    window.history.replaceState(null, '', '/elsewhere?imp_uid=imp_other&merchant_uid=x');
    const verify = vi.fn(async () => 'ok');
    renderStrict(
      <RedirectResultHandler
        url="https://shop.example/pay/return?imp_uid=imp_8&merchant_uid=order_0001"
        verify={verify}
      />,
    );
    await waitFor(() => expect(verify).toHaveBeenCalledWith(expect.objectContaining({ impUid: 'imp_8' }), null));
    expect(window.location.search).toBe('?imp_uid=imp_other&merchant_uid=x');
  });

  it('keeps the query when cleanUrl is false', async () => {
    landOn('?imp_uid=imp_9&merchant_uid=order_0001');
    renderStrict(<RedirectResultHandler verify={async () => 'ok'} cleanUrl={false} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(window.location.search).toBe('?imp_uid=imp_9&merchant_uid=order_0001');
  });

  it('offers the return path only when it is on this origin', async () => {
    const states: RedirectState[] = [];
    for (const [returnPath, expected] of [
      ['/cart?step=pay', '/cart?step=pay'],
      ['https://evil.example/steal', null],
      ['//evil.example/steal', null],
      ['javascript:alert(1)', null],
    ] as const) {
      sessionStorage.clear();
      landOn(`?imp_uid=imp_r${states.length}&merchant_uid=order_0001`, { ...intent, returnPath });
      const view = renderStrict(
        <RedirectResultHandler verify={async () => 'ok'}>
          {(state) => {
            states.push(state);
            return <p role="status">{state.status}</p>;
          }}
        </RedirectResultHandler>,
      );
      await waitFor(() => expect(status().textContent).toBe('succeeded'));
      expect(states.at(-1)?.returnPath).toBe(expected);
      view.unmount();
    }
  });

  it('renders a link back to the page that started the flow', async () => {
    landOn('?imp_uid=imp_10&merchant_uid=order_0001');
    renderStrict(<RedirectResultHandler verify={async () => 'ok'} />);
    const link = await screen.findByRole('link', { name: '이전 페이지로 돌아가기' });
    expect(link.getAttribute('href')).toBe('/cart?step=pay');
  });
});
