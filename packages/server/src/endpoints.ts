import type { PortoneClient } from './client.js';
import { buyerBody, customDataText, requireAmount, requireText, segment } from './fields.js';
import { findSpec, paymentSpec, readOrNull } from './reads.js';
import { isBillingKey, isPayment, isPreparedAmount, isSchedule, isScheduleList } from './shapes.js';
import type { CallSpec, Transport } from './transport.js';
import type { BuyerFields } from './types.js';
import { type CheckPaymentOptions, checkPayment, type ExpectedPayment } from './verify.js';

/** What `cancelPayment` refunds: a payment by `impUid` or by `merchantUid` (one of the two), and how much. */
export type CancelPaymentRequest = (
  | { impUid: string; merchantUid?: undefined }
  | { merchantUid: string; impUid?: undefined }
) & {
  /** Won to refund; leave it out for everything left. (KG Mobilians phone payments refund in full only.) */
  amount?: number;
  /**
   * The refundable balance you believe the payment has. PortOne refuses the cancel when it differs, so a
   * cancel sent again after a lost answer cannot refund twice. Recommended.
   */
  checksum?: number;
  reason?: string;
  /** Have PortOne send the cancellation webhook. Default false, as PortOne's. */
  enableWebhook?: boolean;
};

export interface ScheduledChargeRequest extends BuyerFields {
  /** Your id for this charge, unique, at most 40 characters. */
  merchantUid: string;
  /** When PortOne charges it. `planMonthlyCharges` gives times that pass KG Mobilians' rule. */
  at: Date;
  amount: number;
  name: string;
  customData?: unknown;
  noticeUrl?: string;
}

/** What `scheduleCharges` registers: future charges on the billing key `customerUid`. */
export interface ScheduleRequest {
  customerUid: string;
  /** All or none: PortOne registers every one or refuses them all. */
  schedules: readonly ScheduledChargeRequest[];
}

/**
 * What `unscheduleCharges` revokes: the pending schedules of `merchantUids` (only `customerUid`'s, when it is
 * given too), or every pending schedule of `customerUid`.
 */
export type UnscheduleRequest =
  | { customerUid: string; merchantUids?: readonly string[] }
  | { customerUid?: undefined; merchantUids: readonly string[] };

/** What `verifyPayment` checks: the payment `impUid` against your order (`expected`). */
export interface VerifyPaymentRequest extends CheckPaymentOptions {
  impUid: string;
  expected: ExpectedPayment;
}

/** Every call of the client but the charge, each one request (with the transport's retries for reads). */
export type Endpoints = Omit<PortoneClient, 'chargeBillingKey'>;

const scheduleEntry = (entry: ScheduledChargeRequest, index: number) => {
  if (!(entry.at instanceof Date) || Number.isNaN(entry.at.getTime())) {
    throw new TypeError(`schedules[${index}].at must be a valid Date`);
  }
  return {
    merchant_uid: requireText(`schedules[${index}].merchantUid`, entry.merchantUid, 40),
    schedule_at: Math.floor(entry.at.getTime() / 1000),
    amount: requireAmount(`schedules[${index}].amount`, entry.amount, 1),
    currency: 'KRW',
    name: requireText(`schedules[${index}].name`, entry.name, 40),
    ...buyerBody(entry),
    custom_data: customDataText(entry.customData),
    notice_url: entry.noticeUrl,
  };
};

export function createEndpoints(transport: Transport, includeSandboxByDefault: boolean): Endpoints {
  async function value<T>(spec: CallSpec<T>): Promise<T> {
    const outcome = await transport.call(spec);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async function valueOrNull<T>(spec: CallSpec<T>): Promise<T | null> {
    const outcome = await readOrNull(transport, spec);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  return {
    getPayment: async (impUid, options = {}) =>
      valueOrNull(paymentSpec(impUid, options.includeSandbox ?? includeSandboxByDefault)),

    findPayment: async (merchantUid, options = {}) =>
      valueOrNull(
        findSpec(merchantUid, { ...options, includeSandbox: options.includeSandbox ?? includeSandboxByDefault }),
      ),

    async cancelPayment(request) {
      const target =
        request.impUid !== undefined
          ? { imp_uid: requireText('impUid', request.impUid) }
          : { merchant_uid: requireText('merchantUid', request.merchantUid, 40) };
      return value({
        method: 'POST',
        path: '/payments/cancel',
        body: {
          ...target,
          amount: request.amount === undefined ? undefined : requireAmount('amount', request.amount, 1),
          checksum: request.checksum === undefined ? undefined : requireAmount('checksum', request.checksum, 0),
          reason: request.reason,
          enable_webhook: request.enableWebhook,
        },
        retry: false,
        accept: isPayment,
      });
    },

    async preparePayment(request) {
      return value({
        method: 'POST',
        path: '/payments/prepare',
        body: {
          merchant_uid: requireText('merchantUid', request.merchantUid, 40),
          amount: requireAmount('amount', request.amount, 0),
        },
        retry: false,
        accept: isPreparedAmount,
      });
    },

    getBillingKey: async (customerUid) =>
      valueOrNull({
        method: 'GET',
        path: `/subscribe/customers/${segment(requireText('customerUid', customerUid))}`,
        retry: true,
        accept: isBillingKey,
      }),

    deleteBillingKey: async (customerUid, options = {}) =>
      value({
        method: 'DELETE',
        path: `/subscribe/customers/${segment(requireText('customerUid', customerUid))}`,
        query: options.reason === undefined ? {} : { reason: options.reason },
        retry: false,
        accept: isBillingKey,
      }),

    async scheduleCharges(request) {
      const customerUid = requireText('customerUid', request.customerUid, 80);
      if (request.schedules.length === 0) throw new RangeError('schedules must list at least one charge');
      return value({
        method: 'POST',
        path: '/subscribe/payments/schedule',
        body: { customer_uid: customerUid, schedules: request.schedules.map(scheduleEntry) },
        retry: false,
        accept: isScheduleList,
      });
    },

    async unscheduleCharges(request) {
      if (request.customerUid === undefined && (request.merchantUids ?? []).length === 0) {
        throw new TypeError('unscheduleCharges needs customerUid or merchantUids');
      }
      return value({
        method: 'POST',
        path: '/subscribe/payments/unschedule',
        body: {
          customer_uid: request.customerUid === undefined ? undefined : requireText('customerUid', request.customerUid),
          merchant_uid: request.merchantUids?.map((merchantUid, index) =>
            requireText(`merchantUids[${index}]`, merchantUid, 40),
          ),
        },
        retry: false,
        accept: isScheduleList,
      });
    },

    getSchedule: async (merchantUid) =>
      valueOrNull({
        method: 'GET',
        path: `/subscribe/payments/schedule/${segment(requireText('merchantUid', merchantUid))}`,
        retry: true,
        accept: isSchedule,
      }),

    async verifyPayment(request) {
      requireText('expected.merchantUid', request.expected.merchantUid);
      requireAmount('expected.amount', request.expected.amount, 0);
      // Test-channel payments are always fetched, so that one in production is named, not "not found".
      const payment = await valueOrNull(paymentSpec(request.impUid, true));
      return checkPayment(payment, request.expected, request);
    },
  };
}
