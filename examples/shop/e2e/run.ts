import './checkout.test.js';
import './mobile.test.js';
import './subscription.test.js';
import './refunds.test.js';
import './server.test.js';
import { runAll } from './harness.js';

// `pnpm test:e2e`: every test in the order imported above; exits 1 when any failed.
const failed = await runAll();
process.exit(failed > 0 ? 1 : 0);
