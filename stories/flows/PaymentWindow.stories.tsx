import { MobiliansPayButton } from '@portone-kit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, screen, userEvent, waitFor, within } from 'storybook/test';
import { storyRequest, verifyOnServer } from '../support/fake-portone';
import { withPortoneProvider } from '../support/WithPortone';

/**
 * The sandbox's payment window, as a buyer meets it: try it by hand in the canvas, with the order you set
 * in the controls (`pay_method` picks the phone, card or transfer window; a `customerUid` issues a billing
 * key, phone only). Each story's play function goes through it as a buyer would.
 */
const meta = {
  title: 'Flows/Payment window',
  component: MobiliansPayButton,
  args: {
    request: { ...storyRequest, merchant_uid: 'order_window_phone' },
    verify: verifyOnServer,
    className: 'portone-kit-button',
  },
  argTypes: { customerUid: { control: 'text' }, children: { control: false } },
  decorators: [withPortoneProvider],
  parameters: { sandbox: { outcome: 'window' } },
} satisfies Meta<typeof MobiliansPayButton>;

export default meta;
type Story = StoryObj<typeof meta>;

async function openWindow(canvasElement: HTMLElement) {
  // Any label: the controls may have made it a billing key (정기결제 등록하기).
  const button = within(canvasElement).getByRole('button');
  await waitFor(() => expect(button).toHaveAttribute('data-status', 'ready'));
  await userEvent.click(button);
  const dialog = await screen.findByRole('dialog');
  return { button, dialog: within(dialog) };
}

/** Phone payment: carrier, number, code, then pay. */
export const PhoneApproved: Story = {
  play: async ({ canvasElement }) => {
    const { button, dialog } = await openWindow(canvasElement);
    await expect(dialog.getByRole('heading')).toHaveTextContent(/휴대폰 소액결제/);
    await expect(button).toHaveAttribute('data-status', 'requesting');
    await userEvent.click(dialog.getByRole('button', { name: '인증번호 받기' }));
    await userEvent.type(dialog.getByLabelText('인증번호 (숫자 6자리)'), '123456');
    // 결제하기, or 등록하기 for a billing key, after the amount the controls set.
    await userEvent.click(dialog.getByRole('button', { name: /원 (결제|등록)하기$/ }));
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'succeeded'));
    await expect(button).toHaveFocus();
  },
};

/** Card payment, declined with the failure the tester picks. */
export const CardDeclined: Story = {
  args: { request: { ...storyRequest, pay_method: 'card', merchant_uid: 'order_card_0001' } },
  play: async ({ canvasElement }) => {
    const { button, dialog } = await openWindow(canvasElement);
    await expect(dialog.getByLabelText('카드사')).toBeVisible();
    await userEvent.selectOptions(dialog.getByLabelText('실패 사유'), 'LIMIT_EXCEEDED 월 결제 한도를 초과했습니다');
    await userEvent.click(dialog.getByRole('button', { name: '선택한 실패로 끝내기' }));
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'failed'));
  },
};

/** Account transfer, closed with Escape: cancelled, and the focus is back on the button. */
export const TransferClosed: Story = {
  args: { request: { ...storyRequest, pay_method: 'trans', merchant_uid: 'order_trans_0001' } },
  play: async ({ canvasElement }) => {
    const { button, dialog } = await openWindow(canvasElement);
    await expect(dialog.getByLabelText('은행')).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'cancelled'));
    await expect(button).toHaveFocus();
  },
};
