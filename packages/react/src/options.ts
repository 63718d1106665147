import type { LoadPortoneOptions } from '@portone-kit/core';

/** What `usePortone` and `PortoneProvider` take: how to load the SDK, and how to treat this browser. */
export interface PortoneOptions extends LoadPortoneOptions {
  /**
   * Whether this browser takes the mobile path: with `m_redirect_url` in the request, the window's result
   * comes back by redirect. Default: detected from the user agent.
   */
  mobile?: boolean;
}
