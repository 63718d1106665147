import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { storyRequest, verifyOnServer } from '../support/fake-portone';
import { withPortoneProvider } from '../support/WithPortone';
import { CustomCheckout } from './CustomCheckout';

/** Your own UI on `usePortone`: the hook gives the SDK status and the flow, the markup is yours. */
const meta = {
  title: 'Hooks/usePortone custom checkout',
  component: CustomCheckout,
  args: { request: { ...storyRequest, merchant_uid: 'order_custom_0001' }, verify: verifyOnServer },
  decorators: [withPortoneProvider],
} satisfies Meta<typeof CustomCheckout>;

export default meta;
type Story = StoryObj<typeof meta>;

export const PayByCard: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByLabelText('신용카드'));
    const submit = canvas.getByRole('button', { name: '9,900원 결제' });
    await waitFor(() => expect(submit).toBeEnabled());
    await userEvent.click(submit);
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('결과: succeeded'));
  },
};
