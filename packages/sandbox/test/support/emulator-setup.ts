import { join } from 'node:path';
import { startSandbox } from '@portone-kit/sandbox/server';
import { useSandboxForBrowserCommands } from '@portone-kit/sandbox/testing';
import { build, type Rolldown } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The emulator the browser tests talk to, e.g. `http://127.0.0.1:40123`. */
    sandboxUrl: string;
  }
}

const packageDir = join(import.meta.dirname, '../..');

/** Builds the fake SDK from source, in memory, as the package build would write it to dist/sandbox-sdk.js. */
async function buildSdkScript(): Promise<string> {
  const output = (await build({
    configFile: join(packageDir, 'vite.sdk.config.ts'),
    logLevel: 'silent',
    resolve: { alias: { '@portone-kit/core': join(packageDir, '../core/src/index.ts') } },
    build: { write: false },
  })) as Rolldown.RolldownOutput[];
  const chunk = output[0]?.output.find((file) => file.type === 'chunk');
  if (chunk?.type !== 'chunk') throw new Error('the sandbox SDK build produced no script');
  return chunk.code;
}

/** The emulator behind the browser tests, serving the fake SDK built from this checkout's source. */
export default async function setup(project: TestProject) {
  const sandbox = await startSandbox({ sdkScript: await buildSdkScript() });
  // The browser commands (in the Vitest config) act on it: same process, another module.
  useSandboxForBrowserCommands(sandbox);
  project.provide('sandboxUrl', sandbox.url);
  return async () => {
    useSandboxForBrowserCommands(null);
    await sandbox.close();
  };
}
