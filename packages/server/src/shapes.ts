import type { BillingKey, Payment, PaymentStatus, PreparedAmount, Schedule } from './types.js';

// Light checks of what PortOne answered: enough to tell a real record from a garbled or foreign body,
// which the client then treats as a lost answer.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const STATUSES: readonly PaymentStatus[] = ['ready', 'paid', 'cancelled', 'failed'];

export const isPayment = (value: unknown): value is Payment =>
  isRecord(value) &&
  typeof value.imp_uid === 'string' &&
  typeof value.merchant_uid === 'string' &&
  typeof value.amount === 'number' &&
  typeof value.cancel_amount === 'number' &&
  typeof value.currency === 'string' &&
  typeof value.sandbox === 'boolean' &&
  STATUSES.includes(value.status as PaymentStatus);

export const isBillingKey = (value: unknown): value is BillingKey =>
  isRecord(value) && typeof value.customer_uid === 'string' && typeof value.pg_provider === 'string';

export const isSchedule = (value: unknown): value is Schedule =>
  isRecord(value) &&
  typeof value.merchant_uid === 'string' &&
  typeof value.schedule_at === 'number' &&
  typeof value.schedule_status === 'string';

export const isScheduleList = (value: unknown): value is Schedule[] => Array.isArray(value) && value.every(isSchedule);

export const isPreparedAmount = (value: unknown): value is PreparedAmount =>
  isRecord(value) && typeof value.merchant_uid === 'string' && typeof value.amount === 'number';
