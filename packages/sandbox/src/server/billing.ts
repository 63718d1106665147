import { toSeconds } from './clock.js';
import { monthlyRuleViolation, seoulMonthAt } from './monthly-rule.js';
import type { SandboxState } from './store.js';
import type { SandboxCustomer, SandboxPayment } from './types.js';

/** A charge on a billing key, from `again` or a due schedule. */
export interface BillingCharge {
  customer: SandboxCustomer;
  merchantUid: string;
  amount: number;
  name: string;
  buyer: Pick<SandboxPayment, 'buyer_name' | 'buyer_email' | 'buyer_tel' | 'buyer_addr' | 'buyer_postcode'>;
  customData: string | null;
  noticeUrls: readonly string[];
  usage: 'payment' | 'payment.scheduled';
  atMs: number;
}

/**
 * Charges a billing key as KG Mobilians would: paid when the monthly rule holds, else a `failed` payment
 * whose `fail_reason` names the broken rule (PortOne reports PG declines with code 0 and that status).
 * A paid charge is remembered by the key's monthly terms; the first one fixes its amount and day.
 */
export function chargeBillingKey(state: SandboxState, charge: BillingCharge): SandboxPayment {
  const { customer } = charge;
  const terms = state.billingTerms.get(customer.customer_uid) ?? { first: null, charged_months: [] };
  state.billingTerms.set(customer.customer_uid, terms);
  const violation = monthlyRuleViolation(terms, charge.amount, charge.atMs);
  const seconds = toSeconds(charge.atMs);
  const payment = state.addPayment(
    {
      merchant_uid: charge.merchantUid,
      pay_method: 'phone',
      channel: 'api',
      pg_id: customer.pg_id,
      amount: charge.amount,
      name: charge.name,
      // The key's holder is the buyer unless the charge names another.
      buyer_name: charge.buyer.buyer_name ?? customer.customer_name,
      buyer_email: charge.buyer.buyer_email ?? customer.customer_email,
      buyer_tel: charge.buyer.buyer_tel ?? customer.customer_tel,
      buyer_addr: charge.buyer.buyer_addr ?? customer.customer_addr,
      buyer_postcode: charge.buyer.buyer_postcode ?? customer.customer_postcode,
      custom_data: charge.customData,
      started_at: seconds,
      customer_uid: customer.customer_uid,
      customer_uid_usage: charge.usage,
      ...(violation === null
        ? { status: 'paid', paid_at: seconds }
        : { status: 'failed', failed_at: seconds, fail_reason: violation }),
    },
    charge.noticeUrls,
  );
  if (violation === null) {
    terms.first ??= { amount: charge.amount, paid_at: seconds, imp_uid: payment.imp_uid };
    terms.charged_months.push(seoulMonthAt(charge.atMs));
  }
  return payment;
}
