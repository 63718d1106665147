import type { Plugin } from 'vite';

/**
 * Routes of the offline sandbox that Storybook's own server answers, so that stories can show what a
 * network does to the SDK: `/__sandbox/never.js` never answers (the SDK stays loading). A built
 * Storybook has no server: there the same URL fails, and the story shows the failure instead.
 */
export function sandboxMiddleware(): Plugin {
  return {
    name: 'portone-kit-sandbox-middleware',
    configureServer(server) {
      server.middlewares.use('/__sandbox/never.js', (request) => {
        // Hold the request open until the browser gives up on it; answer nothing.
        request.socket.setTimeout(0);
      });
    },
  };
}
