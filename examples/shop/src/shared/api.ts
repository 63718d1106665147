// The JSON the shop's server answers and the browser reads. Amounts are whole won; times are ISO strings.

export type PayMethod = 'card' | 'trans' | 'phone';

/**
 * An order's state, as the shop's server decides it from PortOne's own record (never from the browser):
 * - `pending`: created, not paid yet (a closed window leaves it here, payable again);
 * - `paid`: PortOne reports it paid for exactly the order's amount;
 * - `failed`: the last attempt was declined (payable again);
 * - `refused`: PortOne reports a payment that does not match the order (another amount): refunded;
 * - `cancelled`: paid, then refunded (e.g. from PortOne's console); or a scheduled monthly charge revoked
 *   before it ran (the subscription was cancelled).
 */
export type OrderStatus = 'pending' | 'paid' | 'failed' | 'refused' | 'cancelled';

export type OrderKind = 'checkout' | 'subscription-first' | 'subscription-month';

export interface OrderLine {
  sku: string;
  name: string;
  unitPrice: number;
  quantity: number;
}

export interface Order {
  merchantUid: string;
  kind: OrderKind;
  name: string;
  amount: number;
  lines: OrderLine[];
  buyerName: string;
  buyerTel: string;
  status: OrderStatus;
  /** The PortOne payment this state comes from, once there is one. */
  impUid: string | null;
  payMethod: string | null;
  /** Why the last attempt failed or why the payment was refused, in the buyer's language. */
  statusReason: string | null;
  /** Refund of a refused payment: requested, done, or failed (to be retried by an operator). */
  refund: 'requested' | 'done' | 'failed' | null;
  subscriptionId: string | null;
  createdAt: string;
  paidAt: string | null;
  updatedAt: string;
}

export interface Product {
  sku: string;
  name: string;
  description: string;
  price: number;
}

export interface Plan {
  id: string;
  name: string;
  monthlyPrice: number;
}

export interface ShopConfig {
  mode: 'sandbox' | 'portone';
  merchantCode: string;
  /** The SDK script; null means the kit's default, PortOne's CDN. */
  sdkSrc: string | null;
  /** `pg` for window payments. */
  pg: string;
  /** `pg` for billing keys: `mobilians.<MID of the billing service>`. */
  billingPg: string;
  /** The demo clock (sandbox only) can be read and moved. */
  demoClock: boolean;
  /** On the sandbox: whether issuing a billing key charges the window's amount. Null on real PortOne. */
  billingKeyIssuance: 'charges' | 'charges-nothing' | null;
}

export type SubscriptionStatus = 'pending' | 'active' | 'cancelled';

/**
 * How a subscription's monthly charges are made after the first month:
 * - `on-demand`: the shop's server charges the billing key (`again`) when asked, under KG Mobilians' rule;
 * - `scheduled`: the shop registers each next charge with PortOne (`/subscribe/payments/schedule`), which
 *   runs it on its due date and reports it by webhook.
 */
export type BillingMode = 'on-demand' | 'scheduled';

/**
 * What issuing the billing key did with the first month's amount (which a shop cannot know beforehand):
 * - `paid-at-issuance`: the window charged it (PortOne's Korean guides);
 * - `not-charged`: the window charged nothing (KG Mobilians' English guide), and the shop charged the first
 *   month with the key (`again`) itself, once.
 */
export type FirstCharge = 'paid-at-issuance' | 'not-charged';

export interface Subscription {
  id: string;
  customerUid: string;
  plan: Plan;
  amount: number;
  buyerName: string;
  buyerTel: string;
  status: SubscriptionStatus;
  /** The order whose window issues the key (and pays the first month, when issuance charges). */
  firstOrderUid: string;
  billing: BillingMode;
  /** Null until the key is issued. */
  firstCharge: FirstCharge | null;
  /** The charge registered with PortOne's schedule, in the scheduled mode: its order and time. */
  scheduledCharge: { merchantUid: string; at: string } | null;
  firstPaidAt: string | null;
  /** The next charge KG Mobilians' rule allows: the first charge's day, next month or later. */
  nextDueAt: string | null;
  createdAt: string;
  cancelledAt: string | null;
  charges: Order[];
}

export interface ClockState {
  now: string;
  /** The same instant as a date and time in Seoul, for display. */
  seoul: string;
}

/** Every error the API answers: a message for the buyer, in Korean. */
export interface ApiError {
  error: string;
  order?: Order;
}

export interface PaymentSyncAnswer {
  order: Order;
  /** True only when the order is paid by this payment (a billing key's: when the first month is paid). */
  verified: boolean;
  message: string;
  /** For a billing key's window: whether issuance charged the first month, or the shop charged it after. */
  firstCharge?: FirstCharge;
}
