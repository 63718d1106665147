import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, screen, userEvent, waitFor, within } from 'storybook/test';
import { EMULATOR_PATH } from '../support/emulator';
import { forgetPortone } from '../support/fake-portone';
import { EmulatorCheckout } from './Emulator';

/**
 * Runs on the emulator that `pnpm start` mounts in Storybook's server. In a built, static Storybook there
 * is no emulator: the button then reports that the SDK could not be loaded.
 */
const meta = {
  title: 'Flows/Emulator',
  component: EmulatorCheckout,
  args: { emulator: EMULATOR_PATH, outcome: 'window', merchantUid: `order_emulator_${Date.now()}` },
  // No sandbox fake on the page: this story loads the emulator's own SDK (the preview forgets it after).
  parameters: { sandbox: false },
  beforeEach: forgetPortone,
} satisfies Meta<typeof EmulatorCheckout>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Pay in the sandbox window; the emulator records the payment its REST API then reports. */
export const PaidAndRecorded: Story = {
  args: { merchantUid: `order_emulator_${Date.now()}_1` },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: '결제하기' });
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'ready'), { timeout: 5000 });
    await userEvent.click(button);
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: '9,900원 결제하기' }));
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'succeeded'));
    const record = within(canvas.getByRole('region', { name: '에뮬레이터가 기록한 결제' }));
    await expect(record.getByText('paid')).toBeVisible();
    await expect(record.getByText('9900')).toBeVisible();
  },
};

/** A decline chosen in the script's URL: the emulator answers it without a window. */
export const Declined: Story = {
  args: { outcome: 'decline', merchantUid: `order_emulator_${Date.now()}_2` },
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole('button', { name: '결제하기' });
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'ready'), { timeout: 5000 });
    await userEvent.click(button);
    await waitFor(() => expect(button).toHaveAttribute('data-status', 'failed'));
  },
};
