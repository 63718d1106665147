import { interpretFields } from './interpret.js';
import type { RedirectResult } from './types.js';

/** The query fields PortOne appends to `m_redirect_url`. */
export const REDIRECT_FIELDS = [
  'imp_uid',
  'merchant_uid',
  'imp_success',
  'success',
  'error_code',
  'error_msg',
] as const;

export type RedirectField = (typeof REDIRECT_FIELDS)[number];

const MAX_LENGTH = 2000;

function toParams(input: URL | URLSearchParams | string): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (input instanceof URL) return input.searchParams;
  const query = input.includes('?') ? input.slice(input.indexOf('?') + 1) : input;
  return new URLSearchParams(query.split('#')[0]);
}

/**
 * Reads what PortOne appended to `m_redirect_url` (a URL, a search string or `URLSearchParams`) as a
 * result. The merchant's own query parameters are ignored. Never throws: a query that cannot be trusted
 * gives `{ status: 'invalid', reason }`.
 */
export function parseRedirectResult(input: URL | URLSearchParams | string): RedirectResult {
  let params: URLSearchParams;
  try {
    params = toParams(input);
  } catch {
    return { status: 'invalid', reason: 'not a URL or query string' };
  }
  const fields: Record<string, string> = {};
  for (const name of REDIRECT_FIELDS) {
    const values = params.getAll(name);
    if (values.length > 1) return { status: 'invalid', reason: `${name} appears more than once` };
    const value = values[0];
    if (value === undefined) continue;
    if (value.length > MAX_LENGTH)
      return { status: 'invalid', reason: `${name} is longer than ${MAX_LENGTH} characters` };
    fields[name] = value;
  }
  if (!fields.merchant_uid) return { status: 'invalid', reason: 'merchant_uid is missing' };
  const failureReported = fields.error_code || fields.imp_success === 'false' || fields.success === 'false';
  if (!fields.imp_uid && !failureReported)
    return { status: 'invalid', reason: 'imp_uid is missing and no failure is reported' };
  return interpretFields(fields);
}

/**
 * Appends result fields to a redirect URL as PortOne does: after the merchant's own query, with `&`.
 * Used by the sandbox; the inverse of {@link parseRedirectResult}.
 */
export function buildRedirectUrl(redirectUrl: string, fields: Partial<Record<RedirectField, string>>): string {
  const url = new URL(redirectUrl);
  for (const name of REDIRECT_FIELDS) {
    const value = fields[name];
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return url.href;
}
