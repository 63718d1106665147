import type { LoadPortoneOptions } from '@portone-kit/core';

/** What `usePortone` and `PortoneProvider` take: how to load the SDK, and how to treat this browser. */
export interface PortoneOptions extends LoadPortoneOptions {
  /**
   * Whether this browser takes the mobile path: with `m_redirect_url` in the request, the window's result
   * comes back by redirect. Default: detected from the user agent.
   */
  mobile?: boolean | undefined;
  /**
   * How long a window may stay open without an answer before the flow fails with a `timeout` error and
   * the page is free again (the SDK has no timeout of its own). A later answer is still handled.
   * Default 15 minutes.
   */
  windowTimeoutMs?: number | undefined;
}
