/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type SandboxClock, toSeconds } from './clock.js';
import type { AccessToken } from './types.js';

const LIFETIME_MS = 30 * 60 * 1000;
const EXTEND_WITHIN_MS = 60 * 1000;
const EXTEND_BY_MS = 5 * 60 * 1000;

/**
 * PortOne's token rules, on the sandbox clock: a token lives 30 minutes; asking again before it expires
 * gives the same token, extended by 5 minutes when asked within its last minute; after it expires a new
 * one is issued. One key pair, so one live token at a time.
 */
export class TokenIssuer {
  private current: { token: string; expiresAtMs: number } | null = null;

  constructor(private readonly clock: SandboxClock) {}

  issue(): AccessToken {
    const now = this.clock.now();
    if (this.current === null || now >= this.current.expiresAtMs) {
      this.current = { token: randomBytes(20).toString('hex'), expiresAtMs: now + LIFETIME_MS };
    } else if (this.current.expiresAtMs - now <= EXTEND_WITHIN_MS) {
      this.current.expiresAtMs += EXTEND_BY_MS;
    }
    return {
      access_token: this.current.token,
      now: toSeconds(now),
      expired_at: toSeconds(this.current.expiresAtMs),
    };
  }

  /** True when one of the request's token headers carries the live token. */
  accepts(headers: IncomingHttpHeaders): boolean {
    const current = this.current;
    if (current === null || this.clock.now() >= current.expiresAtMs) return false;
    return tokensIn(headers).includes(current.token);
  }

  /** Every token stops working now; the next getToken issues a new one. */
  expireAll(): void {
    this.current = null;
  }
}

/** `Authorization: Bearer <t>`, `Authorization: <t>` and `X-ImpTokenHeader: <t>`, all of which PortOne accepts. */
function tokensIn(headers: IncomingHttpHeaders): string[] {
  const found: string[] = [];
  const authorization = headers.authorization?.trim();
  if (authorization) found.push(authorization.replace(/^Bearer\s+/i, ''));
  const impHeader = headers['x-imptokenheader'];
  if (typeof impHeader === 'string' && impHeader.trim() !== '') found.push(impHeader.trim());
  return found;
}
