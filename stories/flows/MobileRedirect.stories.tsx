import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { storyRequest, verifyOnServer, withFakePortone } from '../support/fake-portone';
import { MobileRedirect, NAVIGATE_EVENT } from './MobileRedirect';

const navigate = (url: string) => window.dispatchEvent(new CustomEvent(NAVIGATE_EVENT, { detail: url }));
const clearSession = () => () => sessionStorage.clear();

/** Mobile browsers leave the page for the window and come back to `m_redirect_url`. */
const meta = {
  title: 'Flows/Mobile redirect',
  component: MobileRedirect,
  args: { request: { ...storyRequest, merchant_uid: 'order_mobile_0001' }, verify: verifyOnServer },
  beforeEach: [clearSession, withFakePortone({ kind: 'approve' }, 200, { redirect: true, navigate })],
} satisfies Meta<typeof MobileRedirect>;

export default meta;
type Story = StoryObj<typeof meta>;

export const ApprovedAndVerified: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: '결제하기' });
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(button);
    await expect(button).toHaveAttribute('data-status', 'redirecting');
    await expect(JSON.parse(sessionStorage.getItem('portone-kit:pending') ?? 'null')).toMatchObject({
      merchantUid: 'order_mobile_0001',
      amount: 9900,
    });
    await waitFor(() => expect(canvas.getByText(/from=app&imp_uid=/)).toBeVisible());
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('결제가 완료되었습니다.'));
  },
};

export const Declined: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_mobile_0002' } },
  beforeEach: withFakePortone({ kind: 'decline' }, 200, { redirect: true, navigate }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: '결제하기' });
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(button);
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('결제에 실패했습니다.'));
  },
};
