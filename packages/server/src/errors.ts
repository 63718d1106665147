// Every error here names the endpoint and never holds imp_secret or an access token: the client builds
// them from PortOne's answer (with any echo of a secret blanked) and from the method and path alone.

/** Anything that went wrong talking to PortOne. `instanceof` one of the subclasses to tell which. */
export class PortoneError extends Error {
  constructor(
    /** The route called, e.g. `POST /subscribe/payments/again` or `GET /payments/imp_123`; never a query. */
    readonly endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PortoneError';
  }
}

/** PortOne answered, but not with success: an HTTP error or a business error (`code` other than 0). */
export class PortoneApiError extends PortoneError {
  /** PortOne's own `message`, e.g. `존재하지 않는 결제정보입니다.`; for an answer that was not PortOne's JSON, ours. */
  readonly portoneMessage: string;

  constructor(
    endpoint: string,
    readonly httpStatus: number,
    /** PortOne's envelope `code`, when the body had one. */
    readonly portoneCode: number | null,
    message: string,
  ) {
    super(
      endpoint,
      `${endpoint}: ${message} (HTTP ${httpStatus}${portoneCode === null ? '' : `, code ${portoneCode}`})`,
    );
    this.name = 'PortoneApiError';
    this.portoneMessage = message;
  }
}

/** The request never got an answer: DNS, refused or reset connection. The request may or may not have arrived. */
export class PortoneNetworkError extends PortoneError {
  constructor(endpoint: string, options?: { cause?: unknown }) {
    super(endpoint, `${endpoint}: no answer from PortOne (network error)`, options);
    this.name = 'PortoneNetworkError';
  }
}

/** No answer within the time allowed. The request may or may not have arrived. */
export class PortoneTimeoutError extends PortoneError {
  constructor(
    endpoint: string,
    readonly timeoutMs: number,
  ) {
    super(endpoint, `${endpoint}: no answer from PortOne within ${timeoutMs} ms`);
    this.name = 'PortoneTimeoutError';
  }
}

/**
 * True when the request may have been carried out although its answer was lost: no answer at all, a 5xx,
 * a 408, or a success status whose body was not PortOne's envelope. A write that failed this way must be
 * looked up, never sent again blindly.
 */
export function isLostAnswer(error: unknown): boolean {
  if (error instanceof PortoneNetworkError || error instanceof PortoneTimeoutError) return true;
  if (!(error instanceof PortoneApiError)) return false;
  return error.httpStatus >= 500 || error.httpStatus === 408 || (error.httpStatus < 300 && error.portoneCode === null);
}
