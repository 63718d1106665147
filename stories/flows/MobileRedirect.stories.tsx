import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { sandboxSdk, storyRequest, verifyOnServer } from '../support/fake-portone';
import { MobileRedirect } from './MobileRedirect';

/**
 * Mobile browsers leave the checkout for the window and come back to `m_redirect_url`. The return page
 * verifies once and keeps the settled outcome for the page that started the flow; back there, the button
 * for that merchant_uid shows it ("결제 완료") and calls back once.
 */
const meta = {
  title: 'Flows/Mobile redirect',
  component: MobileRedirect,
  args: {
    request: { ...storyRequest, merchant_uid: 'order_mobile_0001' },
    verify: verifyOnServer,
    onSuccess: fn(),
    onFailure: fn(),
    onCancel: fn(),
  },
  parameters: { sandbox: { redirect: true, hold: true } },
} satisfies Meta<typeof MobileRedirect>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Checkout, m_redirect_url page, and back on the checkout showing the verified payment. */
export const RoundTrip: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const pay = canvas.getByRole('button', { name: '결제하기' });
    await waitFor(() => expect(pay).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(pay);
    await expect(pay).toHaveAttribute('data-status', 'redirecting');
    await expect(JSON.parse(sessionStorage.getItem('portone-kit:pending') ?? 'null')).toMatchObject({
      merchantUid: 'order_mobile_0001',
      amount: 9900,
    });
    sandboxSdk().answer();

    // The m_redirect_url page: verified once, with a link back to the page the flow started from.
    const returnPage = within(await canvas.findByRole('article', { name: 'm_redirect_url 페이지' }));
    await waitFor(() => expect(returnPage.getByRole('status')).toHaveTextContent('결제가 완료되었습니다.'));
    await expect(args.onSuccess).not.toHaveBeenCalled();
    await userEvent.click(returnPage.getByRole('link', { name: '이전 페이지로 돌아가기' }));

    // Back on the checkout: the settled payment, and the checkout's onSuccess, once.
    const checkout = within(await canvas.findByRole('article', { name: '주문서' }));
    await waitFor(() => expect(checkout.getByRole('button')).toHaveTextContent('결제 완료'));
    await expect(checkout.getByRole('button')).toHaveAttribute('data-status', 'succeeded');
    await expect(checkout.getByRole('status')).toHaveTextContent('결제가 완료되었습니다.');
    await expect(args.onSuccess).toHaveBeenCalledTimes(1);
    await expect(args.onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
  },
};

/** Declined in the window: the return page says so, and so does the checkout once back. */
export const Declined: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_mobile_0002' } },
  parameters: { sandbox: { redirect: true, hold: true, outcome: { kind: 'decline', message: '한도초과' } } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const pay = canvas.getByRole('button', { name: '결제하기' });
    await waitFor(() => expect(pay).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(pay);
    sandboxSdk().answer();
    const returnPage = within(await canvas.findByRole('article', { name: 'm_redirect_url 페이지' }));
    await waitFor(() => expect(returnPage.getByRole('status')).toHaveTextContent('결제에 실패했습니다.'));
    // The PG's words, since this tab started the order.
    await expect(returnPage.getByRole('status')).toHaveTextContent('한도초과');
    await userEvent.click(returnPage.getByRole('link', { name: '이전 페이지로 돌아가기' }));
    const checkout = within(await canvas.findByRole('article', { name: '주문서' }));
    await waitFor(() => expect(checkout.getByRole('button')).toHaveAttribute('data-status', 'failed'));
    await expect(checkout.getByRole('status')).toHaveTextContent('결제에 실패했습니다. 한도초과');
    await expect(args.onFailure).toHaveBeenCalledTimes(1);
  },
};
