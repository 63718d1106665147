/** One thing wrong with a request: the field it concerns (`''` for the whole request) and what to do. */
export interface ValidationProblem {
  field: string;
  message: string;
}

type Check = (value: unknown) => string | undefined;

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

const upTo40 = (what: string) => (value: unknown) =>
  typeof value === 'string' && value.length > 40 ? `${what} is at most 40 characters` : undefined;

const required =
  (what: string, more?: Check): Check =>
  (value) =>
    isText(value) ? more?.(value) : `${what} is required (a non-empty string)`;

const amountCheck =
  (min: number): Check =>
  (value) =>
    typeof value === 'string'
      ? 'amount must be a number, not a string: the SDK refuses "1000"'
      : Number.isSafeInteger(value) && (value as number) >= min
        ? undefined
        : `amount must be an integer of at least ${min} (KRW)`;

const payMethodCheck: Check = (value) =>
  value === 'card' || value === 'trans' || value === 'phone'
    ? undefined
    : "pay_method must be 'card', 'trans' or 'phone'";

const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined ? undefined : check(value);

const absoluteHttpUrl: Check = (value) => {
  try {
    if (/^https?:$/.test(new URL(value as string).protocol)) return;
  } catch {}
  return 'm_redirect_url must be an absolute http(s) URL';
};

const common: Record<string, Check> = {
  merchant_uid: required('merchant_uid', upTo40('merchant_uid')),
  buyer_tel: required('buyer_tel', (value) =>
    /^[\d-]*\d[\d-]*$/.test(value as string) ? undefined : 'buyer_tel must be digits and hyphens, e.g. 010-1234-5678',
  ),
  name: optional((value) => (typeof value === 'string' ? upTo40('name')(value) : 'name must be a string')),
  m_redirect_url: optional(absoluteHttpUrl),
};

const paymentChecks: Record<string, Check> = {
  ...common,
  pay_method: payMethodCheck,
  amount: amountCheck(1),
  customer_uid: (value) =>
    value === undefined ? undefined : 'customer_uid opens the billing-key window: use the billing-key flow',
};

const billingKeyChecks: Record<string, Check> = {
  ...common,
  pay_method: (value) =>
    value === 'phone' ? undefined : "pay_method must be 'phone': Mobilians issues billing keys for phone payments only",
  amount: amountCheck(0),
  customer_uid: required('customer_uid'),
};

function validate(input: unknown, checks: Record<string, Check>): ValidationProblem[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return [{ field: '', message: 'the request must be an object' }];
  }
  // Own properties only: a polluted prototype must not supply a field.
  const own = (key: string): unknown =>
    Object.hasOwn(input, key) ? (input as Record<string, unknown>)[key] : undefined;
  const problems: ValidationProblem[] = [];
  const channelKey = own('channelKey');
  const pg = own('pg');
  const pgValid = typeof pg === 'string' && /^mobilians(\.[\w-]+)?$/.test(pg);
  if (channelKey === undefined ? !pgValid : !isText(channelKey) || pg !== undefined) {
    problems.push({
      field: channelKey === undefined ? 'pg' : 'channelKey',
      message:
        "pass pg 'mobilians' or 'mobilians.<MID>', or a channelKey alone: another pg routes to the console's default PG",
    });
  }
  for (const field in checks) {
    const message = checks[field]?.(own(field));
    if (message) problems.push({ field, message });
  }
  return problems;
}

/** Every problem that keeps this object from being a valid Mobilians payment request; `[]` when there is none. */
export const validatePaymentRequest = (input: unknown): ValidationProblem[] => validate(input, paymentChecks);

/** Every problem that keeps this object from being a valid Mobilians billing-key request; `[]` when there is none. */
export const validateBillingKeyRequest = (input: unknown): ValidationProblem[] => validate(input, billingKeyChecks);
