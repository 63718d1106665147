import { interpretPaymentResponse } from '@portone-kit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('interpretPaymentResponse', () => {
  it('reads a response without error as completed, waiting for the server, and keeps the raw object', () => {
    const response = { imp_uid: 'imp_123', merchant_uid: 'order_1', paid_amount: 1000, extra: { a: 1 } };
    expect(interpretPaymentResponse(response)).toEqual({
      status: 'completed',
      impUid: 'imp_123',
      merchantUid: 'order_1',
      raw: response,
    });
    expect(interpretPaymentResponse({ ...response, success: true }).status).toBe('completed');
    expect(interpretPaymentResponse({ ...response, imp_success: 'true' }).status).toBe('completed');
  });

  it('reads error_code as failed, with the code and message', () => {
    expect(
      interpretPaymentResponse({
        imp_uid: 'imp_1',
        merchant_uid: 'order_1',
        error_code: 'F1002',
        error_msg: '이미 결제가 이루어진 거래건입니다',
      }),
    ).toMatchObject({ status: 'failed', code: 'F1002', message: '이미 결제가 이루어진 거래건입니다', impUid: 'imp_1' });
  });

  it('reads success or imp_success false, as boolean or string, as failed even without a code', () => {
    for (const flag of [{ success: false }, { success: 'false' }, { imp_success: false }, { imp_success: 'false' }]) {
      expect(interpretPaymentResponse({ imp_uid: 'imp_1', merchant_uid: 'order_1', ...flag })).toMatchObject({
        status: 'failed',
        code: null,
        message: 'the payment failed',
      });
    }
  });

  it('reads F0005 and the PG cancel messages as cancelled', () => {
    expect(
      interpretPaymentResponse({ merchant_uid: 'o', error_code: 'F0005', error_msg: '결제가 중단되었습니다' }).status,
    ).toBe('cancelled');
    expect(
      interpretPaymentResponse({
        imp_uid: 'imp_42234234',
        merchant_uid: 'mid_1',
        imp_success: 'false',
        error_msg: 'F0005:결제가 중단되었습니다(imp_42234234).01 | 사용자가 결제를 취소 하였습니다.',
      }),
    ).toMatchObject({ status: 'cancelled', code: null, impUid: 'imp_42234234' });
    expect(
      interpretPaymentResponse({ merchant_uid: 'o', error_code: 'USER_CANCEL', error_msg: 'User cancelled' }).status,
    ).toBe('cancelled');
  });

  it('reads a decline that says the request was stopped as failed, not cancelled', () => {
    expect(
      interpretPaymentResponse({
        imp_uid: 'imp_1',
        merchant_uid: 'o',
        error_code: 'F0004',
        error_msg: 'PG사 결제요청에 실패하여 중단합니다',
      }).status,
    ).toBe('failed');
    expect(
      interpretPaymentResponse({ merchant_uid: 'o', error_code: 'LIMIT', error_msg: '카드 한도 초과' }).status,
    ).toBe('failed');
    expect(
      interpretPaymentResponse({ merchant_uid: 'o', error_code: 'X1', error_msg: 'Card cancelled by issuer' }).status,
    ).toBe('failed');
  });

  it('reads a response with a null imp_uid (pre-validation failure) as failed, never completed', () => {
    expect(interpretPaymentResponse({ imp_uid: null, merchant_uid: 'order_1' })).toMatchObject({
      status: 'failed',
      message: 'the result has no imp_uid',
    });
  });

  it('reads an error_code of an unexpected type as failed', () => {
    expect(interpretPaymentResponse({ imp_uid: 'imp_1', merchant_uid: 'o', error_code: {} }).status).toBe('failed');
    expect(interpretPaymentResponse({ imp_uid: 'imp_1', merchant_uid: 'o', error_code: 0 }).status).toBe('failed');
  });

  it('answers garbage with a failed result, not an exception', () => {
    for (const input of [undefined, null, 'ok', 1, [], () => 1]) {
      expect(interpretPaymentResponse(input).status).toBe('failed');
    }
  });

  it('never throws and is completed only with both ids and no failure sign (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.dictionary(
            fc.constantFrom(
              'imp_uid',
              'merchant_uid',
              'error_code',
              'success',
              'imp_success',
              'error_msg',
              '__proto__',
            ),
            fc.anything(),
          ),
        ),
        (input) => {
          const result = interpretPaymentResponse(input);
          if (result.status === 'completed') {
            const fields = input as Record<string, unknown>;
            expect(typeof fields.imp_uid).toBe('string');
            expect(typeof fields.merchant_uid).toBe('string');
            expect(fields.error_code === undefined || fields.error_code === null || fields.error_code === '').toBe(
              true,
            );
          } else {
            expect(typeof result.message).toBe('string');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  describe('on hostile objects', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    const paid = { imp_uid: 'imp_1', merchant_uid: 'order_1', paid_amount: 1000 };

    it('never throws on a Proxy whose get, has, ownKeys or getOwnPropertyDescriptor throws, or a revoked one', () => {
      const { proxy, revoke } = Proxy.revocable({ ...paid }, {});
      revoke();
      const hostile = [
        proxy,
        new Proxy({ ...paid }, { get: throwing }),
        new Proxy({ ...paid }, { get: throwing, has: throwing, ownKeys: throwing }),
        new Proxy({ ...paid }, { getOwnPropertyDescriptor: throwing }),
        new Proxy([], { get: throwing }),
      ];
      for (const response of hostile) {
        expect(interpretPaymentResponse(response)).toMatchObject({
          status: 'failed',
          message: 'the result has no imp_uid',
          impUid: null,
          merchantUid: null,
        });
      }
    });

    it("reads PortOne's fields one by one when the object cannot be copied: one bad field loses no payment", () => {
      const withBadGetter = { ...paid };
      Object.defineProperty(withBadGetter, 'card_name', { enumerable: true, get: throwing });
      expect(interpretPaymentResponse(withBadGetter)).toEqual({
        status: 'completed',
        impUid: 'imp_1',
        merchantUid: 'order_1',
        raw: { imp_uid: 'imp_1', merchant_uid: 'order_1' },
      });
      expect(interpretPaymentResponse(new Proxy({ ...paid }, { ownKeys: throwing }))).toMatchObject({
        status: 'completed',
        impUid: 'imp_1',
      });
      const declined = new Proxy(
        { ...paid, error_code: 'F400', error_msg: '한도초과' },
        { get: (target, name) => (name === 'paid_amount' ? throwing() : Reflect.get(target, name)) },
      );
      expect(interpretPaymentResponse(declined)).toMatchObject({ status: 'failed', code: 'F400', message: '한도초과' });
    });

    it('leaves out a field whose getter throws, and still reads the others', () => {
      const response = { merchant_uid: 'order_1', error_msg: '사용자가 결제를 취소하였습니다' };
      Object.defineProperty(response, 'imp_uid', { enumerable: true, get: throwing });
      expect(interpretPaymentResponse(response)).toMatchObject({
        status: 'cancelled',
        impUid: null,
        merchantUid: 'order_1',
      });
    });

    it('reads own fields only, each once', () => {
      let reads = 0;
      const response = {
        merchant_uid: 'order_1',
        get imp_uid() {
          reads += 1;
          return 'imp_1';
        },
      };
      expect(interpretPaymentResponse(response).status).toBe('completed');
      expect(reads).toBe(1);
      expect(interpretPaymentResponse(Object.create(paid)).status).toBe('failed');
    });

    it('never throws on values that throw when turned into text', () => {
      const bad = { toString: throwing, valueOf: throwing, [Symbol.toPrimitive]: throwing };
      for (const name of ['imp_uid', 'merchant_uid', 'error_code', 'error_msg', 'success', 'imp_success']) {
        for (const value of [bad, Symbol(name)]) {
          const result = interpretPaymentResponse({ ...paid, [name]: value });
          // An id or error_code that is no text never completes a payment; other fields are read as absent.
          expect(result.status === 'completed').toBe(!['imp_uid', 'merchant_uid', 'error_code'].includes(name));
        }
      }
    });
  });
});
