// `pnpm check:readme-app`: a new app made from the top-level README's words alone, in a temporary directory.
// Packs the packages with the README's command; installs the tarballs with the README's package.json and
// pnpm-workspace.yaml; compiles every TypeScript block of the README, and the examples of the core, react
// and sandbox READMEs, with the README's tsconfig.json (strict, moduleResolution bundler; then once more
// with nodenext); starts the sandbox's CLI from the installed tarball; then, with the README's server code
// as written and in the environment the README says to set, verifies a payment made in the sandbox's
// window and charges a billing key issued there (once: the second call meets "already paid").
// Needs the packages built (`pnpm build`, which `pnpm test` runs first). Installs from the local pnpm store
// where it can, else from the npm registry; nothing else leaves 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const started = Date.now();
const app = mkdtempSync(join(tmpdir(), 'portone-kit-readme-app-'));
const keep = process.argv.includes('--keep');

/** Every fenced block of the README: its language and text. */
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, lang, text]) => ({ lang, text }));
const one = (what, test) => {
  const found = blocks.filter(test);
  if (found.length !== 1) throw new Error(`the README must have exactly one ${what}; it has ${found.length}`);
  return found[0].text;
};

// The environment of a fresh shell: nothing from this repository's pnpm run leaks into the app's installs.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_(?!config_(registry|store_dir|cache)$)|pnpm_)/i.test(key)),
);

function run(command, args, options = {}) {
  const t = Date.now();
  const result = spawnSync(command, args, { cwd: app, env, encoding: 'utf8', ...options });
  const line = `${command} ${args.join(' ')}`;
  if (result.status !== 0) {
    throw new Error(`${line} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`  ${line}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return result.stdout;
}

let sandbox;
try {
  for (const dir of ['core', 'react', 'server', 'sandbox']) {
    if (!existsSync(join(root, 'packages', dir, 'dist')))
      throw new Error(`packages/${dir} is not built: run pnpm build`);
  }
  console.log(`README app in ${app}`);

  // 1. The tarballs, with the README's pack command (its path pointed at this app).
  const packLine = one(
    'sh block that packs the packages',
    (b) => b.lang === 'sh' && b.text.includes('pack --pack-destination'),
  )
    .split('\n')
    .find((line) => line.includes('pack --pack-destination'));
  const packArgs = packLine
    .replace('/path/to/your-app/vendor', join(app, 'vendor'))
    .match(/"[^"]*"|\S+/g)
    .map((word) => word.replace(/^"|"$/g, ''));
  run(packArgs[0], packArgs.slice(1), { cwd: root });

  // 2. The app's files, as the README gives them.
  const manifest = one(
    'package.json block',
    (b) => b.lang === 'json' && b.text.includes('"@portone-kit/react": "file:'),
  );
  const workspace = one('pnpm-workspace.yaml block', (b) => b.lang === 'yaml' && b.text.startsWith('overrides:'));
  const tsconfig = one('tsconfig.json block', (b) => b.lang === 'json' && b.text.includes('"compilerOptions"'));
  const compilerOptions = JSON.parse(tsconfig).compilerOptions;
  if (compilerOptions.strict !== true || compilerOptions.moduleResolution !== 'bundler') {
    throw new Error('the README tsconfig.json must be strict with moduleResolution bundler');
  }
  writeFileSync(join(app, 'package.json'), manifest);
  writeFileSync(join(app, 'pnpm-workspace.yaml'), workspace);
  writeFileSync(join(app, 'tsconfig.json'), tsconfig);
  mkdirSync(join(app, 'src'));
  const code = blocks.filter((b) => b.lang === 'ts' || b.lang === 'tsx');
  for (const [index, block] of code.entries()) {
    writeFileSync(join(app, 'src', `block-${index + 1}.${block.lang}`), block.text);
  }
  // The package READMEs' examples too (the sandbox's from its export list on: its earlier blocks are excerpts).
  let examples = 0;
  for (const [dir, from] of [
    ['core', ''],
    ['react', ''],
    ['sandbox', '## Every export'],
  ]) {
    const text = readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8');
    const start = text.indexOf(from);
    if (start < 0) throw new Error(`packages/${dir}/README.md has no "${from}"`);
    for (const [, lang, block] of text.slice(start).matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)) {
      writeFileSync(join(app, 'src', `${dir}-${++examples}.${lang}`), block);
    }
  }
  const serverIndex = code.findIndex((b) => /export async function verifyOrder\b/.test(b.text));
  if (serverIndex < 0) throw new Error('no README block exports verifyOrder');

  // 3. Install, compile (bundler as written, then nodenext).
  // A new app has no lockfile yet: under CI=true pnpm would insist on one.
  run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile', '--config.confirmModulesPurge=false']);
  run('node_modules/.bin/tsc', ['-p', 'tsconfig.json']);
  run('node_modules/.bin/tsc', [
    '-p',
    'tsconfig.json',
    '--noEmit',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
  ]);
  console.log(
    `  compiled ${code.length} README blocks and ${examples} package README examples (strict; bundler, nodenext)`,
  );

  // 4. The sandbox, from the installed tarball's CLI (a free port instead of the README's 4100).
  sandbox = spawn(join(app, 'node_modules/.bin/portone-sandbox'), ['--port', '0'], { cwd: app, env });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`portone-sandbox did not start:\n${output}`)), 15_000);
    sandbox.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    sandbox.on('exit', (status) => reject(new Error(`portone-sandbox exited (${status}):\n${output}`)));
  });

  // 5. The README's environment for the sandbox, as its sh block sets it.
  const envBlock = one(
    'sh block that sets the server environment',
    (b) => b.lang === 'sh' && b.text.includes('PORTONE_API_URL='),
  );
  const serverEnv = Object.fromEntries(
    [...envBlock.matchAll(/\b(PORTONE_\w+)=(\S+)/g)].map(([, key, value]) => [
      key,
      value.replace('http://127.0.0.1:4100', url),
    ]),
  );
  for (const key of ['PORTONE_IMP_KEY', 'PORTONE_IMP_SECRET', 'PORTONE_API_URL', 'PORTONE_SANDBOX']) {
    if (!serverEnv[key]) throw new Error(`the README's sandbox environment does not set ${key}`);
  }

  // 6. A payment in the sandbox's window, verified by the README's verifyOrder; the wrong amount refused;
  //    without PORTONE_SANDBOX a test payment is refused too (as the README warns).
  writeFileSync(
    join(app, 'verify.mjs'),
    `import { windowPay } from '@portone-kit/sandbox/testing';
import { chargeMonth, verifyOrder } from './dist/block-${serverIndex + 1}.js';
const [url] = process.argv.slice(2);
const order = { merchantUid: 'readme_' + Date.now(), amount: 9900 };
const paid = await windowPay({ url }, {
  params: { pay_method: 'card', merchant_uid: order.merchantUid, amount: order.amount, buyer_tel: '010-1234-5678', name: 'README' },
});
if (!paid.imp_uid) throw new Error('the sandbox window did not pay: ' + JSON.stringify(paid));
const outcome = async (run) => { try { return await run(); } catch (error) { return error; } };
const verified = await outcome(() => verifyOrder(paid.imp_uid, order));
const wrong = await outcome(() => verifyOrder(paid.imp_uid, { ...order, amount: 100 }));
// A billing key issued in the window (amount 0), then the README's monthly charge: paid once, never twice.
const customerUid = 'readme_customer_' + Date.now();
await windowPay({ url }, {
  params: { pay_method: 'phone', merchant_uid: 'issue_' + customerUid, customer_uid: customerUid, amount: 0, buyer_tel: '010-1234-5678' },
});
const month = new Date().toISOString().slice(0, 7);
const charges = [await outcome(() => chargeMonth(customerUid, month)), await outcome(() => chargeMonth(customerUid, month))];
console.log(JSON.stringify({
  verified: verified instanceof Error ? verified.message : { status: verified.status, amount: verified.amount },
  wrong: wrong instanceof Error ? wrong.message : 'verified',
  charges: charges.map((charge) => (charge instanceof Error ? charge.message : charge)),
}));
`,
  );
  const check = (extraEnv) =>
    JSON.parse(
      run('node', ['verify.mjs', url], { env: { ...env, ...extraEnv } })
        .trim()
        .split('\n')
        .at(-1),
    );
  const onSandbox = check(serverEnv);
  const expected = JSON.stringify({
    verified: { status: 'paid', amount: 9900 },
    wrong: 'not paid as ordered: amount',
    charges: ['paid', 'already-paid'],
  });
  if (JSON.stringify(onSandbox) !== expected)
    throw new Error(`on the sandbox: ${JSON.stringify(onSandbox)}, expected ${expected}`);
  const { PORTONE_SANDBOX: _, ...productionEnv } = serverEnv;
  const inProduction = check(productionEnv);
  if (inProduction.verified !== 'not paid as ordered: sandbox') {
    throw new Error(`without PORTONE_SANDBOX a test payment must be refused: ${JSON.stringify(inProduction)}`);
  }
  console.log(
    `README app check passed in ${((Date.now() - started) / 1000).toFixed(1)} s: a payment on the sandbox verified by the README's verifyOrder, a month charged once by its chargeMonth`,
  );
} catch (error) {
  console.error(`README app check failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  sandbox?.kill();
  if (keep) console.log(`kept ${app}`);
  else rmSync(app, { recursive: true, force: true });
}
