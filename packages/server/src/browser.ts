// What a browser bundle gets when it imports @portone-kit/server: the REST client holds imp_secret,
// which must never reach a browser. Failing at load says so at once instead of leaking the secret.
const message =
  '@portone-kit/server runs on your server only: it holds imp_key and imp_secret. ' +
  'Call it from an API route or server action, and import @portone-kit/react in the browser.';

throw new Error(message);

export {};
