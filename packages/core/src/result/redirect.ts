import { interpretFields, REDIRECT_FIELDS } from './interpret.js';
import type { RedirectResult } from './types.js';

export { REDIRECT_FIELDS };

/** One of {@link REDIRECT_FIELDS}: a field PortOne reports in the callback's object and the redirect query. */
export type RedirectField = (typeof REDIRECT_FIELDS)[number];

const invalid = (reason: string): RedirectResult => ({ status: 'invalid', reason });

/**
 * Reads what PortOne appended to `m_redirect_url` (a URL, a search string or `URLSearchParams`) as a
 * result. The merchant's own query parameters are ignored. Never throws: a query that cannot be trusted
 * gives `{ status: 'invalid', reason }`.
 */
export function parseRedirectResult(input: URL | URLSearchParams | string): RedirectResult {
  try {
    const params =
      input instanceof URLSearchParams
        ? input
        : input instanceof URL
          ? input.searchParams
          : new URLSearchParams(input.replace(/^[^?]*\?|#.*/gs, ''));
    const fields: Partial<Record<RedirectField, string>> = {};
    for (const name of REDIRECT_FIELDS) {
      const [value, repeated] = params.getAll(name);
      if (repeated !== undefined || (value && value.length > 2000))
        return invalid(`${name} is repeated or over 2000 characters`);
      if (value !== undefined) fields[name] = value;
    }
    if (!fields.merchant_uid) return invalid('merchant_uid is missing');
    if (!fields.imp_uid && !fields.error_code && fields.imp_success !== 'false' && fields.success !== 'false') {
      return invalid('imp_uid is missing');
    }
    return interpretFields(fields);
  } catch {
    // A getter, Proxy or look-alike object that throws.
    return invalid('not a URL or query string');
  }
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
