export {
  MobiliansPayButton,
  type MobiliansPayButtonProps,
  type PayButtonState,
} from './components/MobiliansPayButton.js';
export { type AnnouncedStatus, englishMessages, koreanMessages, type PortoneMessages } from './components/messages.js';
export {
  RedirectResultHandler,
  type RedirectResultHandlerProps,
  type RedirectState,
  type RedirectStatus,
} from './components/RedirectResultHandler.js';
export type { FlowController } from './flow/controller.js';
export type { FlowOutcome, StartOptions, Verify } from './flow/outcome.js';
export type { PendingIntent } from './flow/pending-intent.js';
export type { PortoneOptions } from './options.js';
export { PortoneProvider, type PortoneProviderProps } from './provider.js';
export type { SdkController } from './sdk/use-sdk.js';
export { type UsePortone, usePortone } from './use-portone.js';
