export {
  createFakeImp,
  type FakeImp,
  type FakeImpCall,
  type FakeOutcome,
  type FakePayment,
  type FakePortoneOptions,
  installFakePortone,
} from './fake-imp.js';
export { DECLINE_CHOICES, openPaymentWindow, type WindowChoice } from './window/payment-window.js';
export {
  ALREADY_PAID,
  BUYER_CANCELLED,
  DECLINED,
  RECORDED_STATUS,
  type WindowError,
  type WindowOutcome,
} from './window-answers.js';
