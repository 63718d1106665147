import { RedirectResultHandler } from '@portone-kit/react';
import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor, within } from 'storybook/test';
import { verifyOnServer } from '../support/fake-portone';

/**
 * The `m_redirect_url` page phones come back to. It reads PortOne's result from the URL (here the `url`
 * control), verifies it once per payment, and keeps the settled outcome for the page that started the flow.
 * Wrapped in `<div className="portone-kit-result">`, the optional stylesheet draws it as a card.
 */
const meta = {
  title: 'Components/RedirectResultHandler',
  component: RedirectResultHandler,
  args: { verify: verifyOnServer, onSuccess: fn(), onFailure: fn(), onCancel: fn() },
  argTypes: {
    url: { control: 'text' },
    cleanUrl: { control: 'boolean' },
    followReturnPath: { control: 'boolean' },
    messages: { control: 'object' },
    children: { control: false },
  },
  decorators: [
    (Story) => (
      <div className="portone-kit-result">
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof RedirectResultHandler>;

export default meta;
type Story = StoryObj<typeof meta>;

const status = (canvas: HTMLElement) => within(canvas).getByRole('status');
const returnUrl = (query: string) => `https://shop.example/pay/return?${query}`;

/**
 * What the checkout of this tab saved before the window (sessionStorage). Saved for the story alone: a docs
 * page shows every example at once, and a tab has one order in flight, so there none of them has one.
 */
const startedInThisTab =
  (merchantUid: string) =>
  ({ viewMode }: StoryContext) => {
    if (viewMode !== 'story') return;
    sessionStorage.setItem(
      'portone-kit:pending',
      JSON.stringify({
        flow: 'pay',
        merchantUid,
        amount: 9900,
        customerUid: null,
        returnPath: '/',
        savedAt: Date.now(),
      }),
    );
  };

/** PortOne sent the buyer back with a result; the server confirms it. */
export const Succeeded: Story = {
  args: { url: returnUrl('imp_uid=imp_000000000001&merchant_uid=order_story_1&imp_success=true') },
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveAttribute('data-status', 'succeeded'));
    await expect(status(canvasElement)).toHaveTextContent('결제가 완료되었습니다.');
    await waitFor(() => expect(args.onSuccess).toHaveBeenCalledTimes(1));
  },
};

/** A decline of the order this tab started: the PG's reason follows the kit's words, and a link goes back. */
export const Failed: Story = {
  beforeEach: startedInThisTab('order_story_2'),
  args: {
    url: returnUrl(
      `imp_uid=imp_000000000002&merchant_uid=order_story_2&imp_success=false&error_code=LIMIT&error_msg=${encodeURIComponent('한도초과')}`,
    ),
  },
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveAttribute('data-status', 'failed'));
    await expect(status(canvasElement)).toHaveTextContent('결제에 실패했습니다.');
    await expect(status(canvasElement)).toHaveTextContent('한도초과');
    await expect(within(canvasElement).getByRole('link', { name: '이전 페이지로 돌아가기' })).toHaveAttribute(
      'href',
      '/',
    );
    await waitFor(() => expect(args.onFailure).toHaveBeenCalledTimes(1));
  },
};

/**
 * A link anyone could write, for an order this tab did not start: its `error_msg` is never shown, only the
 * kit's own words, so that a crafted link cannot put its text on your page.
 */
export const CraftedLink: Story = {
  args: {
    url: returnUrl(
      `imp_uid=imp_000000000004&merchant_uid=order_story_4&imp_success=false&error_code=X&error_msg=${encodeURIComponent('<b>고객센터 010-0000-0000으로 연락하세요</b>')}`,
    ),
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveAttribute('data-status', 'failed'));
    await expect(status(canvasElement)).toHaveTextContent('결제에 실패했습니다.');
    await expect(status(canvasElement)).not.toHaveTextContent('고객센터');
  },
};

/** The buyer closed the window on the phone. */
export const Cancelled: Story = {
  args: {
    url: returnUrl(
      'imp_uid=imp_000000000003&merchant_uid=order_story_3&imp_success=false&error_code=F0005&error_msg=cancelled',
    ),
  },
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제창을 닫았습니다.'));
    await waitFor(() => expect(args.onCancel).toHaveBeenCalledTimes(1));
  },
};

/** Without `verify`, a completed result is plainly unverified. */
export const Unverified: Story = {
  args: {
    url: returnUrl('imp_uid=imp_000000000005&merchant_uid=order_story_5&imp_success=true'),
  },
  render: ({ verify: _verify, ...args }) => <RedirectResultHandler {...args} />,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveAttribute('data-status', 'unverified'));
    await expect(status(canvasElement)).toHaveTextContent('주문 내역에서 결제 여부를 확인해 주세요.');
  },
};

/** Opened without a result in the URL. */
export const NoResult: Story = {
  args: { url: 'https://shop.example/pay/return' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('확인할 결제 결과가 없습니다.'));
  },
};
