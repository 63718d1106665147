/** One thing wrong with a request: the field it concerns (`''` for the whole request) and what to do. */
export interface ValidationProblem {
  field: string;
  message: string;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

// Written for size: this runs on every checkout page and counts in the core size budget.
function validate(input: unknown, billingKey: boolean): ValidationProblem[] {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return [{ field: '', message: 'the request must be an object' }];
  }
  const problems: ValidationProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message: `${field} ${message}` });
  // Own properties only: a polluted prototype must not supply a field.
  const get = (field: string): unknown =>
    Object.hasOwn(input, field) ? (input as Record<string, unknown>)[field] : undefined;
  const pg = get('pg');
  const channelKey = get('channelKey');
  const method = get('pay_method');
  const amount = get('amount');
  const name = get('name');
  const redirect = get('m_redirect_url');
  if (
    channelKey === undefined
      ? !(typeof pg === 'string' && /^mobilians(\.[\w-]+)?$/.test(pg))
      : !isText(channelKey) || pg !== undefined
  ) {
    fail(
      channelKey === undefined ? 'pg' : 'channelKey',
      "is wrong: pass pg 'mobilians' or 'mobilians.<MID>', or channelKey alone (another pg routes to the default PG)",
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
    const value = get(field);
    if (field === 'customer_uid' && !billingKey) {
      if (value !== undefined) fail(field, 'is for billing-key requests only');
    } else if (!isText(value)) fail(field, 'is required');
    else if (field === 'merchant_uid' && value.length > 40) fail(field, 'is at most 40 characters');
    else if (field === 'buyer_tel' && !/^[\d-]*\d[\d-]*$/.test(value)) fail(field, 'must be digits and hyphens');
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
  return problems;
}

/** Every problem that keeps this object from being a valid Mobilians payment request; `[]` when there is none. */
export const validatePaymentRequest = (input: unknown): ValidationProblem[] => validate(input, false);

/** Every problem that keeps this object from being a valid Mobilians billing-key request; `[]` when there is none. */
export const validateBillingKeyRequest = (input: unknown): ValidationProblem[] => validate(input, true);
