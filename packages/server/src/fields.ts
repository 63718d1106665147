import type { BuyerFields } from './types.js';

// Checks and encodings shared by every request body the client builds: a bad argument is a TypeError
// or RangeError thrown before anything is sent.

export function requireText(field: string, value: unknown, maxLength?: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${field} must be a non-empty string`);
  if (maxLength !== undefined && value.length > maxLength) {
    throw new RangeError(`${field} must be at most ${maxLength} characters`);
  }
  return value;
}

export function requireAmount(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${field} must be a whole number of won, at least ${min}`);
  }
  return value;
}

/** PortOne keeps `custom_data` as a JSON string. */
export const customDataText = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);

export const buyerBody = (buyer: BuyerFields) => ({
  buyer_name: buyer.buyerName,
  buyer_email: buyer.buyerEmail,
  buyer_tel: buyer.buyerTel,
  buyer_addr: buyer.buyerAddr,
  buyer_postcode: buyer.buyerPostcode,
});

/** One path segment, percent-encoded. */
export const segment = (value: string) => encodeURIComponent(value);
