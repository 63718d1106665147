import { validateBillingKeyRequest, validatePaymentRequest } from '@portone-kit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const payment = {
  pg: 'mobilians',
  pay_method: 'card',
  merchant_uid: 'order_0001',
  name: '주문 0001',
  amount: 14000,
  buyer_tel: '010-1234-5678',
};

const billingKey = { ...payment, pg: 'mobilians.170622040674', pay_method: 'phone', amount: 0, customer_uid: 'cust_1' };

const fieldsOf = (problems: { field: string }[]) => problems.map((problem) => problem.field).sort();

describe('validatePaymentRequest', () => {
  it('accepts a complete Mobilians payment for each pay_method and pg form', () => {
    for (const pay_method of ['card', 'trans', 'phone']) {
      expect(validatePaymentRequest({ ...payment, pay_method })).toEqual([]);
    }
    expect(validatePaymentRequest({ ...payment, pg: 'mobilians.170622040674' })).toEqual([]);
    const { pg: _pg, ...withoutPg } = payment;
    expect(validatePaymentRequest({ ...withoutPg, channelKey: 'channel-key-1234' })).toEqual([]);
    expect(validatePaymentRequest({ ...payment, m_redirect_url: 'https://shop.example/pay/return?from=app' })).toEqual(
      [],
    );
  });

  it('returns every problem at once, each with its field and a message', () => {
    const problems = validatePaymentRequest({
      pg: 'kcp',
      pay_method: 'vbank',
      merchant_uid: 'x'.repeat(41),
      amount: 10.5,
      buyer_tel: 'call me',
      name: 'n'.repeat(41),
      m_redirect_url: '/relative/path',
    });
    expect(fieldsOf(problems)).toEqual(
      ['amount', 'buyer_tel', 'm_redirect_url', 'merchant_uid', 'name', 'pay_method', 'pg'].sort(),
    );
    for (const problem of problems) expect(problem.message.length).toBeGreaterThan(10);
    expect(problems.find((problem) => problem.field === 'pg')?.message).toMatch(/default PG/);
    expect(problems.find((problem) => problem.field === 'merchant_uid')?.message).toMatch(/40 characters/);
  });

  it('refuses a numeric string amount and says the SDK needs a number', () => {
    const [problem] = validatePaymentRequest({ ...payment, amount: '14000' });
    expect(problem).toEqual({ field: 'amount', message: 'amount must be a number: the SDK refuses strings' });
  });

  it('refuses zero, negative, fractional and unsafe amounts for a payment', () => {
    for (const amount of [0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(fieldsOf(validatePaymentRequest({ ...payment, amount }))).toEqual(['amount']);
    }
  });

  it('requires merchant_uid and buyer_tel', () => {
    const { merchant_uid: _m, buyer_tel: _b, ...rest } = payment;
    const problems = validatePaymentRequest(rest);
    expect(fieldsOf(problems)).toEqual(['buyer_tel', 'merchant_uid']);
    expect(problems[0]?.message).toMatch(/required/);
  });

  it('refuses a customer_uid, which would open the billing-key window', () => {
    expect(validatePaymentRequest({ ...payment, customer_uid: 'cust_1' })).toEqual([
      { field: 'customer_uid', message: expect.stringMatching(/billing-key/) },
    ]);
  });

  it('refuses pg and channelKey together, and an empty channelKey', () => {
    expect(fieldsOf(validatePaymentRequest({ ...payment, channelKey: 'abc' }))).toEqual(['channelKey']);
    const { pg: _pg, ...withoutPg } = payment;
    expect(fieldsOf(validatePaymentRequest({ ...withoutPg, channelKey: ' ' }))).toEqual(['channelKey']);
    expect(fieldsOf(validatePaymentRequest(withoutPg))).toEqual(['pg']);
  });

  it('accepts only absolute http(s) redirect URLs', () => {
    for (const m_redirect_url of ['javascript:alert(1)', 'ftp://shop.example/x', '//shop.example/x', 42]) {
      expect(fieldsOf(validatePaymentRequest({ ...payment, m_redirect_url }))).toEqual(['m_redirect_url']);
    }
  });

  it('reads own fields only: a polluted prototype or a __proto__ key supplies nothing', () => {
    const viaJson = JSON.parse('{"__proto__": {"merchant_uid": "order_1", "amount": 100}}') as object;
    expect(fieldsOf(validatePaymentRequest(viaJson))).toEqual([
      'amount',
      'buyer_tel',
      'merchant_uid',
      'pay_method',
      'pg',
    ]);
    const inherited = Object.create(payment) as object;
    expect(validatePaymentRequest(inherited)).toHaveLength(5);
  });

  it('answers garbage with a problem, not an exception', () => {
    for (const input of [null, undefined, 42, 'order', [], [payment], () => payment, Symbol('x')]) {
      expect(validatePaymentRequest(input)).toEqual([{ field: '', message: expect.stringMatching(/object/) }]);
    }
  });
});

describe('validateBillingKeyRequest', () => {
  it('accepts a phone billing key with an amount of 0 or more', () => {
    expect(validateBillingKeyRequest(billingKey)).toEqual([]);
    expect(validateBillingKeyRequest({ ...billingKey, amount: 9900 })).toEqual([]);
  });

  it('requires customer_uid and pay_method phone, saying Mobilians needs it', () => {
    const { customer_uid: _c, ...rest } = billingKey;
    const problems = validateBillingKeyRequest({ ...rest, pay_method: 'card' });
    expect(fieldsOf(problems)).toEqual(['customer_uid', 'pay_method']);
    expect(problems.find((problem) => problem.field === 'pay_method')?.message).toMatch(/Mobilians.*phone/);
  });

  it('refuses a negative amount', () => {
    expect(fieldsOf(validateBillingKeyRequest({ ...billingKey, amount: -100 }))).toEqual(['amount']);
  });
});

describe('validators on arbitrary input (property)', () => {
  it('never throw and always return well-formed problems', () => {
    const arbitraryRequest = fc.oneof(
      fc.anything(),
      fc.record(
        {
          pg: fc.oneof(fc.constant('mobilians'), fc.string(), fc.anything()),
          pay_method: fc.oneof(fc.constantFrom('card', 'trans', 'phone'), fc.anything()),
          merchant_uid: fc.oneof(fc.string(), fc.anything()),
          amount: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.anything()),
          buyer_tel: fc.oneof(fc.string(), fc.anything()),
          customer_uid: fc.anything(),
          m_redirect_url: fc.oneof(fc.webUrl(), fc.string(), fc.anything()),
          name: fc.anything(),
          __proto__: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      fc.object({ withNullPrototype: true }),
    );
    fc.assert(
      fc.property(arbitraryRequest, (input) => {
        for (const validate of [validatePaymentRequest, validateBillingKeyRequest]) {
          const problems = validate(input);
          expect(Array.isArray(problems)).toBe(true);
          for (const problem of problems) {
            expect(typeof problem.field).toBe('string');
            expect(problem.message).toMatch(/\w/);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('find no problem in any well-formed payment', () => {
    const wellFormed = fc.record({
      pg: fc.oneof(fc.constant('mobilians'), fc.stringMatching(/^mobilians\.[A-Za-z0-9_-]{1,20}$/)),
      pay_method: fc.constantFrom('card', 'trans', 'phone'),
      merchant_uid: fc.string({ minLength: 1, maxLength: 40 }).filter((text) => text.trim() !== ''),
      amount: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      buyer_tel: fc.stringMatching(/^\d{2,3}-?\d{3,4}-?\d{4}$/),
    });
    fc.assert(fc.property(wellFormed, (request) => validatePaymentRequest(request).length === 0));
  });
});
