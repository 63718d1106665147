// The records the sandbox keeps, in the shapes PortOne's V1 REST API answers them (snake_case, UNIX seconds).

export type PaymentStatus = 'ready' | 'paid' | 'cancelled' | 'failed';

/** What a billing key was used for in a payment: `null` for a window payment without a key. */
export type CustomerUidUsage = null | 'issue' | 'payment' | 'payment.scheduled';

/** One entry of `Payment.cancel_history`. */
export interface SandboxCancellation {
  pg_tid: string;
  amount: number;
  cancelled_at: number;
  reason: string;
  cancellation_id: string;
  receipt_url: string;
}

/** A payment as `GET /payments/{imp_uid}` answers it (the fields Mobilians fills). */
export interface SandboxPayment {
  imp_uid: string;
  merchant_uid: string;
  pay_method: string;
  /** `api` for billing-key charges. */
  channel: 'pc' | 'mobile' | 'api';
  pg_provider: 'mobilians';
  pg_tid: string | null;
  /** The MID: the part after `mobilians.` in `pg`, else Mobilians' public test service ID. */
  pg_id: string;
  /** Always true: everything here happened on a test channel. */
  sandbox: true;
  escrow: false;
  name: string | null;
  amount: number;
  cancel_amount: number;
  currency: 'KRW';
  buyer_name: string | null;
  buyer_email: string | null;
  buyer_tel: string | null;
  buyer_addr: string | null;
  buyer_postcode: string | null;
  /** A JSON string, as PortOne stores it. */
  custom_data: string | null;
  user_agent: string | null;
  status: PaymentStatus;
  started_at: number;
  /** 0 until paid, as PortOne reports it. */
  paid_at: number;
  failed_at: number;
  cancelled_at: number;
  fail_reason: string | null;
  cancel_reason: string | null;
  receipt_url: string | null;
  cancel_history: SandboxCancellation[];
  cancel_receipt_urls: string[];
  cash_receipt_issued: false;
  customer_uid: string | null;
  customer_uid_usage: CustomerUidUsage;
}

/** A billing key as `GET /subscribe/customers/{customer_uid}` answers it. */
export interface SandboxCustomer {
  customer_uid: string;
  pg_provider: 'mobilians';
  pg_id: string;
  sandbox: true;
  customer_id: string | null;
  /** Mobilians keys are phone payments: no card. */
  card_name: null;
  card_code: null;
  card_number: null;
  card_type: null;
  customer_name: string | null;
  customer_tel: string | null;
  customer_email: string | null;
  customer_addr: string | null;
  customer_postcode: string | null;
  inserted: number;
  updated: number;
}

/** What the monthly rule of a Mobilians billing key remembers. */
export interface SandboxBillingTerms {
  /** The key's first paid charge, or null while none has been made (a key issued with amount 0). */
  first: { amount: number; paid_at: number; imp_uid: string } | null;
  /** Calendar months in Asia/Seoul (`YYYY-MM`) that already have a paid charge on this key. */
  charged_months: string[];
}

export type ScheduleStatus = 'scheduled' | 'executed' | 'revoked';

/** A scheduled charge as `POST /subscribe/payments/schedule` answers it. */
export interface SandboxSchedule {
  customer_uid: string;
  merchant_uid: string;
  /** Null until the schedule has run. */
  imp_uid: string | null;
  schedule_at: number;
  executed_at: number;
  revoked_at: number;
  amount: number;
  currency: 'KRW';
  name: string;
  buyer_name: string | null;
  buyer_email: string | null;
  buyer_tel: string | null;
  buyer_addr: string | null;
  buyer_postcode: string | null;
  custom_data: string | null;
  schedule_status: ScheduleStatus;
  payment_status: PaymentStatus | null;
  fail_reason: string | null;
}

/** An amount registered with `POST /payments/prepare`. */
export interface SandboxPrepared {
  merchant_uid: string;
  amount: number;
  currency: 'KRW';
}

/** What `POST /users/getToken` answers, in UNIX seconds. */
export interface AccessToken {
  access_token: string;
  now: number;
  expired_at: number;
}

/** What PortOne posts to a webhook URL. */
export interface WebhookPayload {
  imp_uid: string;
  merchant_uid: string;
  status: PaymentStatus;
  /** Set for cancellations. */
  cancellation_id?: string;
}
