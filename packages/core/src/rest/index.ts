// PortOne's V1 REST records, as its API answers them: snake_case fields, times in UNIX seconds.
// Types only, so importing this module adds nothing to a bundle. The server client reads these shapes and
// the sandbox answers them (narrowed, see its SandboxPayment); a type test keeps the two in step.
// Fields PortOne documents as optional are optional here, and may also come as null.

/**
 * A payment's status: `ready` (started, not paid), `paid`, `failed` (refused) or `cancelled` (refunded).
 * A partial refund may leave it `paid`: what is left is `amount - cancel_amount`.
 */
export type PaymentStatus = 'ready' | 'paid' | 'cancelled' | 'failed';

/** What a billing key was used for in a payment. */
export type CustomerUidUsage = 'issue' | 'payment' | 'payment.scheduled';

/** PortOne's answer to every REST call: `code` 0 and a `response`, or a non-zero code and a `message`. */
export interface Envelope<T> {
  code: number;
  message: string | null;
  response: T | null;
}

/** One refund in `Payment.cancel_history`. */
export interface PaymentCancellation {
  pg_tid: string;
  amount: number;
  /** UNIX seconds. */
  cancelled_at: number;
  reason: string;
  cancellation_id: string;
  receipt_url?: string | null;
}

/** The buyer and merchant data a payment or a schedule carries. */
export interface OrderFields {
  buyer_name?: string | null;
  buyer_email?: string | null;
  buyer_tel?: string | null;
  buyer_addr?: string | null;
  buyer_postcode?: string | null;
  /** A JSON string, as PortOne stores it. */
  custom_data?: string | null;
}

/** A payment, as `GET /payments/{imp_uid}` answers it (the fields KG Mobilians fills, and the required ones). */
export interface Payment extends OrderFields {
  imp_uid: string;
  merchant_uid: string;
  amount: number;
  /** How much has been refunded; what is left to refund is `amount - cancel_amount`. */
  cancel_amount: number;
  currency: string;
  status: PaymentStatus;
  /** True for a payment on a test channel: never accept one as paid in production. */
  sandbox: boolean;
  pay_method?: string | null;
  /** `api` for a billing-key charge. */
  channel?: 'pc' | 'mobile' | 'api' | null;
  pg_provider?: string | null;
  pg_tid?: string | null;
  /** The MID. */
  pg_id?: string | null;
  escrow?: boolean | null;
  name?: string | null;
  user_agent?: string | null;
  /** UNIX seconds; 0 when it did not happen. */
  started_at?: number | null;
  paid_at?: number | null;
  failed_at?: number | null;
  cancelled_at?: number | null;
  /** Why the PG refused the payment, for `failed` ones. */
  fail_reason?: string | null;
  cancel_reason?: string | null;
  receipt_url?: string | null;
  cancel_history?: PaymentCancellation[] | null;
  /** Deprecated by PortOne in favour of `cancel_history[].receipt_url`. */
  cancel_receipt_urls?: string[] | null;
  cash_receipt_issued?: boolean | null;
  customer_uid?: string | null;
  customer_uid_usage?: CustomerUidUsage | null;
}

/** A billing key, as `GET /subscribe/customers/{customer_uid}` answers it. Mobilians keys carry no card. */
export interface BillingKey {
  customer_uid: string;
  pg_provider: string;
  pg_id: string;
  sandbox: boolean;
  card_name: string | null;
  /** UNIX seconds. */
  inserted: number;
  updated: number;
  customer_id?: string | null;
  card_code?: string | null;
  card_number?: string | null;
  card_type?: number | null;
  customer_name?: string | null;
  customer_tel?: string | null;
  customer_email?: string | null;
  customer_addr?: string | null;
  customer_postcode?: string | null;
}

/**
 * A scheduled charge's status: `scheduled` (waiting for its time), `executed` (it ran: `payment_status`
 * says whether it paid) or `revoked` (unscheduled before it ran).
 */
export type ScheduleStatus = 'scheduled' | 'executed' | 'revoked';

/** A scheduled charge, as `POST /subscribe/payments/schedule` answers it. */
export interface Schedule extends OrderFields {
  customer_uid: string;
  merchant_uid: string;
  /** Null until the schedule has run. */
  imp_uid: string | null;
  /** UNIX seconds. */
  schedule_at: number;
  executed_at: number;
  revoked_at: number;
  amount: number;
  currency: string;
  name: string;
  schedule_status: ScheduleStatus;
  payment_status: PaymentStatus | null;
  fail_reason: string | null;
}

/** An amount registered with `POST /payments/prepare`. */
export interface PreparedAmount {
  merchant_uid: string;
  amount: number;
  currency: string;
}

/** What `POST /users/getToken` answers, in UNIX seconds. */
export interface AccessToken {
  access_token: string;
  now: number;
  expired_at: number;
}

/** What PortOne posts to a webhook URL (as JSON or as a form). V1 signs nothing: re-query the payment. */
export interface WebhookPayload {
  imp_uid: string;
  merchant_uid: string;
  status: PaymentStatus;
  /** Set for cancellations. */
  cancellation_id?: string;
}
