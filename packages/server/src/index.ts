export type { ChargeRequest, ChargeResult } from './charge.js';
export { createPortoneClient, type PortoneClient } from './client.js';
export type {
  CancelPaymentRequest,
  ScheduledChargeRequest,
  ScheduleRequest,
  UnscheduleRequest,
  VerifyPaymentRequest,
} from './endpoints.js';
export {
  isLostAnswer,
  PortoneApiError,
  PortoneError,
  PortoneNetworkError,
  PortoneTimeoutError,
} from './errors.js';
export * from './issuance.js';
export {
  checkMonthlyCharge,
  type FirstCharge,
  firstChargeOf,
  type MonthlyPlanOptions,
  type MonthlyRuleCheck,
  type MonthlyRuleOptions,
  type MonthlyRuleProblem,
  monthlyDueDay,
  type PlannedCharge,
  planMonthlyCharges,
  type SeoulDate,
  seoulDate,
} from './monthly-rule.js';
export { type NodeHandlerOptions, type NodeRequestLike, type NodeResponseLike, toNodeHandler } from './node-adapter.js';
export type { PortoneClientOptions } from './options.js';
export type { FindPaymentOptions, PaymentSorting, ReadOptions } from './reads.js';
export {
  type ChargeLease,
  type ChargeLeaseStore,
  type ChargeLeases,
  createMemoryChargeLeaseStore,
  type MemoryChargeLeaseStoreOptions,
} from './stores/leases.js';
export {
  type MigrationReport,
  migratePostgresStore,
  type PostgresQueryable,
  type PostgresStoreOptions,
} from './stores/postgres.js';
export {
  createPostgresIdempotencyStore,
  type PostgresIdempotencyStore,
  type PostgresIdempotencyStoreOptions,
} from './stores/postgres-idempotency.js';
export { createPostgresChargeLeaseStore } from './stores/postgres-leases.js';
export type { ClientTimers } from './timers.js';
export type {
  BillingKey,
  BuyerFields,
  Payment,
  PaymentCancellation,
  PaymentStatus,
  PreparedAmount,
  Schedule,
  ScheduleStatus,
} from './types.js';
export {
  type CheckPaymentOptions,
  checkPayment,
  type ExpectedPayment,
  type PaymentMismatch,
  type VerifyPaymentResult,
} from './verify.js';
export {
  createMemoryIdempotencyStore,
  createWebhookHandler,
  type IdempotencyClaim,
  type IdempotencyStore,
  type MemoryIdempotencyStoreOptions,
  PORTONE_WEBHOOK_ADDRESSES,
  type WebhookConnection,
  type WebhookEvent,
  type WebhookHandler,
  type WebhookHandlerOptions,
} from './webhook.js';
