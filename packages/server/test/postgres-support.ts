import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { migratePostgresStore } from '../src/index.js';

const STATE_FILE = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.cache', 'portone-kit-postgres.json');

/** The test database server's URL: `PORTONE_KIT_POSTGRES_URL`, else the one `pnpm db:start` wrote. */
function serverUrl(): string | null {
  if (process.env.PORTONE_KIT_POSTGRES_URL) return process.env.PORTONE_KIT_POSTGRES_URL;
  if (!existsSync(STATE_FILE)) return null;
  const state: unknown = JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  return typeof state === 'object' && state !== null && 'url' in state && typeof state.url === 'string'
    ? state.url
    : null;
}

export const POSTGRES_URL = serverUrl();
const MISSING =
  'These tests need PostgreSQL and none is running: start one with `pnpm db:start` (Debian: apt-get install ' +
  'postgresql), or set PORTONE_KIT_POSTGRES_URL. `pnpm test` starts and stops one itself.';

/**
 * `describe` for tests on the real PostgreSQL. Without a server they are skipped, loudly, on a developer's
 * machine; in CI they run and fail with {@link MISSING}, so that they never pass by not running.
 */
const runPostgres = POSTGRES_URL !== null || process.env.CI === 'true';
if (!runPostgres) console.warn(`SKIPPED: ${MISSING}`);
export const describePostgres = describe.skipIf(!runPostgres);

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A database of its own for one test file, migrated, so that no file leans on another's rows. */
export async function freshDatabase(label: string): Promise<TestDatabase> {
  if (POSTGRES_URL === null) throw new Error(MISSING);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${POSTGRES_URL} does not answer (${error instanceof Error ? error.message : error}): ` +
        'restart it with `pnpm db:stop && pnpm db:start`.',
    );
  }
  const name = `portone_kit_${label}_${process.pid}_${Date.now().toString(36)}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.href, max: 8 });
  // Dropping the database ends its sessions, and a connection the pool is still closing hears of it: an
  // error then, and only then, is expected.
  let dropping = false;
  const unlessDropping = (error: Error) => {
    if (!dropping) throw error;
  };
  pool.on('error', unlessDropping);
  pool.on('connect', (client) => client.on('error', unlessDropping));
  await migratePostgresStore(pool);
  return {
    url: url.href,
    pool,
    async drop() {
      dropping = true;
      await pool.end();
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL ?? '' });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** A clock the test moves by hand: time passes only when the test says so. */
export function manualClock(startMs = Date.UTC(2026, 0, 15)) {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}
