import type { Sandbox, SandboxFault } from '@portone-kit/sandbox/server';
import type { BrowserCommand } from 'vitest/node';

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** Calls the emulator's REST API from Node, with a token, as a merchant's server would. */
    sandboxRest: (method: 'GET' | 'POST', path: string) => Promise<{ status: number; body: unknown }>;
    /** Injects a fault on one emulator route, or clears them all with `null`. */
    sandboxFault: (route: string | null, fault?: SandboxFault) => Promise<void>;
  }
}

function sandbox(): Sandbox {
  const running = (globalThis as { portoneSandbox?: Sandbox }).portoneSandbox;
  if (!running) throw new Error('the sandbox emulator is not running: is emulator-setup.ts in globalSetup?');
  return running;
}

const sandboxRest: BrowserCommand<[method: 'GET' | 'POST', path: string]> = async (_context, method, path) => {
  const { url, impKey, impSecret } = sandbox();
  const tokenResponse = await fetch(`${url}/users/getToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ imp_key: impKey, imp_secret: impSecret }),
  });
  const token = ((await tokenResponse.json()) as { response: { access_token: string } }).response.access_token;
  const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
};

const sandboxFault: BrowserCommand<[route: string | null, fault?: SandboxFault]> = async (_context, route, fault) => {
  if (route === null || !fault) sandbox().faults.clear();
  else sandbox().faults.set(route, fault);
};

export const emulatorCommands = { sandboxRest, sandboxFault };
