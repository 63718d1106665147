import type { BillingKeyRequest, PaymentRequest } from './types.js';

/** One thing wrong with a request: the field it concerns (`''` for the whole request) and what to do. */
export interface ValidationProblem {
  field: string;
  message: string;
}

/** What a check found: every problem, and the request to send when there is none. */
export interface RequestCheck<Request> {
  /** Every problem, `[]` when there is none. */
  problems: ValidationProblem[];
  /**
   * The request to pass to `IMP.request_pay`: a plain copy of the input, read once, with `pg: 'mobilians'`
   * filled in when neither `pg` nor `channelKey` is given. `null` exactly when `problems` is not empty.
   */
  request: Request | null;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

// Controls (NUL, CR/LF…), format characters (bidi overrides and isolates, zero-width, BOM…), lone surrogates
// and line separators: they hide or rewrite what an id shows, in logs, consoles and the PG's pages.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

// Domestic Korean numbers: 9 (02-123-4567) to 11 (010-1234-5678) digits, a leading 0, single hyphens or spaces.
const TEL = /^0([ -]?\d){8,10}$/;

// Written for size: this runs on every checkout page and counts in the core size budget.
function check<Request>(input: unknown, billingKey?: boolean): RequestCheck<Request> {
  let fields: Record<string, unknown> | undefined;
  try {
    // Every field is read once, here: a getter or Proxy that throws is refused, one that changes its answer
    // cannot show one value to the checks and another to the SDK. No prototype: a polluted one supplies nothing.
    if (input && typeof input === 'object' && !Array.isArray(input)) fields = { __proto__: null, ...input };
  } catch {
    // Unreadable: refused below, as a non-object is.
  }
  if (!fields) {
    return { problems: [{ field: '', message: 'the request must be an object with readable fields' }], request: null };
  }
  const problems: ValidationProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message: `${field} ${message}` });
  const { pg, channelKey, pay_method: method, amount, name, m_redirect_url: redirect } = fields;
  if (
    channelKey === undefined
      ? !(pg === undefined || (typeof pg === 'string' && /^mobilians(\.[\w-]+)?$/.test(pg)))
      : !isText(channelKey) || pg !== undefined
  ) {
    fail(
      channelKey === undefined ? 'pg' : 'channelKey',
      "is wrong: pass pg 'mobilians' or 'mobilians.<MID>', channelKey alone, or neither (another pg routes to the default PG)",
    );
  }
  if (method !== 'phone' && (billingKey || (method !== 'card' && method !== 'trans'))) {
    fail(
      'pay_method',
      billingKey
        ? "must be 'phone': Mobilians issues billing keys for phone payments only"
        : "must be 'card', 'trans' or 'phone'",
    );
  }
  for (const field of ['merchant_uid', 'buyer_tel', 'customer_uid']) {
    const value = fields[field];
    const max = field === 'merchant_uid' ? 40 : 80;
    if (field === 'customer_uid' && !billingKey) {
      if (value !== undefined) fail(field, 'is for billing-key requests only');
    } else if (!isText(value)) fail(field, 'is required');
    else if (field === 'buyer_tel') {
      if (!TEL.test(value)) {
        fail(field, 'must be a Korean phone number: 9 to 11 digits from a leading 0, hyphens or spaces between');
      }
    } else if (value.length > max) fail(field, `is at most ${max} characters`);
    else if (UNSAFE.test(value)) fail(field, 'has a control or invisible character (NUL, CR/LF, bidi override)');
  }
  if (typeof amount === 'string') fail('amount', 'must be a number: the SDK refuses strings');
  else if (!Number.isSafeInteger(amount) || (amount as number) < +!billingKey) {
    fail('amount', `must be an integer ≥ ${+!billingKey}`);
  }
  if (name !== undefined && !(typeof name === 'string' && name.length <= 40)) fail('name', 'is at most 40 characters');
  if (
    redirect !== undefined &&
    !(typeof redirect === 'string' && /^https?:\/\/[^/]/i.test(redirect) && URL.canParse(redirect))
  ) {
    fail('m_redirect_url', 'must be an absolute http(s) URL');
  }
  return {
    problems,
    // A copy with a prototype, as the SDK may expect. The guide lets pg be omitted where Mobilians is the only
    // PG; naming it is right everywhere.
    request: problems[0]
      ? null
      : ({ ...fields, ...(pg === undefined && channelKey === undefined && { pg: 'mobilians' }) } as Request),
  };
}

/**
 * Checks a Mobilians payment request and gives the request to send: a plain copy, read once, with
 * `pg: 'mobilians'` filled in when neither `pg` nor `channelKey` is given. Never throws.
 */
export const checkPaymentRequest = (input: unknown): RequestCheck<PaymentRequest> => check(input);

/**
 * Checks a Mobilians billing-key request and gives the request to send: a plain copy, read once, with
 * `pg: 'mobilians'` filled in when neither `pg` nor `channelKey` is given. Never throws.
 */
export const checkBillingKeyRequest = (input: unknown): RequestCheck<BillingKeyRequest> => check(input, true);

/** Every problem that keeps this object from being a valid Mobilians payment request; `[]` when there is none. Never throws. */
export const validatePaymentRequest = (input: unknown): ValidationProblem[] => check(input).problems;

/** Every problem that keeps this object from being a valid Mobilians billing-key request; `[]` when there is none. Never throws. */
export const validateBillingKeyRequest = (input: unknown): ValidationProblem[] => check(input, true).problems;
