import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startShop } from './app.js';
import { ConfigError, portoneFromEnvironment } from './config.js';

// `pnpm demo`: the shop on 127.0.0.1, on the offline sandbox unless PortOne's credentials are set.
const here = dirname(fileURLToPath(import.meta.url));
const shopRoot = join(here, '..', '..');

async function main() {
  let portone: ReturnType<typeof portoneFromEnvironment>;
  try {
    portone = portoneFromEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`example-shop: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const shop = await startShop({
    port: Number(process.env.PORT ?? 4300),
    host: process.env.HOST ?? '127.0.0.1',
    databaseFile: process.env.SHOP_DATABASE ?? join(shopRoot, 'data', 'shop.sqlite'),
    clientDir: join(shopRoot, 'dist', 'client'),
    portone,
    sandbox: {
      ...(process.env.SANDBOX_PORT ? { port: Number(process.env.SANDBOX_PORT) } : {}),
      // What issuing a billing key does on the sandbox: charges the window's amount, or charges nothing.
      ...(process.env.SANDBOX_BILLING_KEY_ISSUANCE === 'charges-nothing'
        ? { billingKeyIssuance: 'charges-nothing' as const }
        : {}),
    },
    log: (line) => console.log(`[shop] ${line}`),
  });
  if (shop.sandbox) {
    console.log(`PortOne sandbox (offline emulator) on ${shop.sandbox.url}`);
  } else {
    // The merchant code is public (it is in every page); the key and secret are never printed.
    console.log(`Real PortOne, merchant ${shop.config.merchantCode}`);
  }
  console.log(`Shop on ${shop.url}`);
  const stop = () => {
    shop.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('example-shop failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
