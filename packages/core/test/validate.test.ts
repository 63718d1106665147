import {
  checkBillingKeyRequest,
  checkPaymentRequest,
  validateBillingKeyRequest,
  validatePaymentRequest,
} from '@portone-kit/core';
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
  });

  it('accepts only absolute http(s) redirect URLs', () => {
    for (const m_redirect_url of ['javascript:alert(1)', 'ftp://shop.example/x', '//shop.example/x', 42]) {
      expect(fieldsOf(validatePaymentRequest({ ...payment, m_redirect_url }))).toEqual(['m_redirect_url']);
    }
  });

  it('reads own fields only: a polluted prototype or a __proto__ key supplies nothing', () => {
    const viaJson = JSON.parse('{"__proto__": {"merchant_uid": "order_1", "amount": 100}}') as object;
    expect(fieldsOf(validatePaymentRequest(viaJson))).toEqual(['amount', 'buyer_tel', 'merchant_uid', 'pay_method']);
    const inherited = Object.create(payment) as object;
    expect(validatePaymentRequest(inherited)).toHaveLength(4);
    const { pg: _pg, ...withoutPg } = payment;
    const inheritedPg = Object.create({ pg: 'kcp' }, Object.getOwnPropertyDescriptors(withoutPg)) as object;
    expect(checkPaymentRequest(inheritedPg)).toEqual({ problems: [], request: { ...withoutPg, pg: 'mobilians' } });
  });

  it('fills pg in without calling a setter that a polluted prototype holds', () => {
    const { pg: _pg, ...withoutPg } = payment;
    let called = false;
    Object.defineProperty(Object.prototype, 'pg', {
      configurable: true,
      set() {
        called = true;
      },
    });
    try {
      expect(checkPaymentRequest(withoutPg).request).toHaveProperty('pg', 'mobilians');
      expect(called).toBe(false);
    } finally {
      delete (Object.prototype as { pg?: unknown }).pg;
    }
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
      buyer_tel: fc.stringMatching(/^0\d{1,2}[- ]?\d{3,4}[- ]?\d{4}$/),
    });
    fc.assert(fc.property(wellFormed, (request) => validatePaymentRequest(request).length === 0));
  });
});

// The KG Mobilians integration guide's two `IMP.request_pay` examples, as written there. Only the
// `{placeholder}` values are replaced, by the guide's own "Example:" values beside them.
const guidePayment = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_no_0001', // '{Merchant created Order ID}', Example: order_no_0001
  name: 'Order name: Test payment request',
  amount: 14000,
  buyer_email: '[email protected]',
  buyer_name: 'John Doe',
  buyer_tel: '010-1234-5678', //required
  buyer_addr: 'Shinsa-dong, Gangnam-gu, Seoul',
  buyer_postcode: '123-456',
  m_redirect_url: 'https://www.my-service.com/payments/complete/mobile', // '{Mobile only - …}'
};
const guideBillingKey = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'issue_billingkey_monthly_0001', // '{Merchant created Order ID}'
  name: 'Initial billing key request',
  amount: 0, // For display purpose only (no payment approval).
  customer_uid: 'gildong_0001_1234', // '{Unique ID for the card (billing key)}'
  buyer_email: '[email protected]',
  buyer_name: 'John Doe',
  buyer_tel: '02-1234-1234',
  m_redirect_url: 'https://www.my-service.com/payments/complete/mobile', // '{redirect URL}'
};

describe("the KG Mobilians guide's examples", () => {
  it('pass as written, with pg and without it', () => {
    expect(validatePaymentRequest(guidePayment)).toEqual([]);
    expect(validateBillingKeyRequest(guideBillingKey)).toEqual([]);
    expect(checkPaymentRequest(guidePayment)).toEqual({ problems: [], request: guidePayment });
    expect(checkBillingKeyRequest(guideBillingKey)).toEqual({ problems: [], request: guideBillingKey });
    const { pg: _p, ...paymentWithoutPg } = guidePayment;
    const { pg: _b, ...billingKeyWithoutPg } = guideBillingKey;
    expect(validatePaymentRequest(paymentWithoutPg)).toEqual([]);
    expect(validateBillingKeyRequest(billingKeyWithoutPg)).toEqual([]);
  });

  it('with their placeholders left in, fail only on m_redirect_url, which is then no URL', () => {
    const placeholders = { merchant_uid: '{Merchant created Order ID}', m_redirect_url: '{redirect URL}' };
    expect(fieldsOf(validatePaymentRequest({ ...guidePayment, ...placeholders }))).toEqual(['m_redirect_url']);
    expect(
      fieldsOf(
        validateBillingKeyRequest({
          ...guideBillingKey,
          ...placeholders,
          customer_uid: '{Unique ID for the card (billing key)}',
        }),
      ),
    ).toEqual(['m_redirect_url']);
  });
});

describe('pg left out', () => {
  const { pg: _pg, ...withoutPg } = payment;

  it("is filled in as 'mobilians' in the request to send, on a copy", () => {
    const checked = checkPaymentRequest(withoutPg);
    expect(checked).toEqual({ problems: [], request: { ...withoutPg, pg: 'mobilians' } });
    expect(checked.request).not.toBe(withoutPg);
    expect(withoutPg).not.toHaveProperty('pg');
    const { pg: _b, ...keyWithoutPg } = billingKey;
    expect(checkBillingKeyRequest(keyWithoutPg).request).toEqual({ ...keyWithoutPg, pg: 'mobilians' });
    expect(checkBillingKeyRequest({ ...keyWithoutPg, pg: undefined }).request?.pg).toBe('mobilians');
  });

  it('keeps a given pg or channelKey as it is, and adds no pg beside a channelKey', () => {
    expect(checkPaymentRequest(payment).request).toEqual(payment);
    expect(checkBillingKeyRequest(billingKey).request?.pg).toBe('mobilians.170622040674');
    expect(checkPaymentRequest({ ...withoutPg, channelKey: 'channel-key-1234' }).request).toEqual({
      ...withoutPg,
      channelKey: 'channel-key-1234',
    });
  });

  it('refuses only a pg that names another PG (or is no string)', () => {
    for (const pg of ['kcp', 'html5_inicis', 'mobilians_v2', 'mobilians.', 'Mobilians', '', 42, null]) {
      const checked = checkPaymentRequest({ ...payment, pg });
      expect(fieldsOf(checked.problems)).toEqual(['pg']);
      expect(checked.problems[0]?.message).toMatch(/'mobilians'.*default PG/);
      expect(checked.request).toBeNull();
    }
  });
});

describe('merchant_uid and customer_uid', () => {
  const unsafe = {
    NUL: 'order\u00001',
    CR: 'order\r1',
    LF: 'order\n1',
    tab: 'order\t1',
    DEL: 'order\u007f1',
    C1: 'order\u00851',
    'right-to-left override': 'order_\u202e1000',
    'left-to-right embedding': '\u202aorder',
    'first strong isolate': 'order\u2068x\u2069',
    'right-to-left mark': 'order\u200f',
    'zero-width space': 'order\u200b1',
    BOM: '\ufefforder',
    'line separator': 'order\u20281',
    'lone surrogate': 'order\ud8001',
  };

  it('refuse control, line-break and invisible format characters, naming the field', () => {
    for (const [what, uid] of Object.entries(unsafe)) {
      const problems = validatePaymentRequest({ ...payment, merchant_uid: uid });
      expect(problems, what).toEqual([
        { field: 'merchant_uid', message: expect.stringMatching(/^merchant_uid has a control or invisible/) },
      ]);
      expect(fieldsOf(validateBillingKeyRequest({ ...billingKey, merchant_uid: uid })), what).toEqual(['merchant_uid']);
      expect(fieldsOf(validateBillingKeyRequest({ ...billingKey, customer_uid: uid })), what).toEqual(['customer_uid']);
    }
  });

  it('accept spaces, Korean and punctuation', () => {
    for (const uid of ['order 1', '주문_0001', 'a-b.c:d/e#f', 'x'.repeat(40)]) {
      expect(validatePaymentRequest({ ...payment, merchant_uid: uid })).toEqual([]);
      expect(validateBillingKeyRequest({ ...billingKey, customer_uid: uid })).toEqual([]);
    }
  });

  it('cap merchant_uid at 40 characters and customer_uid at 80, as the server and the sandbox do', () => {
    expect(validateBillingKeyRequest({ ...billingKey, customer_uid: 'c'.repeat(80) })).toEqual([]);
    for (const length of [81, 100_000]) {
      expect(validateBillingKeyRequest({ ...billingKey, customer_uid: 'c'.repeat(length) })).toEqual([
        { field: 'customer_uid', message: 'customer_uid is at most 80 characters' },
      ]);
    }
    expect(validatePaymentRequest({ ...payment, merchant_uid: 'm'.repeat(41) })).toEqual([
      { field: 'merchant_uid', message: 'merchant_uid is at most 40 characters' },
    ]);
  });
});

describe('buyer_tel', () => {
  it('accepts Korean numbers of 9 to 11 digits from a leading 0, with hyphens or spaces between', () => {
    for (const buyer_tel of [
      '010-1234-5678',
      '01012345678',
      '02-1234-1234',
      '02-123-4567',
      '021234567',
      '031-123-4567',
      '010 1234 5678',
      '070-1234-5678',
      '0505-123-4567',
    ]) {
      expect(validatePaymentRequest({ ...payment, buyer_tel }), buyer_tel).toEqual([]);
    }
  });

  it('refuses anything else, saying what a phone number looks like', () => {
    for (const buyer_tel of [
      '-1-',
      '1'.repeat(1000),
      '0'.repeat(1000),
      '02-123-456',
      '010-1234-56789',
      '1012345678',
      '+82-10-1234-5678',
      '010--1234-5678',
      '-010-1234-5678',
      '010-1234-5678-',
      '010-1234-5678\n',
      '010.1234.5678',
      '０１０-1234-5678',
      'call me',
    ]) {
      expect(validatePaymentRequest({ ...payment, buyer_tel }), buyer_tel).toEqual([
        { field: 'buyer_tel', message: expect.stringMatching(/^buyer_tel must be a Korean phone number: 9 to 11/) },
      ]);
    }
  });

  it('is required, and must be a string', () => {
    for (const buyer_tel of [undefined, '', ' ', 1012345678, ['010-1234-5678']]) {
      expect(validatePaymentRequest({ ...payment, buyer_tel })).toEqual([
        { field: 'buyer_tel', message: 'buyer_tel is required' },
      ]);
    }
  });
});

describe('validators on hostile objects', () => {
  const throwing = () => {
    throw new Error('boom');
  };
  const everyTrap = (trap: keyof ProxyHandler<object>) => new Proxy({ ...payment }, { [trap]: throwing });

  it('never throw on a throwing getter, and refuse the request as unreadable', () => {
    const input = { ...payment };
    Object.defineProperty(input, 'merchant_uid', { enumerable: true, get: throwing });
    for (const validate of [validatePaymentRequest, validateBillingKeyRequest]) {
      expect(validate(input)).toEqual([{ field: '', message: 'the request must be an object with readable fields' }]);
    }
    expect(checkPaymentRequest(input).request).toBeNull();
  });

  it('never throw on a Proxy whose get, has, ownKeys or getOwnPropertyDescriptor throws, or a revoked one', () => {
    const { proxy, revoke } = Proxy.revocable({ ...payment }, {});
    revoke();
    const hostile = [
      everyTrap('get'),
      everyTrap('ownKeys'),
      everyTrap('getOwnPropertyDescriptor'),
      new Proxy({ ...payment }, { get: throwing, has: throwing, ownKeys: throwing }),
      proxy,
    ];
    for (const input of hostile) {
      for (const check of [checkPaymentRequest, checkBillingKeyRequest]) {
        expect(check(input)).toEqual({
          problems: [{ field: '', message: expect.stringMatching(/object/) }],
          request: null,
        });
      }
    }
  });

  it('accept a Proxy that only throws from traps a copy does not use, and send a plain copy of it', () => {
    for (const trap of ['has', 'getPrototypeOf', 'set', 'defineProperty'] as const) {
      const checked = checkPaymentRequest(everyTrap(trap));
      expect(checked).toEqual({ problems: [], request: payment });
      expect(Object.getPrototypeOf(checked.request)).toBe(Object.prototype);
    }
  });

  it('read each field once: a getter that changes its answer cannot pass one value and send another', () => {
    let reads = 0;
    const input = {
      ...payment,
      get merchant_uid() {
        reads += 1;
        return reads === 1 ? 'order_0001' : 'order\u0000evil';
      },
    };
    const checked = checkPaymentRequest(input);
    expect(reads).toBe(1);
    expect(checked.request?.merchant_uid).toBe('order_0001');
    expect(Object.getOwnPropertyDescriptor(checked.request, 'merchant_uid')).toHaveProperty('value', 'order_0001');
  });

  it('never throw on values that throw when turned into text', () => {
    const bad = { toString: throwing, valueOf: throwing, [Symbol.toPrimitive]: throwing };
    for (const field of ['pg', 'channelKey', 'pay_method', 'merchant_uid', 'buyer_tel', 'amount', 'name']) {
      expect(() => validatePaymentRequest({ ...payment, [field]: bad })).not.toThrow();
      expect(() => validateBillingKeyRequest({ ...billingKey, [field]: Symbol(field) })).not.toThrow();
    }
    expect(fieldsOf(validatePaymentRequest({ ...payment, m_redirect_url: bad }))).toEqual(['m_redirect_url']);
  });
});
