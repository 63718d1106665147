import type { FlowError, FlowKind, FlowStatus } from '@portone-kit/core';

/** Every text the components show or announce. Replace any of them through the `messages` prop. */
export interface PortoneMessages {
  /** Button label of a payment. */
  pay: string;
  /** Button label of a billing-key request. */
  issueBillingKey: string;
  /** Button label after the SDK failed to load: a click loads it again. */
  retry: string;
  /** Button label once a payment succeeded: it no longer invites a click. */
  paid: string;
  /** Button label once a billing key was issued. */
  billingKeyIssued: string;
  loading: string;
  sdkError: string;
  requesting: string;
  redirecting: string;
  verifying: string;
  paySucceeded: string;
  billingKeySucceeded: string;
  unverified: string;
  /** A payment failed; the PG's reason follows it when there is one. */
  failed: string;
  /** A billing-key registration failed; the PG's reason follows it when there is one. */
  billingKeyFailed: string;
  /** The window gave no answer in time; the buyer may still have paid. */
  timeout: string;
  /** Your server could not confirm the payment; a click asks it again. */
  verifyFailed: string;
  /** Button label after a failed verification. */
  verifyAgain: string;
  /** The buyer closed the window (a payment or a billing key). */
  cancelled: string;
  /** The redirect page could not read the result it was given. */
  unknownResult: string;
  /** The redirect page found no result in its URL. */
  noResult: string;
  /** The result in the URL is for another order than the one this tab started. */
  mismatch: string;
  /** Link from the redirect page back to the page that started the flow. */
  back: string;
}

/** The components' default texts, in Korean. */
export const koreanMessages: PortoneMessages = {
  pay: '결제하기',
  issueBillingKey: '정기결제 등록하기',
  retry: '다시 시도하기',
  paid: '결제 완료',
  billingKeyIssued: '정기결제 등록 완료',
  loading: '결제 모듈을 불러오는 중입니다.',
  sdkError: '결제 모듈을 불러오지 못했습니다. 다시 시도해 주세요.',
  requesting: '결제창에서 결제를 진행해 주세요.',
  redirecting: '결제 페이지로 이동합니다.',
  verifying: '결제 결과를 확인하고 있습니다.',
  paySucceeded: '결제가 완료되었습니다.',
  billingKeySucceeded: '정기결제 등록이 완료되었습니다.',
  unverified: '결제창이 닫혔습니다. 주문 내역에서 결제 여부를 확인해 주세요.',
  failed: '결제에 실패했습니다.',
  billingKeyFailed: '정기결제 등록에 실패했습니다.',
  timeout: '결제창의 응답이 없습니다. 주문 내역에서 결제 여부를 확인해 주세요.',
  verifyFailed: '결제를 확인하지 못했습니다. 다시 확인해 주세요.',
  verifyAgain: '결제 다시 확인하기',
  cancelled: '결제창을 닫았습니다.',
  unknownResult: '결제 결과를 확인할 수 없습니다. 주문 내역에서 결제 여부를 확인해 주세요.',
  noResult: '확인할 결제 결과가 없습니다.',
  mismatch: '이 창에서 시작한 주문과 결제 결과가 일치하지 않습니다.',
  back: '이전 페이지로 돌아가기',
};

/** The texts in English, to pass as the components' `messages` (whole, or merged with your own). */
export const englishMessages: PortoneMessages = {
  pay: 'Pay',
  issueBillingKey: 'Set up monthly billing',
  retry: 'Try again',
  paid: 'Paid',
  billingKeyIssued: 'Monthly billing set up',
  loading: 'Loading the payment module.',
  sdkError: 'The payment module could not be loaded. Please try again.',
  requesting: 'Please complete the payment in the payment window.',
  redirecting: 'Going to the payment page.',
  verifying: 'Checking the payment result.',
  paySucceeded: 'Payment complete.',
  billingKeySucceeded: 'Monthly billing is set up.',
  unverified: 'The payment window closed. Please check your orders for the payment.',
  failed: 'The payment failed.',
  billingKeyFailed: 'Monthly billing could not be set up.',
  timeout: 'The payment window did not answer. Please check your orders for the payment.',
  verifyFailed: 'The payment could not be confirmed. Please check again.',
  verifyAgain: 'Check the payment again',
  cancelled: 'The payment window was closed.',
  unknownResult: 'The payment result could not be read. Please check your orders for the payment.',
  noResult: 'There is no payment result to check.',
  mismatch: 'This payment result is for another order than the one started in this tab.',
  back: 'Back to the previous page',
};

/** A flow's status, or before any flow the SDK's: what the button shows and announces. */
export type AnnouncedStatus = Exclude<FlowStatus, 'idle'> | 'loading' | 'sdk-error' | 'ready';

/**
 * What the live region says in a status; `''` where nothing needs saying. A failure names its flow and,
 * after a decline, the PG's reason ("결제에 실패했습니다. 한도초과").
 */
export function announcement(
  messages: PortoneMessages,
  status: AnnouncedStatus,
  flow: FlowKind,
  error?: FlowError | null,
): string {
  const pay = flow === 'pay';
  switch (status) {
    case 'ready':
      return '';
    case 'sdk-error':
      return messages.sdkError;
    case 'succeeded':
      return pay ? messages.paySucceeded : messages.billingKeySucceeded;
    case 'failed':
      if (error?.kind === 'timeout') return messages.timeout;
      if (error?.kind === 'verification') return messages.verifyFailed;
      return [pay ? messages.failed : messages.billingKeyFailed, error?.kind === 'payment' && error.result.message]
        .filter(Boolean)
        .join(' ');
    default:
      return messages[status];
  }
}
/** Hides from sight, not from screen readers. */
export const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;
