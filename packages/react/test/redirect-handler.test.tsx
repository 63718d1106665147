import { englishMessages, type PendingIntent, RedirectResultHandler, type RedirectState } from '@portone-kit/react';
import { act, screen, waitFor } from '@testing-library/react';
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
    expect(onSuccess).toHaveBeenCalledTimes(1);
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
    expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ kind: 'verification', cause: down }));
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
    expect(onFailure).toHaveBeenCalledWith({
      kind: 'redirect',
      reason: expect.stringMatching(/order_9999.*order_0001/),
    });
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
    expect(onCancel).toHaveBeenCalledTimes(1);
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

  it('calls back once when a remounted copy waits on the same verification, and every copy keeps the intent', async () => {
    landOn('?imp_uid=imp_20&merchant_uid=order_0001', { ...intent, flow: 'issueBillingKey' });
    let finish!: (value: string) => void;
    const verify = vi.fn(() => new Promise<string>((resolve) => (finish = resolve)));
    const [first, second, third] = [vi.fn(), vi.fn(), vi.fn()];
    const before = renderStrict(<RedirectResultHandler verify={verify} onSuccess={first} />);
    await waitFor(() => expect(verify).toHaveBeenCalledTimes(1));
    before.unmount();
    const during = renderStrict(<RedirectResultHandler verify={verify} onSuccess={second} />);
    await act(async () => finish('ok'));
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    // The copy that read the result last tells it (it is the one showing it); the earlier one does not.
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();
    expect(status().textContent).toContain('정기결제 등록이 완료되었습니다.');
    during.unmount();
    // A copy mounted after the result settled (the intent is gone from the session by then) reads the
    // same intent: the billing-key wording and the way back, and it tells what it shows.
    renderStrict(<RedirectResultHandler verify={verify} onSuccess={third} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(status().textContent).toContain('정기결제 등록이 완료되었습니다.');
    expect(screen.getByRole('link', { name: '이전 페이지로 돌아가기' }).getAttribute('href')).toBe('/cart?step=pay');
    expect(third).toHaveBeenCalledTimes(1);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(sessionStorage.getItem('portone-kit:pending')).toBeNull();
  });

  it('keeps a result with the order it was read for when a later checkout saves another intent', async () => {
    landOn('?imp_uid=imp_21&merchant_uid=order_0001');
    const before = renderStrict(<RedirectResultHandler verify={async () => 'ok'} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    before.unmount();
    // Another order's window opened from this tab, then the buyer came back to the first result.
    sessionStorage.setItem('portone-kit:pending', JSON.stringify({ ...intent, merchantUid: 'order_0002' }));
    const onFailure = vi.fn();
    renderStrict(<RedirectResultHandler verify={async () => 'ok'} onFailure={onFailure} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(onFailure).not.toHaveBeenCalled();
    expect(JSON.parse(sessionStorage.getItem('portone-kit:pending') ?? 'null')).toMatchObject({
      merchantUid: 'order_0002',
    });
  });

  describe('copies and URLs that change while verify runs', () => {
    const resultUrl = (impUid: string) => `https://shop.example/pay/return?imp_uid=${impUid}&merchant_uid=order_0001`;
    const noResultUrl = 'https://shop.example/pay/return';
    /** A `verify` whose answer for each imp_uid the test gives. */
    function heldVerify() {
      const answers = new Map<string, { resolve: (value: string) => void; reject: (error: Error) => void }>();
      const verify = vi.fn(
        (result: { impUid: string }) =>
          new Promise<string>((resolve, reject) => answers.set(result.impUid, { resolve, reject })),
      );
      const answer = async (impUid: string, how: string | Error) => {
        await waitFor(() => expect(answers.has(impUid)).toBe(true));
        const held = answers.get(impUid);
        answers.delete(impUid);
        await act(async () => (how instanceof Error ? held?.reject(how) : held?.resolve(how)));
      };
      return { verify, answer };
    }
    const told = (callback: ReturnType<typeof vi.fn>) =>
      callback.mock.calls.map(([state]) => (state as RedirectState).result?.impUid);

    it('a result read again after its verification failed calls back with the new outcome', async () => {
      const { verify, answer } = heldVerify();
      const [onSuccess, onFailure] = [vi.fn(), vi.fn()];
      const page = (url: string) => (
        <RedirectResultHandler url={url} verify={verify} onSuccess={onSuccess} onFailure={onFailure} />
      );
      const view = renderStrict(page(resultUrl('imp_30')));
      await answer('imp_30', new Error('server down'));
      expect(onFailure).toHaveBeenCalledTimes(1);
      view.rerender(page(noResultUrl));
      view.rerender(page(resultUrl('imp_30')));
      await answer('imp_30', 'ok');
      expect(told(onSuccess)).toEqual(['imp_30']);
      expect(onFailure).toHaveBeenCalledTimes(1);
    });

    it('the copy still showing a result tells it when the copy that read it last moved on', async () => {
      const { verify, answer } = heldVerify();
      const [x, y] = [vi.fn(), vi.fn()];
      renderStrict(<RedirectResultHandler url={resultUrl('imp_31')} verify={verify} onSuccess={x} />);
      const second = renderStrict(<RedirectResultHandler url={resultUrl('imp_31')} verify={verify} onSuccess={y} />);
      second.rerender(<RedirectResultHandler url={resultUrl('imp_32')} verify={verify} onSuccess={y} />);
      await answer('imp_31', 'ok');
      await answer('imp_32', 'ok');
      expect(told(x)).toEqual(['imp_31']);
      expect(told(y)).toEqual(['imp_32']);
    });

    it('a late answer for a result a copy left never calls that copy back for the result it shows now', async () => {
      const { verify, answer } = heldVerify();
      const [x, y] = [vi.fn(), vi.fn()];
      const first = renderStrict(<RedirectResultHandler url={resultUrl('imp_33')} verify={verify} onSuccess={x} />);
      first.rerender(<RedirectResultHandler url={resultUrl('imp_34')} verify={verify} onSuccess={x} />);
      renderStrict(<RedirectResultHandler url={resultUrl('imp_34')} verify={verify} onSuccess={y} />);
      await answer('imp_34', 'ok');
      await answer('imp_33', 'ok');
      // imp_33 is shown by nobody any more; imp_34 is told once, by the copy that read it last.
      expect(told(y)).toEqual(['imp_34']);
      expect(x).not.toHaveBeenCalled();
    });
  });

  it("takes this tab's intent on a later read when the first read had none (the PG's reason shown then)", async () => {
    landOn('?imp_uid=imp_36&merchant_uid=order_0001&imp_success=false&error_code=LIMIT&error_msg=LIMIT_EXCEEDED', null);
    const before = renderStrict(<RedirectResultHandler verify={vi.fn()} />);
    await waitFor(() => expect(status().dataset.status).toBe('failed'));
    expect(status().textContent).not.toContain('LIMIT_EXCEEDED');
    before.unmount();
    sessionStorage.setItem('portone-kit:pending', JSON.stringify(intent));
    renderStrict(<RedirectResultHandler verify={vi.fn()} />);
    await waitFor(() => expect(status().textContent).toContain('LIMIT_EXCEEDED'));
  });

  it('gives a result to the checkout and follows the way back once; coming back shows it without either', async () => {
    sessionStorage.setItem('portone-kit:pending', JSON.stringify({ ...intent, returnPath: '/pay/return#checkout' }));
    window.history.replaceState(null, '', '/pay/return');
    const url = `${window.location.origin}/pay/return?imp_uid=imp_37&merchant_uid=order_0001`;
    const page = () => <RedirectResultHandler url={url} verify={async () => 'ok'} followReturnPath />;
    const first = renderStrict(page());
    await waitFor(() => expect(window.location.hash).toBe('#checkout'));
    expect(sessionStorage.getItem('portone-kit:settled:order_0001')).not.toBeNull();
    // The checkout took the outcome; then the back button brings the buyer to the return page again.
    sessionStorage.removeItem('portone-kit:settled:order_0001');
    first.unmount();
    window.history.replaceState(null, '', '/pay/return');
    renderStrict(page());
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    await act(async () => {}); // the effects of the render that shows it have run
    expect(window.location.hash).toBe('');
    expect(sessionStorage.getItem('portone-kit:settled:order_0001')).toBeNull();
  });

  it("an earlier declined result read again leaves the paid retry's outcome for the checkout alone", async () => {
    const declined = `${window.location.origin}/pay/return?imp_uid=imp_38&merchant_uid=order_0001&imp_success=false&error_code=LIMIT`;
    sessionStorage.setItem('portone-kit:pending', JSON.stringify(intent));
    const first = renderStrict(<RedirectResultHandler url={declined} />);
    await waitFor(() => expect(status().dataset.status).toBe('failed'));
    first.unmount();
    const paid = JSON.stringify({ flow: 'pay', outcome: { status: 'succeeded' } });
    sessionStorage.setItem('portone-kit:settled:order_0001', paid);
    renderStrict(<RedirectResultHandler url={declined} />);
    await waitFor(() => expect(status().dataset.status).toBe('failed'));
    expect(sessionStorage.getItem('portone-kit:settled:order_0001')).toBe(paid);
  });

  it('a paid result first read without an intent stays paid after a later checkout saves another', async () => {
    landOn('?imp_uid=imp_39&merchant_uid=order_0001', null);
    const before = renderStrict(<RedirectResultHandler verify={async () => 'ok'} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    before.unmount();
    sessionStorage.setItem('portone-kit:pending', JSON.stringify({ ...intent, merchantUid: 'order_0002' }));
    const onFailure = vi.fn();
    renderStrict(<RedirectResultHandler verify={async () => 'ok'} onFailure={onFailure} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('ignores a remembered intent of the wrong shape instead of calling the result a mismatch', async () => {
    landOn('?imp_uid=imp_35&merchant_uid=order_0001', null);
    sessionStorage.setItem(
      'portone-kit:read:?imp_uid=imp_35&merchant_uid=order_0001',
      JSON.stringify({ intent: { merchantUid: 'order_9999' } }),
    );
    const verify = vi.fn(async () => 'ok');
    renderStrict(<RedirectResultHandler verify={verify} />);
    await waitFor(() => expect(status().dataset.status).toBe('succeeded'));
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('renders a link back to the page that started the flow', async () => {
    landOn('?imp_uid=imp_10&merchant_uid=order_0001');
    renderStrict(<RedirectResultHandler verify={async () => 'ok'} />);
    const link = await screen.findByRole('link', { name: '이전 페이지로 돌아가기' });
    expect(link.getAttribute('href')).toBe('/cart?step=pay');
  });
});
