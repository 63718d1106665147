import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { cookies, headers } from 'next/headers';

// The browser's session: an id the shop made and signed, in an HttpOnly cookie. Orders and subscriptions
// carry it, and only that browser sees them. A cookie the shop never issued is ignored.

const COOKIE = 'shop_session';

const globalSecret = globalThis as typeof globalThis & { exampleNextSessionSecret?: string };
/** SHOP_SESSION_SECRET, or a random one per process (sessions then end when the server restarts). */
function secret(): string {
  globalSecret.exampleNextSessionSecret ??= process.env.SHOP_SESSION_SECRET || randomBytes(32).toString('hex');
  return globalSecret.exampleNextSessionSecret;
}

const sign = (id: string) => createHmac('sha256', secret()).update(id).digest('base64url');

function verified(value: string | undefined): string | null {
  const [id, mac] = value?.split('.') ?? [];
  if (!id || !mac || !/^[\w-]{43}$/.test(id)) return null;
  const expected = Buffer.from(sign(id));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

/** This browser's session, or null (a page render cannot set cookies: it shows nothing private). */
export async function readSession(): Promise<string | null> {
  return verified((await cookies()).get(COOKIE)?.value);
}

/** This browser's session, made and set now when it has none. For server actions and route handlers. */
export async function ensureSession(): Promise<string> {
  const existing = await readSession();
  if (existing) return existing;
  const id = randomBytes(32).toString('base64url');
  const secure = (await headers()).get('x-forwarded-proto') === 'https';
  (await cookies()).set(COOKIE, `${id}.${sign(id)}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: 60 * 60 * 24 * 180,
  });
  return id;
}

/**
 * Where phones come back to after the window is on this origin: SITE_URL behind a proxy (e.g.
 * `https://shop.example.com`), or the host this request came to.
 */
export async function siteOrigin(): Promise<string> {
  if (process.env.SITE_URL) return process.env.SITE_URL.replace(/\/$/, '');
  return `http://${(await headers()).get('host') ?? '127.0.0.1'}`;
}
