import { MobiliansPayButton, type MobiliansPayButtonProps } from '@portone-kit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { forgetPortone, sandboxSdk, storyRequest, verifyOnServer } from '../support/fake-portone';
import { withPortoneProvider } from '../support/WithPortone';

/**
 * Every state of `<MobiliansPayButton className="portone-kit-button">` with the optional stylesheet
 * (`import '@portone-kit/react/styles.css'`), light and dark. Each story's play function takes the button
 * there on the sandbox and checks that the stylesheet draws it: pick "Theme" in the toolbar for the others.
 */
const meta = {
  title: 'Styling/Button states',
  component: MobiliansPayButton,
  args: { request: storyRequest, verify: verifyOnServer, className: 'portone-kit-button' },
  decorators: [withPortoneProvider],
  // A state is reached by each story's play function, which a docs page does not run.
  tags: ['!autodocs'],
} satisfies Meta<typeof MobiliansPayButton>;

export default meta;
type Story = StoryObj<typeof meta>;

type Theme = 'light' | 'dark';

const buttonIn = (canvas: HTMLElement) => within(canvas).getAllByRole('button')[0] as HTMLElement;
const statusIn = (canvas: HTMLElement) => within(canvas).getAllByRole('status')[0] as HTMLElement;
const at = (canvas: HTMLElement, state: string) =>
  waitFor(() => expect(buttonIn(canvas)).toHaveAttribute('data-status', state), { timeout: 5000 });

/** The stylesheet's colours, as the browser computes them, per theme. */
const colours = {
  light: {
    accent: 'rgb(27, 100, 218)',
    success: 'rgb(10, 107, 53)',
    danger: 'rgb(200, 30, 46)',
    warning: 'rgb(138, 82, 0)',
    disabled: 'rgb(229, 232, 235)',
  },
  dark: {
    accent: 'rgb(43, 110, 224)',
    success: 'rgb(95, 208, 143)',
    danger: 'rgb(255, 138, 147)',
    warning: 'rgb(245, 189, 85)',
    disabled: 'rgb(44, 48, 56)',
  },
} as const;

/** The scheme the stylesheet draws in: the story's forced one, or else the system's. */
function themeOf(canvas: HTMLElement): Theme {
  const forced = canvas.querySelector('[data-portone-kit-theme]')?.getAttribute('data-portone-kit-theme');
  if (forced === 'dark' || forced === 'light') return forced;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The checks every styled state passes: Korean line breaking and, when busy, the spinner before the label. */
async function styled(canvas: HTMLElement) {
  const button = buttonIn(canvas);
  const look = getComputedStyle(button);
  await expect(look.wordBreak).toBe('keep-all');
  const ring = getComputedStyle(button, '::before');
  if (button.getAttribute('aria-busy') === 'true') await expect(ring.animationName).toBe('portone-kit-spin');
  return { button, look, palette: colours[themeOf(canvas)] };
}

/** A computed colour, once the stylesheet's short transition between states has ended. */
const paints = (element: Element, property: 'color' | 'backgroundColor', colour: string) =>
  waitFor(() => expect(getComputedStyle(element)[property]).toBe(colour));

/** The SDK is loading: unavailable, busy, the grey of an unavailable button with a spinner. */
export const Loading: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_loading' } },
  parameters: { sandbox: false, portoneProvider: { src: '/__sandbox/never.js', timeoutMs: 60_000 } },
  beforeEach: forgetPortone,
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'loading');
    const { button, palette } = await styled(canvasElement);
    await paints(button, 'backgroundColor', palette.disabled);
  },
};

/** Ready: the accent colour, inviting a click. */
export const Ready: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_ready' } },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    const { button, palette } = await styled(canvasElement);
    await paints(button, 'backgroundColor', palette.accent);
    await expect(statusIn(canvasElement)).toHaveTextContent('');
  },
};

/** Focused from the keyboard: a ring drawn outside the button. */
export const Focused: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_focused' } },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.tab();
    const { button, look } = await styled(canvasElement);
    await expect(button).toHaveFocus();
    await expect(look.outlineStyle).toBe('solid');
    await expect(look.outlineWidth).toBe('3px');
  },
};

/** The window is open: busy, the accent kept, a spinner before the label. */
export const Requesting: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_requesting' } },
  parameters: { sandbox: { hold: true } },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.click(buttonIn(canvasElement));
    await at(canvasElement, 'requesting');
    const { button, palette } = await styled(canvasElement);
    await paints(button, 'backgroundColor', palette.accent);
    await expect(statusIn(canvasElement)).toHaveTextContent('결제창에서 결제를 진행해 주세요.');
  },
};

/** A phone leaves the page for the window (m_redirect_url). */
export const Redirecting: Story = {
  args: {
    request: {
      ...storyRequest,
      merchant_uid: 'order_state_redirecting',
      m_redirect_url: 'https://shop.example/pay/return',
    },
    portone: { mobile: true },
  },
  parameters: { sandbox: { hold: true, redirect: true } },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.click(buttonIn(canvasElement));
    await at(canvasElement, 'redirecting');
    await styled(canvasElement);
    await expect(statusIn(canvasElement)).toHaveTextContent('결제 페이지로 이동합니다.');
  },
};

/** The window answered; your server is checking the payment. */
export const Verifying: Story = {
  args: {
    request: { ...storyRequest, merchant_uid: 'order_state_verifying' },
    // A check that has not answered yet, so that the state stays on screen.
    verify: () => new Promise<never>(() => {}),
  },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.click(buttonIn(canvasElement));
    await at(canvasElement, 'verifying');
    const { button, palette } = await styled(canvasElement);
    await paints(button, 'backgroundColor', palette.accent);
    await expect(statusIn(canvasElement)).toHaveTextContent('결제 결과를 확인하고 있습니다.');
  },
};

/** Paid and verified: "결제 완료" with a check mark, in the success colour, no longer a call to action. */
export const Succeeded: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_succeeded' } },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.click(buttonIn(canvasElement));
    await at(canvasElement, 'succeeded');
    const { button, palette } = await styled(canvasElement);
    await expect(button).toHaveTextContent('결제 완료');
    await paints(button, 'color', palette.success);
    await paints(statusIn(canvasElement), 'color', palette.success);
  },
};

/** A billing key issued: "정기결제 등록 완료". */
export const BillingKeyIssued: Story = {
  args: {
    request: { ...storyRequest, pg: 'mobilians.170622040674', merchant_uid: 'billing_state_issued', amount: 0 },
    customerUid: 'customer_state_0001',
  },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.click(buttonIn(canvasElement));
    await at(canvasElement, 'succeeded');
    const { button } = await styled(canvasElement);
    await expect(button).toHaveTextContent('정기결제 등록 완료');
  },
};

/** Declined by the PG: the reason in the danger colour below a button that may be tried again. */
export const Failed: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_failed' } },
  parameters: { sandbox: { outcome: { kind: 'decline', code: 'LIMIT', message: '한도초과' } } },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.click(buttonIn(canvasElement));
    await at(canvasElement, 'failed');
    const { button, palette } = await styled(canvasElement);
    await paints(button, 'backgroundColor', palette.accent);
    await expect(statusIn(canvasElement)).toHaveTextContent('결제에 실패했습니다. 한도초과');
    await paints(statusIn(canvasElement), 'color', palette.danger);
  },
};

/** The buyer closed the window: a quiet note, and the button as before. */
export const Cancelled: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_cancelled' } },
  parameters: { sandbox: { outcome: { kind: 'cancel' } } },
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.click(buttonIn(canvasElement));
    await at(canvasElement, 'cancelled');
    const { button, palette } = await styled(canvasElement);
    await paints(button, 'backgroundColor', palette.accent);
    await expect(statusIn(canvasElement)).toHaveTextContent('결제창을 닫았습니다.');
  },
};

/** No `verify`: the window completed and nobody checked it, in the warning colour. */
export const Unverified: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_unverified' } },
  render: ({ verify: _verify, ...args }) => <MobiliansPayButton {...(args as MobiliansPayButtonProps)} />,
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'ready');
    await userEvent.click(buttonIn(canvasElement));
    await at(canvasElement, 'unverified');
    const { button, palette } = await styled(canvasElement);
    await paints(button, 'color', palette.warning);
    await expect(statusIn(canvasElement)).toHaveTextContent('주문 내역에서 결제 여부를 확인해 주세요.');
  },
};

/** The SDK could not be loaded: an outlined "다시 시도하기" in the danger colour. */
export const SdkError: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_sdk_error' } },
  parameters: { sandbox: false, portoneProvider: { src: 'data:text/javascript,void 0', retries: 0 } },
  beforeEach: forgetPortone,
  play: async ({ canvasElement }) => {
    await at(canvasElement, 'sdk-error');
    const { button, palette } = await styled(canvasElement);
    await expect(button).toHaveTextContent('다시 시도하기');
    await paints(button, 'color', palette.danger);
    await expect(statusIn(canvasElement)).toHaveTextContent('결제 모듈을 불러오지 못했습니다.');
  },
};

/** Another window of the page is open: this button is unavailable (grey, `aria-disabled`) until it closes. */
export const Unavailable: Story = {
  args: { request: { ...storyRequest, merchant_uid: 'order_state_unavailable' } },
  parameters: { sandbox: { hold: true } },
  render: (args) => {
    const first = args as MobiliansPayButtonProps;
    const second = {
      ...first,
      request: { ...first.request, merchant_uid: 'order_state_other', name: '추가 상품' },
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
  play: async ({ canvasElement }) => {
    const [first, second] = within(canvasElement).getAllByRole('button') as [HTMLElement, HTMLElement];
    await waitFor(() => expect(second).toHaveAttribute('data-status', 'ready'));
    await userEvent.click(first);
    await waitFor(() => expect(second).toHaveAttribute('aria-disabled', 'true'));
    const { palette } = await styled(canvasElement);
    await paints(second, 'backgroundColor', palette.disabled);
    await expect(getComputedStyle(second).cursor).toBe('not-allowed');
    await expect(sandboxSdk().waiting).toBe(1);
  },
};

const dark = { globals: { theme: 'dark' } };

export const LoadingDark: Story = { ...Loading, ...dark };
export const ReadyDark: Story = { ...Ready, ...dark };
export const FocusedDark: Story = { ...Focused, ...dark };
export const RequestingDark: Story = { ...Requesting, ...dark };
export const RedirectingDark: Story = { ...Redirecting, ...dark };
export const VerifyingDark: Story = { ...Verifying, ...dark };
export const SucceededDark: Story = { ...Succeeded, ...dark };
export const BillingKeyIssuedDark: Story = { ...BillingKeyIssued, ...dark };
export const FailedDark: Story = { ...Failed, ...dark };
export const CancelledDark: Story = { ...Cancelled, ...dark };
export const UnverifiedDark: Story = { ...Unverified, ...dark };
export const SdkErrorDark: Story = { ...SdkError, ...dark };
export const UnavailableDark: Story = { ...Unavailable, ...dark };
