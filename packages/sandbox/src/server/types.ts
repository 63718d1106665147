import type {
  BillingKey,
  CustomerUidUsage,
  Payment,
  PaymentCancellation,
  PreparedAmount,
  Schedule,
} from '@portone-kit/core/rest';

// The records the sandbox keeps: PortOne's shapes from `@portone-kit/core/rest`, the model the server
// client reads, narrowed to what a Mobilians test channel answers. Each extends its model, so a sandbox
// record that stopped fitting it fails to compile; test/server/rest-model.node.test.ts checks the keys.
export type {
  AccessToken,
  CustomerUidUsage,
  PaymentStatus,
  ScheduleStatus,
  WebhookPayload,
} from '@portone-kit/core/rest';

/** Every field of `T` present: the sandbox answers each one, null (or 0) when empty, as PortOne does. */
type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/** One entry of `Payment.cancel_history`. */
export interface SandboxCancellation extends Filled<PaymentCancellation> {
  receipt_url: string;
}

/** A payment as `GET /payments/{imp_uid}` answers it (the fields Mobilians fills). */
export interface SandboxPayment extends Filled<Payment> {
  pay_method: string;
  /** `api` for billing-key charges. */
  channel: 'pc' | 'mobile' | 'api';
  pg_provider: 'mobilians';
  /** The MID: the part after `mobilians.` in `pg`, else Mobilians' public test service ID. */
  pg_id: string;
  /** Always true: everything here happened on a test channel. */
  sandbox: true;
  escrow: false;
  currency: 'KRW';
  started_at: number;
  /** 0 until paid, as PortOne reports it. */
  paid_at: number;
  failed_at: number;
  cancelled_at: number;
  cancel_history: SandboxCancellation[];
  cancel_receipt_urls: string[];
  cash_receipt_issued: false;
  /** Null for a window payment without a billing key. */
  customer_uid_usage: CustomerUidUsage | null;
}

/** A billing key as `GET /subscribe/customers/{customer_uid}` answers it. */
export interface SandboxCustomer extends Filled<BillingKey> {
  pg_provider: 'mobilians';
  sandbox: true;
  /** Mobilians keys are phone payments: no card. */
  card_name: null;
  card_code: null;
  card_number: null;
  card_type: null;
}

/** What the monthly rule of a Mobilians billing key remembers. */
export interface SandboxBillingTerms {
  /** The key's first paid charge, or null while none has been made (a key issued with amount 0). */
  first: { amount: number; paid_at: number; imp_uid: string } | null;
  /** Calendar months in Asia/Seoul (`YYYY-MM`) that already have a paid charge on this key. */
  charged_months: string[];
}

/** A scheduled charge as `POST /subscribe/payments/schedule` answers it. */
export interface SandboxSchedule extends Filled<Schedule> {
  currency: 'KRW';
}

/** An amount registered with `POST /payments/prepare`. */
export interface SandboxPrepared extends PreparedAmount {
  currency: 'KRW';
}
