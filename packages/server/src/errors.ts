/** PortOne answered, but not with success: an HTTP error or a business error (`code` other than 0). */
export class PortoneApiError extends Error {
  constructor(
    /** The route called, e.g. `POST /subscribe/payments/again`; never with a token or query. */
    readonly endpoint: string,
    readonly httpStatus: number,
    /** PortOne's envelope `code`, when the body had one. */
    readonly portoneCode: number | null,
    message: string,
  ) {
    super(`${endpoint}: ${message} (HTTP ${httpStatus}${portoneCode === null ? '' : `, code ${portoneCode}`})`);
    this.name = 'PortoneApiError';
  }
}

/** The request never got an answer: DNS, refused or reset connection. The request may or may not have arrived. */
export class PortoneNetworkError extends Error {
  constructor(
    readonly endpoint: string,
    options?: { cause?: unknown },
  ) {
    super(`${endpoint}: no answer from PortOne (network error)`, options);
    this.name = 'PortoneNetworkError';
  }
}

/** No answer within the time allowed. The request may or may not have arrived. */
export class PortoneTimeoutError extends Error {
  constructor(
    readonly endpoint: string,
    readonly timeoutMs: number,
  ) {
    super(`${endpoint}: no answer from PortOne within ${timeoutMs} ms`);
    this.name = 'PortoneTimeoutError';
  }
}
