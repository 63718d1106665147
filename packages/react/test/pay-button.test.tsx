import {
  englishMessages,
  MobiliansPayButton,
  type MobiliansPayButtonProps,
  type PayButtonState,
  PortoneProvider,
} from '@portone-kit/react';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import {
  holdWindows,
  merchantCode,
  paymentRequest,
  renderStrict,
  requestPayCalls,
  setUpFakePortone,
} from './support.js';

const fake = setUpFakePortone();

function renderButton(props: Partial<MobiliansPayButtonProps> = {}) {
  const all = { request: paymentRequest, ...props } as MobiliansPayButtonProps;
  const view = renderStrict(
    <PortoneProvider merchantCode={merchantCode}>
      <MobiliansPayButton {...all} />
    </PortoneProvider>,
  );
  const rerender = (next: Partial<MobiliansPayButtonProps>) =>
    view.rerender(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton {...({ ...all, ...next } as MobiliansPayButtonProps)} />
      </PortoneProvider>,
    );
  return { ...view, rerender };
}

const button = () => screen.getByRole('button');
const liveRegion = () => screen.getByRole('status');
const readyButton = async () => {
  await waitFor(() => expect(button().dataset.status).toBe('ready'));
  return button();
};

describe('MobiliansPayButton', () => {
  it('is a native type=button, unavailable but focusable while the SDK loads, then ready', async () => {
    renderButton();
    const element = button();
    expect(element.tagName).toBe('BUTTON');
    expect(element.getAttribute('type')).toBe('button');
    expect(element.textContent).toBe('결제하기');
    expect(element.hasAttribute('disabled')).toBe(false);
    expect(element.getAttribute('aria-disabled')).toBe('true');
    expect(element.getAttribute('aria-busy')).toBe('true');
    expect(element.dataset.status).toBe('loading');
    expect(liveRegion().textContent).toBe('결제 모듈을 불러오는 중입니다.');
    await readyButton();
    expect(element.hasAttribute('aria-disabled')).toBe(false);
    expect(element.hasAttribute('aria-busy')).toBe(false);
    expect(liveRegion().textContent).toBe('');
  });

  it('pays, verifies and calls onSuccess once, announcing each status politely', async () => {
    fake.imp.configure({ delayMs: 20 });
    const onSuccess = vi.fn();
    let finish!: (value: { orderId: number }) => void;
    const verify = vi.fn(() => new Promise<{ orderId: number }>((resolve) => (finish = resolve)));
    renderButton({ verify, onSuccess });
    const element = await readyButton();
    element.focus();
    act(() => element.click());
    expect(requestPayCalls(fake.imp)).toHaveLength(1);
    expect(element.dataset.status).toBe('requesting');
    expect(element.getAttribute('aria-disabled')).toBe('true');
    expect(element.getAttribute('aria-busy')).toBe('true');
    expect(document.activeElement).toBe(element);
    expect(liveRegion().textContent).toBe('결제창에서 결제를 진행해 주세요.');
    await waitFor(() => expect(element.dataset.status).toBe('verifying'));
    expect(liveRegion().textContent).toBe('결제 결과를 확인하고 있습니다.');
    await act(async () => finish({ orderId: 7 }));
    expect(element.dataset.status).toBe('succeeded');
    expect(liveRegion().textContent).toBe('결제가 완료되었습니다.');
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(onSuccess).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'succeeded', verification: { orderId: 7 } }),
    );
    // The order is paid: the same merchant_uid does not open another window.
    expect(element.getAttribute('aria-disabled')).toBe('true');
    act(() => element.click());
    expect(requestPayCalls(fake.imp)).toHaveLength(1);
  });

  it('reports an unverified completion as such when no verify is given', async () => {
    const onSuccess = vi.fn();
    renderButton({ onSuccess });
    act(() => button().click());
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
    const element = await readyButton();
    act(() => element.click());
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'unverified' })));
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(element.dataset.status).toBe('unverified');
    expect(liveRegion().textContent).toBe('결제창이 닫혔습니다. 주문 내역에서 결제 여부를 확인해 주세요.');
  });

  it('calls onFailure on a decline and onCancel when the buyer closes the window', async () => {
    const onFailure = vi.fn();
    const onCancel = vi.fn();
    fake.imp.configure({ outcome: { kind: 'decline', code: 'LIMIT', message: '한도 초과' } });
    const { rerender } = renderButton({ onFailure, onCancel });
    const element = await readyButton();
    act(() => element.click());
    await waitFor(() => expect(onFailure).toHaveBeenCalledTimes(1));
    expect(onFailure.mock.calls[0]?.[0]).toMatchObject({ kind: 'payment', result: { code: 'LIMIT' } });
    expect(button().dataset.status).toBe('failed');
    // The PG's reason follows the failure, as the redirect page shows it.
    expect(liveRegion().textContent).toBe('결제에 실패했습니다. 한도 초과');

    fake.imp.configure({ outcome: { kind: 'cancel' } });
    rerender({ request: { ...paymentRequest, merchant_uid: 'order_0002' } });
    act(() => element.click());
    await waitFor(() => expect(onCancel).toHaveBeenCalledTimes(1));
    expect(onCancel.mock.calls[0]?.[0]).toMatchObject({ status: 'cancelled', code: 'F0005' });
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(button().dataset.status).toBe('cancelled');
  });

  it('reports an invalid request through onFailure with every problem and opens no window', async () => {
    const onFailure = vi.fn();
    renderButton({ onFailure, request: { ...paymentRequest, buyer_tel: '' } });
    const element = await readyButton();
    act(() => element.click());
    await waitFor(() => expect(onFailure).toHaveBeenCalledTimes(1));
    expect(onFailure.mock.calls[0]?.[0]).toMatchObject({ kind: 'invalid-request', problems: [{ field: 'buyer_tel' }] });
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
  });

  it('always calls the latest verify and callbacks, never those of an earlier render', async () => {
    fake.imp.configure({ delayMs: 30 });
    const stale = { verify: vi.fn(async () => 'stale'), onSuccess: vi.fn() };
    const fresh = { verify: vi.fn(async () => 'fresh'), onSuccess: vi.fn() };
    const { rerender } = renderButton(stale);
    const element = await readyButton();
    act(() => element.click());
    rerender(fresh);
    await waitFor(() => expect(fresh.onSuccess).toHaveBeenCalledTimes(1));
    expect(fresh.verify).toHaveBeenCalledTimes(1);
    expect(fresh.onSuccess).toHaveBeenCalledWith(expect.objectContaining({ verification: 'fresh' }));
    expect(stale.verify).not.toHaveBeenCalled();
    expect(stale.onSuccess).not.toHaveBeenCalled();
  });

  it('after a timeout, still reports the late answer: onFailure, then onSuccess', async () => {
    const windows = holdWindows(fake.imp);
    const onFailure = vi.fn();
    const onSuccess = vi.fn();
    renderStrict(
      <PortoneProvider merchantCode={merchantCode} windowTimeoutMs={30}>
        <MobiliansPayButton
          request={paymentRequest}
          onFailure={onFailure}
          onSuccess={onSuccess}
          verify={async () => 'ok'}
        />
      </PortoneProvider>,
    );
    const element = await readyButton();
    act(() => element.click());
    await waitFor(() => expect(onFailure).toHaveBeenCalledWith({ kind: 'timeout', afterMs: 30 }));
    expect(liveRegion().textContent).toBe('결제창의 응답이 없습니다. 주문 내역에서 결제 여부를 확인해 주세요.');
    await act(async () => windows.answer());
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' })));
    expect(element.dataset.status).toBe('succeeded');
  });

  it('asks the server again, not the window, after a failed verification', async () => {
    const verify = vi.fn().mockRejectedValueOnce(new Error('server down')).mockResolvedValueOnce({ orderId: 7 });
    const onSuccess = vi.fn();
    renderButton({ verify, onSuccess });
    const element = await readyButton();
    act(() => element.click());
    await waitFor(() => expect(element.textContent).toBe('결제 다시 확인하기'));
    expect(liveRegion().textContent).toBe('결제를 확인하지 못했습니다. 다시 확인해 주세요.');
    act(() => element.click());
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(verify).toHaveBeenCalledTimes(2);
    expect(requestPayCalls(fake.imp)).toHaveLength(1);
    expect(element.dataset.status).toBe('succeeded');
  });

  it('shows its status to sighted buyers too, or only to screen readers with hideStatus', async () => {
    renderButton();
    await readyButton();
    expect(liveRegion().style.position).not.toBe('absolute');
    renderButton({ hideStatus: true });
    expect(screen.getAllByRole('status')[1]?.style.position).toBe('absolute');
  });

  it('opens one window for a double click', async () => {
    fake.imp.configure({ delayMs: 20 });
    renderButton();
    const element = await readyButton();
    fireEvent.click(element);
    fireEvent.click(element);
    fireEvent.doubleClick(element);
    expect(requestPayCalls(fake.imp)).toHaveLength(1);
    await waitFor(() => expect(element.dataset.status).toBe('unverified'));
    expect(requestPayCalls(fake.imp)).toHaveLength(1);
  });

  it('issues a billing key with customerUid', async () => {
    const onSuccess = vi.fn();
    renderButton({
      request: { ...paymentRequest, pg: 'mobilians.170622040674', merchant_uid: 'billing_0001', amount: 0 },
      customerUid: 'customer_0001',
      verify: async () => 'key stored',
      onSuccess,
    });
    const element = await readyButton();
    expect(element.textContent).toBe('정기결제 등록하기');
    act(() => element.click());
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(requestPayCalls(fake.imp)[0]).toMatchObject({ params: { customer_uid: 'customer_0001', amount: 0 } });
    expect(liveRegion().textContent).toBe('정기결제 등록이 완료되었습니다.');
  });

  it('passes native props, the ref and onClick through; className and children may be functions of the state', async () => {
    const ref = createRef<HTMLButtonElement>();
    const onClick = vi.fn();
    const states: PayButtonState[] = [];
    renderStrict(
      <PortoneProvider merchantCode={merchantCode}>
        <MobiliansPayButton
          ref={ref}
          id="checkout"
          aria-describedby="terms"
          request={paymentRequest}
          onClick={onClick}
          className={(state) => `pay pay--${state.status}`}
        >
          {(state) => {
            states.push(state);
            return `${state.flow}:${state.status}`;
          }}
        </MobiliansPayButton>
      </PortoneProvider>,
    );
    await waitFor(() => expect(button().textContent).toBe('pay:ready'));
    expect(ref.current).toBe(button());
    expect(button().id).toBe('checkout');
    expect(button().getAttribute('aria-describedby')).toBe('terms');
    expect(button().className).toBe('pay pay--ready');
    act(() => button().click());
    expect(onClick).toHaveBeenCalledTimes(1);
    expect(states.some((state) => state.status === 'requesting' && state.isBusy)).toBe(true);
    await waitFor(() => expect(button().className).toBe('pay pay--unverified'));
  });

  it('lets onClick cancel the payment with preventDefault', async () => {
    renderButton({ onClick: (event) => event.preventDefault() });
    const element = await readyButton();
    act(() => element.click());
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
  });

  it('stays unavailable when disabled, and still focusable', async () => {
    renderButton({ disabled: true });
    await waitFor(() => expect(button().dataset.status).toBe('ready'));
    expect(button().getAttribute('aria-disabled')).toBe('true');
    expect(button().hasAttribute('disabled')).toBe(false);
    act(() => button().click());
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
  });

  it('takes replacement texts through messages', async () => {
    renderButton({ messages: englishMessages });
    await readyButton();
    expect(button().textContent).toBe('Pay');
    renderButton({ messages: { pay: '구독 시작' } });
    expect(screen.getAllByRole('button')[1]?.textContent).toBe('구독 시작');
  });

  it('offers to load the SDK again after it failed', async () => {
    delete (window as { IMP?: unknown }).IMP;
    renderStrict(
      <PortoneProvider merchantCode={merchantCode} src="http://127.0.0.1:9/none.js" timeoutMs={20} retries={0}>
        <MobiliansPayButton request={paymentRequest} />
      </PortoneProvider>,
    );
    await waitFor(() => expect(button().dataset.status).toBe('sdk-error'));
    expect(button().textContent).toBe('다시 시도하기');
    expect(button().hasAttribute('aria-disabled')).toBe(false);
    expect(liveRegion().textContent).toBe('결제 모듈을 불러오지 못했습니다. 다시 시도해 주세요.');
    Object.assign(window, { IMP: fake.imp });
    act(() => button().click());
    await waitFor(() => expect(button().dataset.status).toBe('ready'));
    expect(requestPayCalls(fake.imp)).toHaveLength(0);
  });
});
