import type { ChargeLease, ChargeLeaseStore } from './leases.js';
import { nowSql, nowValue, type PostgresQueryable, type PostgresStoreOptions, requireTtl, rowsOf } from './postgres.js';

const ACQUIRE = `
INSERT INTO portone_kit_charge_leases AS l (merchant_uid, holder, token, lapses_at)
VALUES ($1, $2, $3, ${nowSql(4)} + $5::float8 * interval '1 millisecond')
ON CONFLICT (merchant_uid) DO UPDATE
  SET holder = EXCLUDED.holder, token = EXCLUDED.token, lapses_at = EXCLUDED.lapses_at
  WHERE l.lapses_at <= ${nowSql(4)}
RETURNING token`;

const RELEASE = 'DELETE FROM portone_kit_charge_leases WHERE merchant_uid = $1 AND token = $2';

/**
 * A {@link ChargeLeaseStore} in PostgreSQL, shared by every instance: one row per merchant_uid being
 * charged, taken by an atomic upsert that only replaces a lapsed lease, deleted on release. Run
 * {@link migratePostgresStore} first. `pool` is a `pg.Pool` (any object with its `query`).
 */
export function createPostgresChargeLeaseStore(
  pool: PostgresQueryable,
  options: PostgresStoreOptions = {},
): ChargeLeaseStore {
  return {
    async acquire(merchantUid, holder, ttlMs): Promise<ChargeLease | null> {
      requireTtl('ttlMs', ttlMs);
      const token = crypto.randomUUID();
      const rows = await rowsOf(pool.query(ACQUIRE, [merchantUid, holder, token, nowValue(options), ttlMs]));
      return rows.length > 0 ? { merchantUid, holder, token } : null;
    },
    async release(lease) {
      await pool.query(RELEASE, [lease.merchantUid, lease.token]);
    },
  };
}
