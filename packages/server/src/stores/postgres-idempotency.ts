import type { IdempotencyClaim, IdempotencyStore } from '../webhook.js';
import { nowSql, nowValue, type PostgresQueryable, type PostgresStoreOptions, requireTtl, rowsOf } from './postgres.js';

/** Options of {@link createPostgresIdempotencyStore}: the stores' shared ones, and how long a claim holds. */
export interface PostgresIdempotencyStoreOptions extends PostgresStoreOptions {
  /**
   * How long a claim holds without being completed or released. Default 45 s, as the memory store's:
   * under the minute PortOne waits between retries, so a crashed instance's claim has lapsed by the next one.
   */
  claimTtlMs?: number;
}

/** The webhook store that instances share: {@link IdempotencyStore} with its own forgetting of old keys. */
export interface PostgresIdempotencyStore extends IdempotencyStore {
  /** Forgets done keys older than `olderThanMs` (well past PortOne's retries, e.g. 30 days); how many. */
  pruneDone(olderThanMs: number): Promise<number>;
}

// One round trip: the upsert takes a free or lapsed claim, and the select tells done from busy otherwise.
// The select sees the table as it was when the statement began, so a row that a concurrent statement
// committed (or deleted) meanwhile reads as null: the caller then asks again.
const CLAIM = `
WITH attempt AS (
  INSERT INTO portone_kit_webhook_claims AS c (key, token, done, lapses_at)
  VALUES ($1, $2, false, ${nowSql(3)} + $4::float8 * interval '1 millisecond')
  ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, lapses_at = EXCLUDED.lapses_at
  WHERE NOT c.done AND c.lapses_at <= ${nowSql(3)}
  RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM attempt) AS claimed,
  (SELECT done FROM portone_kit_webhook_claims WHERE key = $1) AS done`;

const COMPLETE = `
INSERT INTO portone_kit_webhook_claims AS c (key, token, done, lapses_at, done_at)
VALUES ($1, NULL, true, NULL, ${nowSql(2)})
ON CONFLICT (key) DO UPDATE SET token = NULL, done = true, lapses_at = NULL, done_at = EXCLUDED.done_at`;

// A claim taken over after it lapsed has a new token: the late first holder's release leaves it alone.
const RELEASE = 'DELETE FROM portone_kit_webhook_claims WHERE key = $1 AND token = $2 AND NOT done';

const PRUNE = `
WITH gone AS (
  DELETE FROM portone_kit_webhook_claims
  WHERE done AND done_at < ${nowSql(1)} - $2::float8 * interval '1 millisecond'
  RETURNING 1
)
SELECT count(*)::int AS deleted FROM gone`;

/** Tries before a key whose row keeps changing under the claim is called busy. */
const CLAIM_TRIES = 3;

/**
 * An {@link IdempotencyStore} in PostgreSQL, for servers with several instances: one row per event key,
 * claimed by an atomic upsert that only takes a free or lapsed claim. Run {@link migratePostgresStore}
 * first. `pool` is a `pg.Pool` (any object with its `query`).
 */
export function createPostgresIdempotencyStore(
  pool: PostgresQueryable,
  options: PostgresIdempotencyStoreOptions = {},
): PostgresIdempotencyStore {
  const claimTtlMs = requireTtl('claimTtlMs', options.claimTtlMs ?? 45_000);
  // This instance's claims: a release frees only the claim this instance made.
  const tokens = new Map<string, string>();
  return {
    async claim(key): Promise<IdempotencyClaim> {
      for (let attempt = 0; attempt < CLAIM_TRIES; attempt++) {
        const token = crypto.randomUUID();
        const [row] = await rowsOf(pool.query(CLAIM, [key, token, nowValue(options), claimTtlMs]));
        if (row?.claimed === true) {
          tokens.set(key, token);
          return 'claimed';
        }
        if (row?.done === true) return 'done';
        if (row?.done === false) return 'busy';
        // Taken or freed while the statement ran: ask again.
      }
      return 'busy';
    },
    async complete(key) {
      tokens.delete(key);
      await pool.query(COMPLETE, [key, nowValue(options)]);
    },
    async release(key) {
      const token = tokens.get(key);
      if (token === undefined) return;
      tokens.delete(key);
      await pool.query(RELEASE, [key, token]);
    },
    async pruneDone(olderThanMs) {
      requireTtl('olderThanMs', olderThanMs);
      const [row] = await rowsOf(pool.query(PRUNE, [nowValue(options), olderThanMs]));
      return Number(row?.deleted ?? 0);
    },
  };
}
