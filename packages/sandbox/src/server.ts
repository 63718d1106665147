/// <reference types="node" />
// The Node side of the sandbox: PortOne's V1 REST API on 127.0.0.1. Kept apart from the package's main
// entry, which browsers load. The reference above gives the build Node's types (its tsconfig names none).
//
// Where PortOne's behaviour is not documented (UNCONFIRMED), the sandbox chooses, and says so where it
// does it:
// - include_sandbox=true is needed on the find routes too, not only on GET /payments/{imp_uid};
// - a partial cancel leaves status 'paid'; phone payments refuse partial cancels and cancels after the
//   month of payment; a cancel webhook says 'cancelled' even for a partial one;
// - `again` and schedules require `name` (as the OpenAPI document does);
// - a buyer's cancel in the window records the payment as 'ready', in the in-memory fake too (window-answers.ts);
// - a billing key issued with amount 0 records a paid payment of 0 (usage 'issue') and sends no webhook;
//   so does any billing key under `billingKeyIssuance: 'charges-nothing'` (the default, 'charges', charges
//   the window's amount at issuance);
// - Mobilians' monthly rule counts the last day of a month that lacks the first payment's day;
// - a due schedule runs as of its schedule_at; a prepare with another amount for the same merchant_uid
//   is refused; messages and non-zero codes are the sandbox's own wording.
export { type ClockOptions, createClock, type SandboxClock } from './server/clock.js';
export type { SandboxFault, SandboxFaults } from './server/faults.js';
export {
  type BillingKeyIssuance,
  type Sandbox,
  type SandboxLogger,
  type SandboxRequest,
  type StartSandboxOptions,
  startSandbox,
} from './server/sandbox.js';
export type { SandboxStore } from './server/store.js';
export type {
  AccessToken,
  CustomerUidUsage,
  PaymentStatus,
  SandboxBillingTerms,
  SandboxCancellation,
  SandboxCustomer,
  SandboxPayment,
  SandboxPrepared,
  SandboxSchedule,
  ScheduleStatus,
  WebhookPayload,
} from './server/types.js';
export type { WaitingRequest, WaitStage } from './server/waiting.js';
export type { SandboxWebhooks, WebhookDelivery, WebhookFormat } from './server/webhooks.js';
