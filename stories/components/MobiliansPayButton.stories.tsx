import { englishMessages, PortoneProvider } from '@portone-kit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { forgetPortone, merchantCode, storyRequest, verifyOnServer, withFakePortone } from '../support/fake-portone';
import { PayButtonDemo } from '../support/PayButtonDemo';
import { withPortoneProvider } from '../support/WithPortone';

const meta = {
  title: 'Components/MobiliansPayButton',
  component: PayButtonDemo,
  args: {
    request: storyRequest,
    verify: verifyOnServer,
    onSuccess: fn(),
    onFailure: fn(),
    onCancel: fn(),
  },
  decorators: [withPortoneProvider],
  beforeEach: withFakePortone(),
} satisfies Meta<typeof PayButtonDemo>;

export default meta;
type Story = StoryObj<typeof meta>;

const button = (canvas: HTMLElement) => within(canvas).getByRole('button');
const status = (canvas: HTMLElement) => within(canvas).getByRole('status');

/** Ready, clicked, verified by the server: 결제가 완료되었습니다. */
export const PaidAndVerified: Story = {
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'ready'));
    await expect(button(canvasElement)).toHaveTextContent('결제하기');
    await userEvent.click(button(canvasElement));
    await expect(button(canvasElement)).toHaveAttribute('aria-busy', 'true');
    await expect(status(canvasElement)).toHaveTextContent('결제창에서 결제를 진행해 주세요.');
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'verifying'));
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제가 완료되었습니다.'));
    await waitFor(() => expect(args.onSuccess).toHaveBeenCalledTimes(1));
  },
};

/** The PG declines: the button reports it and may be tried again. */
export const Declined: Story = {
  beforeEach: withFakePortone({ kind: 'decline', code: 'LIMIT', message: '한도를 초과했습니다' }),
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제에 실패했습니다.'));
    await waitFor(() => expect(args.onFailure).toHaveBeenCalledTimes(1));
    await expect(button(canvasElement)).not.toHaveAttribute('aria-disabled');
  },
};

/** The buyer closes the window. */
export const Cancelled: Story = {
  beforeEach: withFakePortone({ kind: 'cancel' }),
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제를 취소했습니다.'));
    await waitFor(() => expect(args.onCancel).toHaveBeenCalledTimes(1));
  },
};

/** A billing key through the phone window: pass `customerUid`. */
export const BillingKey: Story = {
  args: {
    request: { ...storyRequest, pg: 'mobilians.170622040674', merchant_uid: 'billing_story_0001', amount: 0 },
    customerUid: 'customer_0001',
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveTextContent('정기결제 등록하기'));
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('정기결제 등록이 완료되었습니다.'));
  },
};

/** Without `verify` the kit never says "paid": the outcome is plainly unverified. */
export const WithoutVerify: Story = {
  render: ({ verify: _verify, ...args }) => <PayButtonDemo {...args} />,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'unverified'));
    await expect(status(canvasElement)).toHaveTextContent('주문 내역에서 결제 여부를 확인해 주세요.');
  },
};

/** English texts through `messages`. */
export const English: Story = {
  args: { messages: englishMessages },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveTextContent('Pay'));
  },
};

/** The SDK script failed to load: the button offers to load it again, and a retry recovers. */
export const SdkFailedThenRetried: Story = {
  // The story's meta installed a fake: take it away so that the load fails first.
  beforeEach: forgetPortone,
  decorators: [
    (Story) => (
      // A script that loads and defines no IMP; the retry finds the fake that the play function installs.
      <PortoneProvider merchantCode={merchantCode} src="data:text/javascript,void 0" retries={0}>
        <Story />
      </PortoneProvider>
    ),
  ],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'sdk-error'));
    await expect(button(canvasElement)).toHaveTextContent('다시 시도하기');
    await expect(status(canvasElement)).toHaveTextContent('결제 모듈을 불러오지 못했습니다.');
    withFakePortone()();
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'ready'));
  },
};

/** The SDK script is on its way: the button is unavailable but focusable, and says so politely. */
export const SdkLoading: Story = {
  beforeEach: forgetPortone,
  decorators: [
    (Story) => (
      <PortoneProvider merchantCode={merchantCode} src="/__sandbox/never.js" timeoutMs={60_000}>
        <Story />
      </PortoneProvider>
    ),
  ],
  play: async ({ canvasElement }) => {
    await expect(button(canvasElement)).toHaveAttribute('data-status', 'loading');
    await expect(button(canvasElement)).toHaveAttribute('aria-disabled', 'true');
    await expect(button(canvasElement)).toHaveAttribute('aria-busy', 'true');
    await expect(status(canvasElement)).toHaveTextContent('결제 모듈을 불러오는 중입니다.');
    await userEvent.click(button(canvasElement));
    await expect(button(canvasElement)).toHaveAttribute('data-status', 'loading');
  },
};

/**
 * A mobile browser whose window still calls back (Mobilians' phone window can be an iframe): the intent
 * is saved for a redirect that never comes, and the callback is handled as on PC.
 */
export const MobileWithCallback: Story = {
  args: {
    request: { ...storyRequest, merchant_uid: 'order_mobile_cb_0001', m_redirect_url: 'https://shop.example/return' },
    portone: { mobile: true },
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(button(canvasElement));
    await expect(button(canvasElement)).toHaveAttribute('data-status', 'redirecting');
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제가 완료되었습니다.'));
    await expect(sessionStorage.getItem('portone-kit:pending')).toBeNull();
  },
};
