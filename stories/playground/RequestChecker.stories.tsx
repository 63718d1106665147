import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { RequestChecker } from './RequestChecker';

const payment = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_0001',
  name: '월간 구독',
  amount: 9900,
  buyer_tel: '010-1234-5678',
};

const meta = {
  title: 'Playground/Request checker',
  component: RequestChecker,
  args: { initialJson: JSON.stringify(payment, null, 2) },
} satisfies Meta<typeof RequestChecker>;

export default meta;
type Story = StoryObj<typeof meta>;

export const ValidPayment: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/No problems/)).toBeVisible();
  },
};

export const AmountAsString: Story = {
  args: { initialJson: JSON.stringify({ ...payment, amount: '9900', buyer_tel: '' }, null, 2) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const items = canvas.getAllByRole('listitem');
    await expect(items).toHaveLength(2);
    await expect(canvas.getByText(/amount must be a number: the SDK refuses strings/)).toBeVisible();
    await expect(canvas.getByText(/buyer_tel is required/)).toBeVisible();
  },
};

export const BillingKeyNeedsPhone: Story = {
  args: {
    billingKey: true,
    initialJson: JSON.stringify(
      { ...payment, pg: 'mobilians.170622040674', pay_method: 'card', customer_uid: 'cust_1' },
      null,
      2,
    ),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/issues billing keys for phone payments only/)).toBeVisible();
    const editor = canvas.getByLabelText(/Billing-key request/);
    await userEvent.clear(editor);
    await userEvent.paste(JSON.stringify({ ...payment, pg: 'mobilians.170622040674', customer_uid: 'cust_1' }));
    await expect(canvas.getByText(/No problems/)).toBeVisible();
  },
};
