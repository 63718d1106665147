export {
  DEFAULT_SDK_SRC,
  type LoadPortoneOptions,
  loadPortone,
  PortoneLoadError,
  type PortoneLoadErrorCode,
  unloadPortone,
} from './loader/load-portone.js';
export { createWindowLock, pageWindowLock, type WindowLock } from './loader/window-lock.js';
export {
  type BillingKeyState,
  type FlowError,
  type FlowEvent,
  type FlowKind,
  type FlowOutcome,
  type FlowState,
  type FlowStatus,
  flowReducer,
  initialFlowState,
  isFlowInFlight,
  mayBePaid,
  outcomeOf,
  type PayState,
  resultOf,
} from './machine/flow-machine.js';
export {
  initialRedirectState,
  type RedirectEvent,
  type RedirectMachineState,
  type RedirectStatus,
  redirectReducer,
} from './machine/redirect-machine.js';
export { initialSdkState, type SdkEvent, type SdkState, type SdkStatus, sdkReducer } from './machine/sdk-machine.js';
export type {
  BillingKeyRequest,
  ChannelSelector,
  CommonRequestFields,
  Imp,
  MobiliansPayMethod,
  MobiliansPg,
  PaymentRequest,
  RequestPayParams,
  RequestPayResponse,
} from './request/types.js';
export {
  checkBillingKeyRequest,
  checkPaymentRequest,
  type RequestCheck,
  type ValidationProblem,
  validateBillingKeyRequest,
  validatePaymentRequest,
} from './request/validate.js';
export { interpretPaymentResponse } from './result/interpret.js';
export { buildRedirectUrl, parseRedirectResult, REDIRECT_FIELDS, type RedirectField } from './result/redirect.js';
export { safeReturnPath } from './result/return-path.js';
export type {
  CancelledResult,
  CompletedResult,
  FailedResult,
  InvalidRedirectResult,
  PaymentResult,
  RedirectResult,
} from './result/types.js';
