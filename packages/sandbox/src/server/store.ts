/// <reference types="node" />
import { randomBytes, randomInt } from 'node:crypto';
import type {
  SandboxBillingTerms,
  SandboxCustomer,
  SandboxPayment,
  SandboxPrepared,
  SandboxSchedule,
} from './types.js';

/** What a test may read of the sandbox's records. Change them through the API only. */
export interface SandboxStore {
  /** Payments by `imp_uid`, oldest first. */
  readonly payments: ReadonlyMap<string, Readonly<SandboxPayment>>;
  /** Billing keys by `customer_uid`. */
  readonly customers: ReadonlyMap<string, Readonly<SandboxCustomer>>;
  /** The monthly rule's memory of each billing key, by `customer_uid`. */
  readonly billingTerms: ReadonlyMap<string, Readonly<SandboxBillingTerms>>;
  /** Scheduled charges by `merchant_uid`. */
  readonly schedules: ReadonlyMap<string, Readonly<SandboxSchedule>>;
  /** Amounts registered with `POST /payments/prepare`, by `merchant_uid`. */
  readonly prepared: ReadonlyMap<string, Readonly<SandboxPrepared>>;
  /** Every payment made for `merchantUid`, oldest first. */
  paymentsFor(merchantUid: string): Readonly<SandboxPayment>[];
}

/** What a new payment needs; everything else starts empty. */
export type NewPayment = Pick<
  SandboxPayment,
  'merchant_uid' | 'pay_method' | 'channel' | 'pg_id' | 'amount' | 'status' | 'started_at'
> &
  Partial<Omit<SandboxPayment, 'imp_uid' | 'sandbox' | 'pg_provider' | 'currency'>>;

/** Mobilians' public test service ID, the MID of payments whose `pg` names none. */
export const DEFAULT_MID = '170622040674';

/** The records, writable by the sandbox's own handlers. */
export class SandboxState implements SandboxStore {
  readonly payments = new Map<string, SandboxPayment>();
  /** The same payments by `merchant_uid`, oldest first: a lookup never scans the whole store. */
  private readonly byMerchantUid = new Map<string, SandboxPayment[]>();
  readonly customers = new Map<string, SandboxCustomer>();
  readonly billingTerms = new Map<string, SandboxBillingTerms>();
  readonly schedules = new Map<string, SandboxSchedule>();
  readonly prepared = new Map<string, SandboxPrepared>();
  /** Where each payment's webhooks go, by `imp_uid`; not part of PortOne's payment object. */
  readonly noticeUrls = new Map<string, string[]>();
  /** Where each schedule's webhook goes, by `merchant_uid`; not part of PortOne's schedule object. */
  readonly scheduleNoticeUrls = new Map<string, string[]>();

  paymentsFor(merchantUid: string): SandboxPayment[] {
    return [...(this.byMerchantUid.get(merchantUid) ?? [])];
  }

  /** The paid payment of `merchantUid`, if any: PortOne refuses to charge a paid merchant_uid again. */
  paidPayment(merchantUid: string): SandboxPayment | undefined {
    return this.paymentsFor(merchantUid).find((payment) => payment.status === 'paid');
  }

  /** Records a payment with every field PortOne reports, the ones not given empty; `paid_at` etc. 0. */
  addPayment(fields: NewPayment, noticeUrls: readonly string[]): SandboxPayment {
    const payment: SandboxPayment = {
      imp_uid: this.newImpUid(),
      pg_provider: 'mobilians',
      pg_tid: fields.status === 'ready' ? null : randomId('mobilians_'),
      sandbox: true,
      escrow: false,
      name: null,
      cancel_amount: 0,
      currency: 'KRW',
      buyer_name: null,
      buyer_email: null,
      buyer_tel: null,
      buyer_addr: null,
      buyer_postcode: null,
      custom_data: null,
      user_agent: null,
      paid_at: 0,
      failed_at: 0,
      cancelled_at: 0,
      fail_reason: null,
      cancel_reason: null,
      // Mobilians issues no sales slip through PortOne.
      receipt_url: null,
      cancel_history: [],
      cancel_receipt_urls: [],
      cash_receipt_issued: false,
      customer_uid: null,
      customer_uid_usage: null,
      ...fields,
    };
    this.payments.set(payment.imp_uid, payment);
    const ofMerchantUid = this.byMerchantUid.get(payment.merchant_uid);
    if (ofMerchantUid) ofMerchantUid.push(payment);
    else this.byMerchantUid.set(payment.merchant_uid, [payment]);
    this.noticeUrls.set(payment.imp_uid, [...noticeUrls]);
    return payment;
  }

  /** A fresh `imp_` + 12 digits, the shape of PortOne's ids. */
  private newImpUid(): string {
    for (;;) {
      const impUid = `imp_${randomInt(100_000_000_000, 1_000_000_000_000)}`;
      if (!this.payments.has(impUid)) return impUid;
    }
  }
}

/** A random id for PG transaction and cancellation numbers. */
export const randomId = (prefix: string): string => `${prefix}${randomBytes(8).toString('hex')}`;
