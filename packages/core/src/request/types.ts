/** The V1 SDK's `pay_method` codes that KG Mobilians serves through PortOne. */
export type MobiliansPayMethod = 'card' | 'trans' | 'phone';

/** `'mobilians'`, or `'mobilians.<MID>'` when several PG settings exist (billing needs the billing MID). */
export type MobiliansPg = 'mobilians' | `mobilians.${string}`;

/**
 * Which channel serves the window: the deprecated `pg` code or a console `channelKey`, never both. With
 * neither, the kit sends `pg: 'mobilians'`: the KG Mobilians guide lets `pg` be omitted where Mobilians is
 * the merchant's only PG, and naming it is right where there are several (a billing key needs
 * `'mobilians.<MID>'` of the billing MID there).
 */
export type ChannelSelector = { pg?: MobiliansPg; channelKey?: never } | { channelKey: string; pg?: never };

/** Fields shared by a payment and a billing-key request, as `IMP.request_pay` takes them. */
export interface CommonRequestFields {
  /**
   * The merchant's unique order id, at most 40 characters, without control or invisible format characters.
   * A paid one is refused by PortOne (F1002).
   */
  merchant_uid: string;
  /** An integer in KRW. The SDK needs a number: a numeric string is refused. */
  amount: number;
  /**
   * Required by Mobilians: a Korean phone number, 9 to 11 digits starting with 0, optionally grouped with
   * hyphens or spaces (`010-1234-5678`, `01012345678`, `02-1234-1234`).
   */
  buyer_tel: string;
  /** Order name shown in the window, at most 40 characters. */
  name?: string;
  buyer_name?: string;
  buyer_email?: string;
  buyer_addr?: string;
  buyer_postcode?: string;
  /** Where mobile browsers land after the window, as an absolute http(s) URL. */
  m_redirect_url?: string;
  /** Per-payment webhook URL; when set, the console's webhook URL is not called. */
  notice_url?: string | string[];
  /** Echoed back by PortOne (stored as a JSON string). */
  custom_data?: Record<string, unknown>;
  /** True for non-physical goods; PortOne expects it for phone payments. */
  digital?: boolean;
  /** URL scheme that returns to a native app from card or bank apps inside a WebView. */
  app_scheme?: string;
  /** Buyer id at the merchant. */
  customer_id?: string;
}

/** An authenticated payment: the buyer approves this amount in the window. */
export type PaymentRequest = ChannelSelector &
  CommonRequestFields & {
    pay_method: MobiliansPayMethod;
    customer_uid?: never;
  };

/**
 * A billing key issued through the window (Mobilians' non-authenticated flow). The key is mapped 1:1 to
 * `customer_uid` at PortOne; Mobilians issues it for phone payments only.
 */
export type BillingKeyRequest = ChannelSelector &
  CommonRequestFields & {
    pay_method: 'phone';
    /** The merchant's id for this key, at most 80 characters, without control or invisible format characters. */
    customer_uid: string;
  };

/** Anything `IMP.request_pay` is given by this kit. */
export type RequestPayParams = PaymentRequest | BillingKeyRequest;

/** The object the SDK passes to the `request_pay` callback. Only the ids and `error_*` are reliable. */
export interface RequestPayResponse {
  imp_uid?: string | null;
  merchant_uid?: string | null;
  error_code?: string | null;
  error_msg?: string | null;
  /** Dropped by the current SDK; some PGs send `imp_success` instead, sometimes as a string. */
  success?: boolean | 'true' | 'false';
  imp_success?: boolean | 'true' | 'false';
  pay_method?: string;
  paid_amount?: number;
  status?: string;
  [field: string]: unknown;
}

/** The `IMP` global of `iamport.js` (V1), as far as this kit uses it. */
export interface Imp {
  init(merchantCode: string): void;
  agency(merchantCode: string, tierCode: string): void;
  request_pay(params: RequestPayParams, callback?: (response: RequestPayResponse) => void): void;
}
