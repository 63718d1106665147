import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, USAGE } from '../../src/cli.js';
import type { Sandbox } from '../../src/server.js';

const builtCli = join(import.meta.dirname, '../../dist/cli.js');

/** Runs the CLI in-process until `untilListening` is done, then stops it as a signal would. */
async function runUntil(argv: string[], untilListening: (sandbox: Sandbox) => Promise<void>) {
  const lines: string[] = [];
  const stop = new AbortController();
  let work: Promise<void> = Promise.resolve();
  const code = runCli(argv, {
    print: (text) => lines.push(text),
    printError: (text) => lines.push(text),
    signal: stop.signal,
    onListening: (sandbox) => {
      work = untilListening(sandbox).finally(() => stop.abort());
    },
  });
  const exitCode = await code;
  await work;
  return { exitCode, output: lines.join('\n') };
}

describe('portone-sandbox (runCli)', () => {
  it('prints the URL and the credentials, serves them, and stops cleanly', async () => {
    let url = '';
    const signalsBefore = process.listenerCount('SIGTERM');
    const { exitCode, output } = await runUntil(
      ['--port', '0', '--imp-key', 'cli_key', '--imp-secret', 'cli_secret'],
      async (sandbox) => {
        url = sandbox.url;
        expect(process.listenerCount('SIGTERM')).toBe(signalsBefore + 1);
        const answer = await fetch(`${sandbox.url}/users/getToken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ imp_key: 'cli_key', imp_secret: 'cli_secret' }),
        });
        expect(answer.status).toBe(200);
      },
    );
    expect(exitCode).toBe(0);
    expect(output).toContain(`listening on ${url}`);
    expect(output).toMatch(/imp_key:\s+cli_key/);
    expect(output).toMatch(/imp_secret:\s+cli_secret/);
    expect(process.listenerCount('SIGTERM')).toBe(signalsBefore);
    await expect(fetch(`${url}/v1/iamport.js`)).rejects.toThrow();
  });

  it('takes the options after a `--`, as `pnpm sandbox -- --port N` passes them', async () => {
    let url = '';
    const { exitCode } = await runUntil(['--', '--port', '0'], async (sandbox) => {
      url = sandbox.url;
    });
    expect(exitCode).toBe(0);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('starts with the billing-key issuance --billing-key-issuance names (default: issuing charges)', async () => {
    const chosen: string[] = [];
    const outputs: string[] = [];
    for (const argv of [
      ['--port', '0'],
      ['--port', '0', '--billing-key-issuance', 'charges-nothing'],
    ]) {
      const { exitCode, output } = await runUntil(argv, async (sandbox) => {
        chosen.push(sandbox.billingKeyIssuance);
      });
      expect(exitCode).toBe(0);
      outputs.push(output);
    }
    expect(chosen).toEqual(['charges', 'charges-nothing']);
    expect(outputs[0]).toMatch(/billing key: issuing one charges the window's amount/);
    expect(outputs[1]).toMatch(/billing key: issuing one charges nothing/);
  });

  it('prints the usage for --help and exits 0 without starting', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], { print: (text) => lines.push(text) })).toBe(0);
    expect(lines.join('\n')).toBe(USAGE);
    expect(USAGE).toMatch(/--port/);
  });

  it('exits 2 with the usage for an unknown option or a bad port', async () => {
    for (const argv of [
      ['--prot', '4100'],
      ['--port', 'abc'],
      ['--port', '70000'],
      ['--webhook-format', 'xml'],
      ['--billing-key-issuance', 'sometimes'],
    ]) {
      const errors: string[] = [];
      expect(await runCli(argv, { printError: (text) => errors.push(text) }), argv.join(' ')).toBe(2);
      expect(errors.join('\n')).toMatch(/portone-sandbox:/);
    }
  });

  it('exits 1 when the port is taken', async () => {
    await runUntil(['--port', '0'], async (sandbox) => {
      const errors: string[] = [];
      const port = new URL(sandbox.url).port;
      expect(await runCli(['--port', port], { printError: (text) => errors.push(text) })).toBe(1);
      expect(errors.join('\n')).toMatch(/could not start/);
    });
  });

  // The built bin, when a build exists: a real process, stopped by a real SIGTERM.
  it.runIf(existsSync(builtCli))('runs as dist/cli.js and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [builtCli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += String(chunk);
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (found?.[1]) resolve(found[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    expect((await fetch(`${url}/v1/iamport.js`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
