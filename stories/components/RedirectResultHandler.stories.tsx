import { RedirectResultHandler } from '@portone-kit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor, within } from 'storybook/test';
import { verifyOnServer } from '../support/fake-portone';

const meta = {
  title: 'Components/RedirectResultHandler',
  component: RedirectResultHandler,
  args: { verify: verifyOnServer, onSuccess: fn(), onFailure: fn(), onCancel: fn() },
  beforeEach: () => () => sessionStorage.clear(),
} satisfies Meta<typeof RedirectResultHandler>;

export default meta;
type Story = StoryObj<typeof meta>;

const status = (canvas: HTMLElement) => within(canvas).getByRole('status');

/** PortOne sent the buyer back with a result; the server confirms it. */
export const Succeeded: Story = {
  args: { url: 'https://shop.example/pay/return?imp_uid=imp_000000000001&merchant_uid=order_story_1&imp_success=true' },
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveAttribute('data-status', 'succeeded'));
    await expect(status(canvasElement)).toHaveTextContent('결제가 완료되었습니다.');
    await waitFor(() => expect(args.onSuccess).toHaveBeenCalledTimes(1));
  },
};

/**
 * A failure of the order this tab started (its intent is in sessionStorage), so the PG's message is
 * shown too, as plain text. For an order this tab did not start, only the kit's own words are shown.
 */
export const Failed: Story = {
  beforeEach: () => {
    sessionStorage.setItem(
      'portone-kit:pending',
      JSON.stringify({
        flow: 'pay',
        merchantUid: 'order_story_2',
        amount: 9900,
        customerUid: null,
        returnPath: '/',
        savedAt: Date.now(),
      }),
    );
  },
  args: {
    url: `https://shop.example/pay/return?imp_uid=imp_000000000002&merchant_uid=order_story_2&imp_success=false&error_code=LIMIT&error_msg=${encodeURIComponent('<b>한도</b>를 초과했습니다')}`,
  },
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveAttribute('data-status', 'failed'));
    await expect(status(canvasElement)).toHaveTextContent('<b>한도</b>를 초과했습니다');
    await waitFor(() => expect(args.onFailure).toHaveBeenCalledTimes(1));
  },
};

/** The buyer closed the window on the phone. */
export const Cancelled: Story = {
  args: {
    url: 'https://shop.example/pay/return?imp_uid=imp_000000000003&merchant_uid=order_story_3&imp_success=false&error_code=F0005&error_msg=cancelled',
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('결제를 취소했습니다.'));
  },
};

/** Opened without a result in the URL. */
export const NoResult: Story = {
  args: { url: 'https://shop.example/pay/return' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(status(canvasElement)).toHaveTextContent('확인할 결제 결과가 없습니다.'));
  },
};
