import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createPortoneClient } from '../src/node.js';

// Every form an upstream may echo the secret or a token in, blanked in every place an error shows up.

const KEY = 'imp_key_1234';
// Characters that URL-encoding and base64's alphabets treat differently, so that each form differs.
const SECRET = 'Xk9/vQ+2 m=Lp7#wZ4&rT8~uY5?sN1';
const TOKEN = 'f3c9a2b7e1d04c8a9b6e5f2d1c0b9a8e7d6c5b4a';

const base64 = (text: string) => Buffer.from(text).toString('base64');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** How an upstream echoes a value, and the part of that echo which must not be seen. */
const FORMS: Record<string, (value: string) => { echoed: string; hidden: string }> = {
  exact: (value) => ({ echoed: value, hidden: value }),
  'upper case': (value) => ({ echoed: value.toUpperCase(), hidden: value.toUpperCase() }),
  'mixed case': (value) => {
    const mixed = [...value].map((char, index) => (index % 2 ? char.toUpperCase() : char.toLowerCase())).join('');
    return { echoed: mixed, hidden: mixed };
  },
  'URL-encoded': (value) => ({ echoed: encodeURIComponent(value), hidden: encodeURIComponent(value) }),
  'URL-encoded, lower-case escapes': (value) => {
    const encoded = encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase());
    return { echoed: encoded, hidden: encoded };
  },
  base64: (value) => ({ echoed: base64(value), hidden: base64(value).slice(0, -4) }),
  base64url: (value) => ({ echoed: base64url(value), hidden: base64url(value).slice(0, -4) }),
  // Basic authentication: the secret starts inside a 3-byte group; the first 16 characters are the key's.
  'base64 of key:secret': (value) => {
    const encoded = base64(`${KEY}:${value}`);
    return { echoed: encoded, hidden: encoded.slice(20, -4) };
  },
  'first 20 characters': (value) => ({ echoed: value.slice(0, 20), hidden: value.slice(0, 20) }),
  '8 characters from the middle': (value) => ({ echoed: value.slice(9, 17), hidden: value.slice(9, 17) }),
};

/** A PortOne that issues TOKEN, then answers the payment read with an echo, or fails it with one. */
function echoingClient(echo: string, how: 'answer' | 'throw') {
  return createPortoneClient({
    impKey: KEY,
    impSecret: SECRET,
    baseUrl: 'http://127.0.0.1:9',
    readRetries: 0,
    fetch: async (input) => {
      if (String(input).endsWith('/users/getToken')) {
        const now = 1_800_000_000;
        return Response.json({
          code: 0,
          message: null,
          response: { access_token: TOKEN, now, expired_at: now + 1800 },
        });
      }
      if (how === 'throw') {
        // A chain of causes, one of them not an Error, each with the echo.
        throw new Error(`socket hang up: ${echo}`, {
          cause: new Error(`sent ${echo}`, { cause: `raw ${echo}` }),
        });
      }
      return Response.json({ code: 1, message: `invalid: ${echo}`, response: null }, { status: 400 });
    },
  });
}

/** Every place an error shows up in a log: its own and each cause's. */
function places(error: unknown): Record<string, string> {
  const shown: Record<string, string> = {
    'String()': String(error),
    'JSON.stringify': JSON.stringify(error),
    'util.inspect': inspect(error, { depth: 20, showHidden: true, getters: true }),
  };
  let current: unknown = error;
  for (let depth = 0; current instanceof Error; depth++) {
    const where = depth === 0 ? 'error' : `cause ${depth}`;
    shown[`${where}.message`] = current.message;
    shown[`${where}.stack`] = current.stack ?? '';
    shown[`${where} as text`] = String(current);
    current = current.cause;
  }
  if (current !== undefined) shown['last cause'] = String(current);
  return shown;
}

describe.each(Object.entries(FORMS))('the secret and the token echoed %s', (_name, form) => {
  it.each(['answer', 'throw'] as const)('are blanked everywhere the error of a %s shows', async (how) => {
    const secret = form(SECRET);
    const token = form(TOKEN);
    const error = await echoingClient(`${secret.echoed} Bearer ${token.echoed}`, how)
      .getPayment('imp_1')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: how === 'answer' ? 'PortoneApiError' : 'PortoneNetworkError' });
    const shown = places(error);
    // The echo reached the error (blanked), and the causes were kept.
    expect(shown[how === 'answer' ? 'error.message' : 'cause 1.message']).toContain('[redacted]');
    if (how === 'throw') expect(shown['cause 2.message']).toMatch(/^sent.*\[redacted\]/);
    for (const [place, text] of Object.entries(shown)) {
      for (const hidden of [secret.hidden, token.hidden]) {
        expect(text.toLowerCase(), `${place} shows ${hidden}`).not.toContain(hidden.toLowerCase());
      }
    }
  });
});
