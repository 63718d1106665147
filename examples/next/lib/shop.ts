import 'server-only';
import { join } from 'node:path';
import { createPortoneClient } from '@portone-kit/server';
import { PLANS } from 'example-shop/catalog';
import { openShopDatabase } from 'example-shop/orders';
import { retryRefunds } from 'example-shop/payments';
import type { SubscriptionContext } from 'example-shop/subscriptions';

// The server side of the app: PortOne's REST client and the example shop's order store (SQLite), made
// once per process. Secrets come from the environment and stay here: nothing in this file reaches a
// browser ('server-only' fails the build if a client component imports it).

export interface ShopSettings {
  /** 고객사 식별코드: public, it is in every page. */
  merchantCode: string;
  /** The SDK script; undefined: the kit's default (PortOne's CDN). */
  sdkSrc: string | undefined;
  /** `pg` of window payments and of billing keys (`mobilians.<billing MID>`). */
  pg: string;
  billingPg: string;
  /** Payments of PortOne's test channel are accepted: always on the sandbox. */
  sandbox: boolean;
}

/** KG Mobilians' public test service ID: the sandbox's billing pg. */
const MOBILIANS_TEST_MID = '170622040674';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: \`pnpm dev\` and \`pnpm start\` start the sandbox and set it for you`);
  }
  return value;
}

export function shopSettings(): ShopSettings {
  const sandbox = process.env.PORTONE_SANDBOX === 'true';
  return {
    merchantCode: required('PORTONE_MERCHANT_CODE'),
    sdkSrc: process.env.PORTONE_SDK_SRC || undefined,
    pg: process.env.PORTONE_PG || 'mobilians',
    billingPg: sandbox ? `mobilians.${MOBILIANS_TEST_MID}` : required('PORTONE_BILLING_PG'),
    sandbox,
  };
}

function openShop(): SubscriptionContext {
  const allowSandbox = shopSettings().sandbox;
  const portone = createPortoneClient({
    impKey: required('PORTONE_IMP_KEY'),
    impSecret: required('PORTONE_IMP_SECRET'),
    ...(process.env.PORTONE_API_URL ? { baseUrl: process.env.PORTONE_API_URL } : {}),
    includeSandbox: allowSandbox,
  });
  const now = () => Date.now();
  const db = openShopDatabase(process.env.SHOP_DATABASE ?? join(process.cwd(), 'data', 'next-shop.sqlite'), now);
  for (const plan of PLANS) db.registerPlan(plan);
  const context: SubscriptionContext = { db, portone, allowSandbox, now, log: (line) => console.log(`[shop] ${line}`) };
  // Refunds a failure or a crash left behind are sent again, on start and every 30 s.
  const retry = () => void retryRefunds(context).catch((error: unknown) => context.log(`refund retry: ${error}`));
  retry();
  setInterval(retry, 30_000).unref();
  return context;
}

// One per process: Next may load this module once per route bundle, and again on every edit in `next dev`.
const globalShop = globalThis as typeof globalThis & { exampleNextShop?: SubscriptionContext };

/** The shop's database and PortOne client, opened on first use. */
export function shop(): SubscriptionContext {
  globalShop.exampleNextShop ??= openShop();
  return globalShop.exampleNextShop;
}
