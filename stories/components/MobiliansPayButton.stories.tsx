import { englishMessages, MobiliansPayButton, type MobiliansPayButtonProps, PortoneProvider } from '@portone-kit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { forgetPortone, sandboxSdk, storyRequest, verifyFailingOnce, verifyOnServer } from '../support/fake-portone';
import { withPortoneProvider } from '../support/WithPortone';

/**
 * A native button that opens the KG Mobilians window: a payment, or with `customerUid` a billing key. Every
 * example runs on the sandbox's fake SDK; change `request`, `customerUid` or the texts in the controls and
 * click it. The look is the optional stylesheet: `import '@portone-kit/react/styles.css'` and
 * `className="portone-kit-button"`. The two stories about the SDK's own loading (it fails, it is slow) take
 * the SDK off the page, so they run alone: find them in the sidebar.
 */
const meta = {
  title: 'Components/MobiliansPayButton',
  component: MobiliansPayButton,
  subcomponents: { PortoneProvider },
  args: {
    request: storyRequest,
    verify: verifyOnServer,
    onSuccess: fn(),
    onFailure: fn(),
    onCancel: fn(),
    className: 'portone-kit-button',
  },
  argTypes: {
    customerUid: { control: 'text' },
    hideStatus: { control: 'boolean' },
    disabled: { control: 'boolean' },
    messages: { control: 'object' },
    portone: { control: 'object' },
    children: { control: false },
  },
  decorators: [withPortoneProvider],
} satisfies Meta<typeof MobiliansPayButton>;

export default meta;
type Story = StoryObj<typeof meta>;

const button = (canvas: HTMLElement) => within(canvas).getByRole('button');
const status = (canvas: HTMLElement) => within(canvas).getByRole('status');
const ready = (canvas: HTMLElement) =>
  waitFor(() => expect(button(canvas)).toHaveAttribute('data-status', 'ready'), { timeout: 5000 });

/** Ready, clicked, verified by your server: "결제가 완료되었습니다." and the label no longer invites to pay. */
export const PaidAndVerified: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_paid' } },
  parameters: { sandbox: { hold: true } },
  play: async ({ canvasElement, args }) => {
    await ready(canvasElement);
    await expect(button(canvasElement)).toHaveTextContent('결제하기');
    await userEvent.click(button(canvasElement));
    await expect(button(canvasElement)).toHaveAttribute('aria-busy', 'true');
    await expect(status(canvasElement)).toHaveTextContent('결제창에서 결제를 진행해 주세요.');
    sandboxSdk().answer();
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제가 완료되었습니다.'));
    await expect(button(canvasElement)).toHaveTextContent('결제 완료');
    await expect(button(canvasElement)).toHaveAttribute('aria-disabled', 'true');
    await expect(args.onSuccess).toHaveBeenCalledTimes(1);
  },
};

/** The PG declines: the PG's reason follows the kit's words, and the button may be tried again. */
export const Declined: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_declined' } },
  parameters: { sandbox: { outcome: { kind: 'decline', code: 'LIMIT', message: '한도초과' } } },
  play: async ({ canvasElement, args }) => {
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'failed'));
    await expect(status(canvasElement)).toHaveTextContent('결제에 실패했습니다. 한도초과');
    await expect(args.onFailure).toHaveBeenCalledTimes(1);
    await expect(button(canvasElement)).not.toHaveAttribute('aria-disabled');
  },
};

/** The buyer closes the window: "결제창을 닫았습니다.", `onCancel` once, and the button is free again. */
export const Cancelled: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_cancelled' } },
  parameters: { sandbox: { outcome: { kind: 'cancel' } } },
  play: async ({ canvasElement, args }) => {
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제창을 닫았습니다.'));
    await expect(args.onCancel).toHaveBeenCalledTimes(1);
    await expect(button(canvasElement)).not.toHaveAttribute('aria-disabled');
  },
};

/**
 * A billing key through the phone window: pass `customerUid` (Mobilians issues keys for phone payments
 * only, on your billing MID). Change `customerUid`, the MID or the amount in the controls and try it.
 */
export const BillingKey: Story = {
  args: {
    request: { ...storyRequest, pg: 'mobilians.170622040674', merchant_uid: 'billing_story_0001', amount: 0 },
    customerUid: 'customer_0001',
  },
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveTextContent('정기결제 등록하기'));
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('정기결제 등록이 완료되었습니다.'));
    await expect(button(canvasElement)).toHaveTextContent('정기결제 등록 완료');
    await expect(sandboxSdk().payment('billing_story_0001')).toMatchObject({ customer_uid: 'customer_0001' });
    await expect(args.onSuccess).toHaveBeenCalledTimes(1);
  },
};

/** A refused billing key says so: "정기결제 등록에 실패했습니다." with the PG's reason. */
export const BillingKeyDeclined: Story = {
  args: {
    request: { ...storyRequest, pg: 'mobilians.170622040674', merchant_uid: 'billing_story_0002', amount: 0 },
    customerUid: 'customer_0002',
  },
  parameters: { sandbox: { outcome: { kind: 'decline', code: 'LIMIT', message: '한도초과' } } },
  play: async ({ canvasElement, args }) => {
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('정기결제 등록에 실패했습니다. 한도초과'));
    await expect(args.onFailure).toHaveBeenCalledTimes(1);
  },
};

/** Without `verify` the kit never says "paid": the outcome is plainly unverified. */
export const WithoutVerify: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_unverified' } },
  render: ({ verify: _verify, ...args }) => <MobiliansPayButton {...(args as MobiliansPayButtonProps)} />,
  play: async ({ canvasElement, args }) => {
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'unverified'));
    await expect(status(canvasElement)).toHaveTextContent('주문 내역에서 결제 여부를 확인해 주세요.');
    await expect(args.onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'unverified' }));
  },
};

const verificationDown = verifyFailingOnce();

/**
 * Your server could not confirm the payment (it was down, say): the button asks it again, and never opens
 * a second window for that order, since the buyer may have paid.
 */
export const VerificationFailedThenAskedAgain: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_verify_again' }, verify: verificationDown.verify },
  beforeEach: () => verificationDown.reset(),
  play: async ({ canvasElement, args }) => {
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(button(canvasElement)).toHaveTextContent('결제 다시 확인하기'));
    await expect(status(canvasElement)).toHaveTextContent('결제를 확인하지 못했습니다. 다시 확인해 주세요.');
    await expect(args.onFailure).toHaveBeenCalledWith(expect.objectContaining({ kind: 'verification' }));
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'succeeded'));
    await expect(verificationDown.calls).toBe(2);
    await expect(args.onSuccess).toHaveBeenCalledTimes(1);
    await expect(sandboxSdk().opened).toEqual(['order_story_verify_again']);
  },
};

/**
 * The window gave no answer within `windowTimeoutMs` (here 50 ms; 15 minutes by default): the attempt fails
 * with `timeout` and frees the page. The buyer may still pay in it: its late answer is verified and shown,
 * and `onSuccess` follows the `onFailure`.
 */
export const TimedOutThenPaidLate: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_timeout' }, portone: { windowTimeoutMs: 50 } },
  parameters: { sandbox: { hold: true } },
  play: async ({ canvasElement, args }) => {
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    // The window is held open: only the kit's own timeout can end this wait.
    await waitFor(() => expect(args.onFailure).toHaveBeenCalledWith({ kind: 'timeout', afterMs: 50 }));
    await expect(status(canvasElement)).toHaveTextContent(
      '결제창의 응답이 없습니다. 주문 내역에서 결제 여부를 확인해 주세요.',
    );
    await expect(button(canvasElement)).not.toHaveAttribute('aria-disabled');
    sandboxSdk().answer();
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'succeeded'));
    await expect(button(canvasElement)).toHaveTextContent('결제 완료');
    await expect(args.onSuccess).toHaveBeenCalledTimes(1);
  },
};

/**
 * After a timeout a click opens a new window for the same order. If the first window then pays, its
 * verified payment is shown and stays shown: the second window meets an order already paid.
 */
export const ClickAfterTimeout: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_timeout_click' }, portone: { windowTimeoutMs: 50 } },
  parameters: { sandbox: { hold: true } },
  play: async ({ canvasElement, args }) => {
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'failed'));
    await userEvent.click(button(canvasElement));
    await expect(sandboxSdk().opened).toEqual(['order_story_timeout_click', 'order_story_timeout_click']);
    sandboxSdk().answer();
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'succeeded'));
    sandboxSdk().answer();
    await waitFor(() => expect(sandboxSdk().waiting).toBe(0));
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('aria-disabled', 'true'));
    await expect(button(canvasElement)).toHaveAttribute('data-status', 'succeeded');
    await expect(args.onSuccess).toHaveBeenCalledTimes(1);
  },
};

/**
 * The page has one payment window: while one is open, every other button is unavailable (`aria-disabled`),
 * and `start()` there resolves `{ status: 'failed', error: { kind: 'busy' } }` at once, sending nothing.
 */
export const AnotherWindowOpen: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_first' } },
  parameters: { sandbox: { hold: true } },
  render: (args) => {
    const first = args as MobiliansPayButtonProps;
    const second = {
      ...first,
      request: { ...first.request, merchant_uid: 'order_story_second', name: '추가 상품' },
      onFailure: args.onCancel,
    } as MobiliansPayButtonProps;
    return (
      <div style={{ display: 'grid', gap: '1rem' }}>
        <div>
          <MobiliansPayButton {...first} />
        </div>
        <div>
          <MobiliansPayButton {...second} />
        </div>
      </div>
    );
  },
  play: async ({ canvasElement, args }) => {
    const [first, second] = within(canvasElement).getAllByRole('button') as [HTMLElement, HTMLElement];
    await waitFor(() => expect(second).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(first);
    await waitFor(() => expect(second).toHaveAttribute('aria-disabled', 'true'));
    // A real click: Playwright's own refuses an aria-disabled button before the page sees it.
    second.click();
    await expect(sandboxSdk().opened).toEqual(['order_story_first']);
    sandboxSdk().answer();
    await waitFor(() => expect(first).toHaveAttribute('data-status', 'succeeded'));
    await waitFor(() => expect(second).not.toHaveAttribute('aria-disabled'));
    await expect(args.onCancel).not.toHaveBeenCalled();
  },
};

/** English texts through `messages`. */
export const English: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_story_english' }, messages: englishMessages },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveTextContent('Pay'));
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
  parameters: { sandbox: { hold: true } },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    await userEvent.click(button(canvasElement));
    await expect(button(canvasElement)).toHaveAttribute('data-status', 'redirecting');
    await expect(JSON.parse(sessionStorage.getItem('portone-kit:pending') ?? 'null')).toMatchObject({
      merchantUid: 'order_mobile_cb_0001',
    });
    sandboxSdk().answer();
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제가 완료되었습니다.'));
    await expect(sessionStorage.getItem('portone-kit:pending')).toBeNull();
  },
};

// The two stories below are about the SDK itself, so they take it off the page: they run alone (not on
// the docs page, where every other example shares the page's SDK).
const withoutSdk = { tags: ['!autodocs'], parameters: { sandbox: false }, beforeEach: forgetPortone } satisfies Story;

/** The SDK script failed to load: the button offers to load it again, and a retry recovers. */
export const SdkFailedThenRetried: Story = {
  ...withoutSdk,
  args: { request: { ...storyRequest, merchant_uid: 'order_story_sdk_error' } },
  // A script that loads and defines no IMP; the retry finds the fake that the play function installs.
  parameters: { ...withoutSdk.parameters, portoneProvider: { src: 'data:text/javascript,void 0', retries: 0 } },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(button(canvasElement)).toHaveAttribute('data-status', 'sdk-error'));
    await expect(button(canvasElement)).toHaveTextContent('다시 시도하기');
    await expect(status(canvasElement)).toHaveTextContent('결제 모듈을 불러오지 못했습니다.');
    sandboxSdk();
    await userEvent.click(button(canvasElement));
    await ready(canvasElement);
  },
};

/** The SDK script is on its way: the button is unavailable but focusable, and says so politely. */
export const SdkLoading: Story = {
  ...withoutSdk,
  args: { request: { ...storyRequest, merchant_uid: 'order_story_loading' } },
  // A script the server never answers.
  parameters: { ...withoutSdk.parameters, portoneProvider: { src: '/__sandbox/never.js', timeoutMs: 60_000 } },
  play: async ({ canvasElement }) => {
    await expect(button(canvasElement)).toHaveAttribute('data-status', 'loading');
    await expect(button(canvasElement)).toHaveAttribute('aria-disabled', 'true');
    await expect(button(canvasElement)).toHaveAttribute('aria-busy', 'true');
    await expect(status(canvasElement)).toHaveTextContent('결제 모듈을 불러오는 중입니다.');
    await userEvent.click(button(canvasElement));
    await expect(button(canvasElement)).toHaveAttribute('data-status', 'loading');
  },
};
