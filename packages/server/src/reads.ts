import { PortoneApiError } from './errors.js';
import { requireText, segment } from './fields.js';
import { isPayment } from './shapes.js';
import type { CallOutcome, CallSpec, Transport } from './transport.js';
import type { Payment, PaymentStatus } from './types.js';

/**
 * Which payment `findPayment` answers when a merchant_uid has several: ordered by the time it started, was
 * paid or was last updated, latest first with a leading `-`, earliest first without.
 */
export type PaymentSorting = '-started' | 'started' | '-paid' | 'paid' | '-updated' | 'updated';

/** Options of a payment read (`getPayment`, and `findPayment`'s {@link FindPaymentOptions}). */
export interface ReadOptions {
  /** Overrides the client's `includeSandbox` for this call. */
  includeSandbox?: boolean;
}

/** Options of `findPayment`: which payment of the merchant_uid to answer. */
export interface FindPaymentOptions extends ReadOptions {
  /** Only a payment in this status. */
  status?: PaymentStatus;
  /** Which payment of the merchant_uid, when it has several. Default `-started`: the latest started. */
  sorting?: PaymentSorting;
}

const sandboxQuery = (includeSandbox: boolean): Record<string, string> =>
  includeSandbox ? { include_sandbox: 'true' } : {};

/** `GET /payments/:imp_uid`. */
export const paymentSpec = (impUid: string, includeSandbox: boolean): CallSpec<Payment> => ({
  method: 'GET',
  path: `/payments/${segment(requireText('impUid', impUid))}`,
  query: sandboxQuery(includeSandbox),
  retry: true,
  accept: isPayment,
});

/** `GET /payments/find/:merchant_uid[/:status]`. */
export const findSpec = (
  merchantUid: string,
  options: Omit<FindPaymentOptions, 'includeSandbox'> & { includeSandbox: boolean },
): CallSpec<Payment> => ({
  method: 'GET',
  path:
    `/payments/find/${segment(requireText('merchantUid', merchantUid))}` +
    (options.status === undefined ? '' : `/${segment(options.status)}`),
  query: {
    ...sandboxQuery(options.includeSandbox),
    ...(options.sorting === undefined ? {} : { sorting: options.sorting }),
  },
  retry: true,
  accept: isPayment,
});

/**
 * A read whose 404 in PortOne's envelope means "none": null instead of an error. A bare 404 (a proxy, a
 * wrong baseUrl) says nothing about the payment and stays an error.
 */
export async function readOrNull<T>(transport: Transport, spec: CallSpec<T>): Promise<CallOutcome<T | null>> {
  const outcome = await transport.call(spec);
  const { error } = outcome.ok ? { error: null } : outcome;
  if (error instanceof PortoneApiError && error.httpStatus === 404 && error.portoneCode !== null) {
    return { ok: true, value: null };
  }
  return outcome;
}
