import type {
  BillingKeyRequest,
  CancelledResult,
  CompletedResult,
  FlowError,
  FlowKind,
  PaymentRequest,
  PaymentResult,
  PortoneLoadError,
} from '@portone-kit/core';
import {
  type ButtonHTMLAttributes,
  type ForwardedRef,
  forwardRef,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
  type RefAttributes,
  useEffect,
  useState,
} from 'react';
import type { FlowOutcome, Verify } from '../flow/outcome.js';
import type { PortoneOptions } from '../options.js';
import { useLatest } from '../use-latest.js';
import { usePortone } from '../use-portone.js';
import {
  type AnnouncedStatus,
  announcement,
  koreanMessages,
  type PortoneMessages,
  visuallyHidden,
} from './messages.js';

/** What the button shows, on `data-status` and to `className` and `children` functions. */
export interface PayButtonState {
  status: AnnouncedStatus;
  flow: FlowKind;
  /** Clicks do nothing now (`aria-disabled`); the button keeps its focus. */
  isUnavailable: boolean;
  /** The SDK is loading, or a window is open or being checked (`aria-busy`). */
  isBusy: boolean;
  result: PaymentResult | null;
  error: FlowError | PortoneLoadError | null;
}

type SuccessOutcome<Verification> = Extract<FlowOutcome<Verification>, { status: 'succeeded' | 'unverified' }>;

/** A payment, or with `customerUid` a billing key: the request without its `customer_uid`. */
type FlowRequestProps =
  | { request: PaymentRequest; customerUid?: never }
  | { request: Omit<BillingKeyRequest, 'customer_uid'>; customerUid: string };

/**
 * Props of {@link MobiliansPayButton}: a native button's attributes (but `type`), the `request` (with
 * `customerUid`, a billing key's), your `verify`, the callbacks and the texts. `className` and `children`
 * may also be functions of the {@link PayButtonState}.
 */
export type MobiliansPayButtonProps<Verification = unknown> = Omit<
  ButtonHTMLAttributes<HTMLButtonElement>,
  'type' | 'children' | 'className'
> &
  FlowRequestProps & {
    /** Your server's check of the result. Without it a completed window ends `unverified`, never `succeeded`. */
    verify?: Verify<Verification> | undefined;
    /**
     * `succeeded` after `verify`, or `unverified` without one. Like `onFailure` and `onCancel`, called
     * once per attempt where it settles, even when the button has unmounted by then; once more when a
     * window that timed out answers late, or when a click after a failed verification asks again.
     */
    onSuccess?: ((outcome: SuccessOutcome<Verification>) => void) | undefined;
    /** The PG refused, `verify` threw, the window timed out, the request was invalid or the SDK was not ready. */
    onFailure?: ((error: FlowError) => void) | undefined;
    /** The buyer closed the window. */
    onCancel?: ((result: CancelledResult) => void) | undefined;
    /** Any of the texts, replacing the Korean defaults. `englishMessages` is exported. */
    messages?: Partial<PortoneMessages> | undefined;
    className?: (string | ((state: PayButtonState) => string | undefined)) | undefined;
    children?: (ReactNode | ((state: PayButtonState) => ReactNode)) | undefined;
    /** SDK options, when no `PortoneProvider` is above or to override it. */
    portone?: Partial<PortoneOptions> | undefined;
    /**
     * The status text (a polite live region) shows below the button; `true` keeps it for screen readers
     * only, when your page shows the state its own way.
     */
    hideStatus?: boolean | undefined;
  };

function MobiliansPayButtonInner<Verification>(
  props: MobiliansPayButtonProps<Verification>,
  ref: ForwardedRef<HTMLButtonElement>,
) {
  const {
    request,
    customerUid,
    verify,
    onSuccess,
    onFailure,
    onCancel,
    messages: messageOverrides,
    className,
    children,
    portone,
    hideStatus = false,
    disabled,
    onClick,
    ...buttonProps
  } = props;
  const { sdk, pay, issueBillingKey } = usePortone(portone);
  const kind: FlowKind = customerUid === undefined ? 'pay' : 'issueBillingKey';
  const flow = kind === 'pay' ? pay : issueBillingKey;
  const messages = { ...koreanMessages, ...messageOverrides };
  const latest = useLatest({ verify, onSuccess, onFailure, onCancel });
  const fullRequest = (
    customerUid === undefined ? request : { ...request, customer_uid: customerUid }
  ) as PaymentRequest & BillingKeyRequest;

  // Callbacks fire where the attempt settles, with the latest props, mounted or not: a timeout's
  // onFailure may be followed by the late answer's onSuccess.
  const [onSettled] = useState(() => (outcome: FlowOutcome<Verification>) => {
    const { onSuccess, onFailure, onCancel } = latest.current;
    if (outcome.status === 'failed') onFailure?.(outcome.error);
    else if (outcome.status === 'cancelled') onCancel?.(outcome.result);
    else onSuccess?.(outcome);
  });

  // The merchant's check with the latest props; none when no verify is given (the flow then ends unverified).
  const [verifyLatest] = useState(
    () => (result: CompletedResult) => (latest.current.verify as Verify<Verification>)(result),
  );
  const checkWith = () => ({ verify: latest.current.verify ? verifyLatest : undefined, onSettled });

  // Back from the m_redirect_url page (mobile): the outcome it settled for this order, shown once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: resumed per order and flow, with the request of that render
  useEffect(() => void flow.resume(fullRequest, checkWith()), [kind, request.merchant_uid]);

  const status: AnnouncedStatus =
    flow.status !== 'idle' ? flow.status : sdk.isError ? 'sdk-error' : sdk.isReady ? 'ready' : 'loading';
  // A window that completed for this order is not opened again: a new merchant_uid makes the button available.
  const settledState = flow.state;
  const done =
    (settledState.status === 'succeeded' || settledState.status === 'unverified') &&
    settledState.request.merchant_uid === request.merchant_uid;
  const isBusy = status === 'loading' || flow.isInFlight;
  // While another window of the page is open a click would only be refused as busy.
  const isUnavailable = Boolean(disabled) || isBusy || done || flow.isWindowOpen;
  const state: PayButtonState = {
    status,
    flow: kind,
    isUnavailable,
    isBusy,
    result: flow.result,
    error: flow.error ?? sdk.error,
  };

  // A payment the server could not confirm may be real: a click asks the server again, never the window.
  const verificationFailed =
    flow.error?.kind === 'verification' && flow.error.result.merchantUid === request.merchant_uid;

  // After a timeout a click opens a new window for the same order; the first window's late answer is
  // still verified and shown (a paid result wins over the new attempt), so nothing paid is lost.
  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    onClick?.(event);
    if (event.defaultPrevented) return;
    if (status === 'sdk-error' && !disabled) return sdk.retry();
    if (isUnavailable) return;
    if (verificationFailed) return void flow.reverify();
    void flow.start(fullRequest, checkWith());
  };

  const label =
    status === 'sdk-error'
      ? messages.retry
      : verificationFailed
        ? messages.verifyAgain
        : kind === 'pay'
          ? done && status === 'succeeded'
            ? messages.paid
            : messages.pay
          : done && status === 'succeeded'
            ? messages.billingKeyIssued
            : messages.issueBillingKey;
  const text = announcement(messages, status, kind, flow.error);
  return (
    <>
      <button
        {...buttonProps}
        ref={ref}
        type="button"
        className={(typeof className === 'function' ? className(state) : className) || undefined}
        aria-disabled={isUnavailable || undefined}
        aria-busy={isBusy || undefined}
        data-status={status}
        onClick={handleClick}
      >
        {typeof children === 'function' ? children(state) : (children ?? label)}
      </button>
      <span role="status" style={hideStatus ? visuallyHidden : { display: 'block', marginTop: '0.5em' }}>
        {text}
      </span>
    </>
  );
}

/**
 * A native button that opens the Mobilians window: a payment, or with `customerUid` a billing key.
 * Unavailable (but focusable) while the SDK loads or a window is in flight; a polite live region
 * announces each status.
 */
export const MobiliansPayButton = forwardRef(MobiliansPayButtonInner) as <Verification = unknown>(
  props: MobiliansPayButtonProps<Verification> & RefAttributes<HTMLButtonElement>,
) => ReactElement;
