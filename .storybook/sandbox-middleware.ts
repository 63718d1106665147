import type { Plugin } from 'vite';

/** Where stories find the emulator: the same origin as Storybook, so the page needs no CORS or port. */
export const EMULATOR_PATH = '/__sandbox/emulator';

interface RunningSandbox {
  url: string;
  close(): Promise<void>;
}

// One emulator per process, however many Vite servers Storybook and Vitest create with this plugin.
let running: Promise<RunningSandbox | null> | null = null;

function startOnce(): Promise<RunningSandbox | null> {
  running ??= (async () => {
    try {
      // The built package: Storybook loads this file outside Vite, where the workspace sources are not aliased.
      const { startSandbox } = (await import('../packages/sandbox/dist/server.js')) as {
        startSandbox: () => Promise<RunningSandbox>;
      };
      return await startSandbox();
    } catch (error) {
      console.warn(`The sandbox emulator did not start (run pnpm build first): ${String(error)}`);
      return null;
    }
  })();
  return running;
}

/**
 * The offline sandbox inside Storybook's own server (`pnpm start` and the story tests):
 * - PortOne's REST API and the fake SDK of `@portone-kit/sandbox`'s emulator, proxied under `EMULATOR_PATH`;
 * - `/__sandbox/never.js`, a script that never answers (the SDK stays loading).
 * A built Storybook has no server: there these URLs fail, and the stories that use them show the failure.
 */
export function sandboxMiddleware(): Plugin {
  return {
    name: 'portone-kit-sandbox',
    async config(_config, { command }) {
      if (command !== 'serve') return;
      const sandbox = await startOnce();
      if (!sandbox) return;
      return {
        server: {
          proxy: {
            [EMULATOR_PATH]: {
              target: sandbox.url,
              rewrite: (path: string) => path.slice(EMULATOR_PATH.length) || '/',
            },
          },
        },
      };
    },
    configureServer(server) {
      server.middlewares.use('/__sandbox/never.js', (request) => {
        // Hold the request open until the browser gives up on it; answer nothing.
        request.socket.setTimeout(0);
      });
      // The emulator stops with the server that uses it, so that the process can end.
      server.httpServer?.once('close', () => void closeEmulator());
    },
    closeBundle: () => closeEmulator(),
  };
}

async function closeEmulator(): Promise<void> {
  const sandbox = await running;
  running = null;
  await sandbox?.close();
}
