import { buildRedirectUrl, parseRedirectResult, type RedirectField } from '@portone-kit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('parseRedirectResult', () => {
  it('reads a success redirect from a URL, a search string, a URL object and URLSearchParams alike', () => {
    const href = 'https://shop.example/pay/return?imp_uid=imp_1&merchant_uid=order_1&imp_success=true';
    const expected = { status: 'completed', impUid: 'imp_1', merchantUid: 'order_1' };
    expect(parseRedirectResult(href)).toMatchObject(expected);
    expect(parseRedirectResult('?imp_uid=imp_1&merchant_uid=order_1&imp_success=true')).toMatchObject(expected);
    expect(parseRedirectResult(new URL(href))).toMatchObject(expected);
    expect(parseRedirectResult(new URL(href).searchParams)).toMatchObject(expected);
  });

  it('ignores the merchant query parameters and the fragment', () => {
    const result = parseRedirectResult('/return?utm_source=mobile&imp_uid=imp_1&merchant_uid=order_1&success=true#top');
    expect(result).toEqual({
      status: 'completed',
      impUid: 'imp_1',
      merchantUid: 'order_1',
      raw: { imp_uid: 'imp_1', merchant_uid: 'order_1', success: 'true' },
    });
  });

  it('reads a result with neither imp_success nor success', () => {
    expect(parseRedirectResult('?imp_uid=imp_1&merchant_uid=order_1').status).toBe('completed');
  });

  it('reads failures and cancels, decoding the message', () => {
    expect(
      parseRedirectResult(
        '?imp_uid=imp_1&merchant_uid=o&imp_success=false&error_code=F1002&error_msg=%EC%9D%B4%EB%AF%B8',
      ),
    ).toMatchObject({ status: 'failed', code: 'F1002', message: '이미' });
    expect(parseRedirectResult('?merchant_uid=o&error_code=F0005&error_msg=x')).toMatchObject({ status: 'cancelled' });
  });

  it('gives invalid, with a reason, for a missing merchant_uid, repeated keys, long values or no imp_uid', () => {
    expect(parseRedirectResult('?imp_uid=imp_1')).toEqual({ status: 'invalid', reason: 'merchant_uid is missing' });
    expect(parseRedirectResult('?imp_uid=a&imp_uid=b&merchant_uid=o')).toEqual({
      status: 'invalid',
      reason: 'imp_uid is repeated or over 2000 characters',
    });
    expect(parseRedirectResult(`?merchant_uid=o&imp_uid=imp_1&error_msg=${'x'.repeat(5000)}`)).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/error_msg is repeated or over 2000/),
    });
    expect(parseRedirectResult('?merchant_uid=o&imp_success=true')).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/imp_uid is missing/),
    });
    expect(parseRedirectResult('')).toMatchObject({ status: 'invalid' });
  });

  it('never throws on look-alike objects, Proxies and throwing getters', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    const params = new URLSearchParams('imp_uid=imp_1&merchant_uid=order_1');
    const { proxy, revoke } = Proxy.revocable(params, {});
    revoke();
    const fakeUrl = Object.create(URL.prototype) as URL;
    Object.defineProperty(fakeUrl, 'searchParams', { get: throwing });
    class Weird extends URLSearchParams {
      override getAll(): string[] {
        throw new Error('boom');
      }
    }
    const hostile: unknown[] = [
      proxy,
      new Proxy(params, { get: throwing, has: throwing, ownKeys: throwing, getPrototypeOf: throwing }),
      new Proxy(params, {}),
      Object.create(URLSearchParams.prototype),
      fakeUrl,
      new Weird('imp_uid=imp_1&merchant_uid=order_1'),
      { toString: throwing },
      42,
      null,
      undefined,
    ];
    for (const input of hostile) {
      expect(parseRedirectResult(input as string)).toEqual({ status: 'invalid', reason: 'not a URL or query string' });
    }
  });

  it('never throws on arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })), (input) => {
        const result = parseRedirectResult(input);
        expect(['completed', 'failed', 'cancelled', 'invalid']).toContain(result.status);
      }),
      { numRuns: 1000 },
    );
  });

  it('parses a redirect URL built from a result back to that result (property)', () => {
    const value = fc.string({ minLength: 1, maxLength: 60 });
    const fields = fc.record(
      {
        imp_uid: value,
        merchant_uid: value,
        imp_success: fc.constantFrom('true', 'false'),
        error_code: value,
        error_msg: value,
      },
      { requiredKeys: ['merchant_uid'] },
    );
    const merchantQuery = fc.dictionary(
      fc
        .string({ minLength: 1, maxLength: 8 })
        .filter(
          (name) => !['imp_uid', 'merchant_uid', 'imp_success', 'success', 'error_code', 'error_msg'].includes(name),
        ),
      fc.string(),
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(fields, merchantQuery, (result, query) => {
        const base = new URL('https://shop.example/pay/return');
        for (const [name, text] of Object.entries(query)) base.searchParams.append(name, text);
        const url = buildRedirectUrl(base.href, result as Partial<Record<RedirectField, string>>);
        const parsed = parseRedirectResult(url);
        if (parsed.status === 'invalid') {
          // Only a success claim without an imp_uid is unreadable.
          expect(
            result.imp_uid === undefined && result.error_code === undefined && result.imp_success !== 'false',
          ).toBe(true);
          return;
        }
        expect(parsed.raw).toEqual(result);
        expect(parsed.merchantUid).toBe(result.merchant_uid);
        if (parsed.status === 'completed') expect(parsed.impUid).toBe(result.imp_uid);
        else expect(parsed.impUid).toBe(result.imp_uid ?? null);
      }),
      { numRuns: 1000 },
    );
  });
});
