/** An answer not yet written, so that a fault can still replace it after the work is done. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The CORS headers of the routes the browser's fake window calls from another port. */
export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

export const jsonReply = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': JSON_TYPE, ...headers },
  body: JSON.stringify(value),
});

/** PortOne's envelope: `{ code, message, response }`. */
export const envelope = (status: number, code: number, message: string | null, response: unknown): Reply =>
  jsonReply(status, { code, message, response });

export const success = (response: unknown): Reply => envelope(200, 0, null, response);

/** A refusal PortOne reports with HTTP 200 and a non-zero code. */
export const businessError = (code: number, message: string): Reply => envelope(200, code, message, null);

/** An HTTP error (400, 401, 404, …) in the envelope. */
export const httpError = (status: number, message: string): Reply => envelope(status, -1, message, null);

export const NOT_FOUND_PAYMENT = '존재하지 않는 결제정보입니다.';
