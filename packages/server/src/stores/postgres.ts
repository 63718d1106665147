/**
 * What the PostgreSQL stores need of node-postgres: a `pg.Pool` (or `pg.Client`) fits as it is. Typed
 * here, not imported, so that this package never loads `pg` and the edge builds stay free of it.
 */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Options of the PostgreSQL stores: where their time comes from (default: the database's clock). */
export interface PostgresStoreOptions {
  /**
   * Where the store's time comes from, in milliseconds since the UNIX epoch. Default: the database's
   * clock, one clock for every instance, so that servers whose clocks disagree still agree on when a claim
   * or lease lapses. Tests pass their own to make time pass without waiting.
   */
  now?: () => number;
}

/**
 * SQL for "now": the injected clock's value when there is one (bound as `$n`), else the database's.
 * `to_timestamp(NULL)` is NULL, so one statement serves both.
 */
export const nowSql = (parameter: number) => `coalesce(to_timestamp($${parameter}::float8 / 1000), now())`;

/** The value bound for {@link nowSql}: null lets the database's clock decide. */
export const nowValue = (options: PostgresStoreOptions): number | null => (options.now ? options.now() : null);

export const rowsOf = async (pending: Promise<{ rows: unknown[] }>): Promise<Record<string, unknown>[]> =>
  (await pending).rows.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null);

/** Checks a time to live at creation, so that a misconfigured server fails at start. */
export function requireTtl(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be 0 or more milliseconds`);
  return value;
}

/** Numbered, append-only: a released migration is never edited, a change is a new one. Each is idempotent. */
const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE IF NOT EXISTS portone_kit_webhook_claims (
  key text PRIMARY KEY,
  -- Who claims it now (null once done): only that claim's own release frees it.
  token text,
  done boolean NOT NULL DEFAULT false,
  lapses_at timestamptz,
  done_at timestamptz
);
CREATE INDEX IF NOT EXISTS portone_kit_webhook_claims_done_at ON portone_kit_webhook_claims (done_at);
CREATE TABLE IF NOT EXISTS portone_kit_charge_leases (
  merchant_uid text PRIMARY KEY,
  holder text NOT NULL,
  token text NOT NULL,
  lapses_at timestamptz NOT NULL
);`,
  },
];

// Any fixed number: it only has to differ from the application's own advisory locks.
const MIGRATION_LOCK = 7_305_114_222_012;

/** What {@link migratePostgresStore} did: the migrations it applied. */
export interface MigrationReport {
  /** The versions this call applied; empty when the database was up to date. */
  applied: number[];
}

/**
 * Creates or updates the tables of the PostgreSQL stores (`portone_kit_*`, in the connection's
 * `search_path`). Idempotent and safe to run from several instances at once (an advisory lock makes them
 * take turns); run it at start, or from your own migration tool by copying nothing: it records what it
 * applied in `portone_kit_migrations`.
 */
export async function migratePostgresStore(pool: PostgresQueryable): Promise<MigrationReport> {
  // One statement string, one implicit transaction: the transaction-scoped lock holds until it ends.
  const locked = (sql: string) => `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK});\n${sql}`;
  await pool.query(
    locked(`CREATE TABLE IF NOT EXISTS portone_kit_migrations (
  version integer PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);`),
  );
  const rows = await rowsOf(pool.query('SELECT version FROM portone_kit_migrations'));
  const done = new Set(rows.map((row) => Number(row.version)));
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    // Two instances may both find it missing: the lock makes the second wait, and each step is idempotent.
    await pool.query(
      locked(`${migration.sql}
INSERT INTO portone_kit_migrations (version) VALUES (${migration.version}) ON CONFLICT (version) DO NOTHING;`),
    );
    applied.push(migration.version);
  }
  return { applied };
}
