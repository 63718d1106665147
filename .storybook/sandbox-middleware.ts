import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { EMULATOR_PATH } from '../stories/support/emulator.ts';

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
    // Only a server that really starts gets an emulator: a Vitest run of other projects loads this config too.
    async configureServer(server) {
      server.middlewares.use('/__sandbox/never.js', (request) => {
        // Hold the request open until the browser gives up on it; answer nothing.
        request.socket.setTimeout(0);
      });
      const sandbox = await startOnce();
      if (sandbox)
        server.middlewares.use(EMULATOR_PATH, (request, response) => forward(sandbox.url, request, response));
      // The emulator stops with the server that uses it, so that the process can end.
      server.httpServer?.once('close', () => void closeEmulator());
    },
    closeBundle: () => closeEmulator(),
  };
}

/** Passes one request to the emulator and its answer back: a proxy of a few lines for 127.0.0.1. */
function forward(target: string, request: IncomingMessage, response: ServerResponse) {
  const upstream = httpRequest(
    new URL(request.url ?? '/', target),
    { method: request.method, headers: { ...request.headers, host: new URL(target).host } },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', () => response.destroy());
  request.pipe(upstream);
}

async function closeEmulator(): Promise<void> {
  const sandbox = await running;
  running = null;
  await sandbox?.close();
}
