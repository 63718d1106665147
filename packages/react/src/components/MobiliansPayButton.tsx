import type {
  BillingKeyRequest,
  CancelledResult,
  FlowError,
  FlowKind,
  PaymentRequest,
  PaymentResult,
  PortoneLoadError,
} from '@portone-kit/core';
import { clsx } from 'clsx';
import {
  type ButtonHTMLAttributes,
  type ForwardedRef,
  forwardRef,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
  type RefAttributes,
  useEffect,
  useRef,
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

export type MobiliansPayButtonProps<Verification = unknown> = Omit<
  ButtonHTMLAttributes<HTMLButtonElement>,
  'type' | 'children' | 'className'
> &
  FlowRequestProps & {
    /** Your server's check of the result. Without it a completed window ends `unverified`, never `succeeded`. */
    verify?: Verify<Verification> | undefined;
    /** Called once per attempt: `succeeded` after `verify`, or `unverified` without one. */
    onSuccess?: ((outcome: SuccessOutcome<Verification>) => void) | undefined;
    /** The PG refused, `verify` threw, the request was invalid or the SDK was not ready. */
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

  const status: AnnouncedStatus =
    flow.status !== 'idle' ? flow.status : sdk.isError ? 'sdk-error' : sdk.isReady ? 'ready' : 'loading';
  // A window that completed for this order is not opened again: a new merchant_uid makes the button available.
  const settledState = flow.state;
  const done =
    (settledState.status === 'succeeded' || settledState.status === 'unverified') &&
    settledState.request.merchant_uid === request.merchant_uid;
  const isBusy = status === 'loading' || flow.isInFlight;
  const isUnavailable = Boolean(disabled) || isBusy || done;
  const state: PayButtonState = {
    status,
    flow: kind,
    isUnavailable,
    isBusy,
    result: flow.result,
    error: flow.error ?? sdk.error,
  };

  // Callbacks follow the state of this button's own flow, once per attempt and outcome, with the latest
  // props: a timeout's onFailure may be followed by the late answer's onSuccess.
  const notified = useRef('');
  useEffect(() => {
    const current = flow.state;
    const key = `${current.attempt}:${current.status}`;
    if (key === notified.current) return;
    const { onSuccess, onFailure, onCancel } = latest.current;
    switch (current.status) {
      case 'succeeded':
        onSuccess?.({
          status: 'succeeded',
          result: current.result,
          verification: current.verification as Verification,
        });
        break;
      case 'unverified':
        onSuccess?.({ status: 'unverified', result: current.result });
        break;
      case 'failed':
        onFailure?.(current.error);
        break;
      case 'cancelled':
        onCancel?.(current.result);
        break;
      default:
        return;
    }
    notified.current = key;
  }, [flow.state, latest]);

  // A payment the server could not confirm may be real: a click asks the server again, never the window.
  const verificationFailed = flow.error?.kind === 'verification';

  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    onClick?.(event);
    if (event.defaultPrevented) return;
    if (status === 'sdk-error' && !disabled) return sdk.retry();
    if (isUnavailable) return;
    if (verificationFailed) return void flow.reverify();
    const options = latest.current.verify
      ? { verify: (result: Parameters<Verify>[0]) => (latest.current.verify as Verify<Verification>)(result) }
      : {};
    if (customerUid === undefined) void pay.start(request as PaymentRequest, options);
    else void issueBillingKey.start({ ...request, customer_uid: customerUid } as BillingKeyRequest, options);
  };

  const label =
    status === 'sdk-error'
      ? messages.retry
      : verificationFailed
        ? messages.verifyAgain
        : kind === 'pay'
          ? messages.pay
          : messages.issueBillingKey;
  const text =
    flow.error?.kind === 'timeout'
      ? messages.timeout
      : verificationFailed
        ? messages.verifyFailed
        : announcement(messages, status, kind);
  return (
    <>
      <button
        {...buttonProps}
        ref={ref}
        type="button"
        className={clsx(typeof className === 'function' ? className(state) : className) || undefined}
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
