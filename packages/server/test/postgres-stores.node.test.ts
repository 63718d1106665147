import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChargeLeaseStore,
  createMemoryChargeLeaseStore,
  createPostgresChargeLeaseStore,
  createPostgresIdempotencyStore,
  migratePostgresStore,
  type PostgresQueryable,
} from '../src/index.js';
import { describePostgres, freshDatabase, manualClock, type TestDatabase } from './postgres-support.js';

// The stores' contracts on the real PostgreSQL: what one instance claims or leases, another instance (a
// store object of its own, as in another process) finds taken until it is freed or lapses.

// A pg.Pool is what users pass: it must fit the structural type without a cast.
const poolFits: (pool: pg.Pool) => PostgresQueryable = (pool) => pool;

const TTL = 45_000;

/** The lease contract, for the memory store and the PostgreSQL one alike. */
function leaseContract(name: string, make: (now: () => number) => Promise<[ChargeLeaseStore, ChargeLeaseStore]>) {
  describe(`${name} charge leases`, () => {
    it('lets one holder lease a merchant_uid at a time, until it releases', async () => {
      const clock = manualClock();
      const [one, other] = await make(clock.now);
      const lease = await one.acquire('order_1', 'instance-a', TTL);
      expect(lease).toMatchObject({ merchantUid: 'order_1', holder: 'instance-a' });
      expect(await other.acquire('order_1', 'instance-b', TTL)).toBeNull();
      expect(await other.acquire('order_2', 'instance-b', TTL)).not.toBeNull();
      if (lease === null) throw new Error('unreachable');
      await one.release(lease);
      expect(await other.acquire('order_1', 'instance-b', TTL)).toMatchObject({ holder: 'instance-b' });
    });

    it("lapses a crashed holder's lease after its ttl, and the late holder's release frees nothing", async () => {
      const clock = manualClock();
      const [one, other] = await make(clock.now);
      const crashed = await one.acquire('order_3', 'instance-a', TTL);
      clock.advance(TTL - 1);
      expect(await other.acquire('order_3', 'instance-b', TTL)).toBeNull();
      clock.advance(1);
      const taken = await other.acquire('order_3', 'instance-b', TTL);
      expect(taken).toMatchObject({ holder: 'instance-b' });
      if (crashed === null) throw new Error('unreachable');
      await one.release(crashed);
      expect(await one.acquire('order_3', 'instance-a', TTL)).toBeNull();
    });
  });
}

leaseContract('memory', async (now) => {
  const store = createMemoryChargeLeaseStore({ now });
  return [store, store];
});

describePostgres('PostgreSQL stores', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('stores');
  }, 30_000);
  afterAll(() => database?.drop());

  it('migrates idempotently, also from several instances at once', async () => {
    expect(poolFits(database.pool)).toBe(database.pool);
    // freshDatabase migrated already: nothing is left to apply, however many run it together.
    const again = await Promise.all(Array.from({ length: 4 }, () => migratePostgresStore(database.pool)));
    expect(again).toEqual(Array.from({ length: 4 }, () => ({ applied: [] })));
    const scratch = await freshSchema(database, 'scratch');
    try {
      const first = await Promise.all(Array.from({ length: 4 }, () => migratePostgresStore(scratch)));
      // Each saw version 1 missing, and the lock made them take turns without an error.
      expect(first.every((report) => report.applied.length <= 1)).toBe(true);
      expect(await migratePostgresStore(scratch)).toEqual({ applied: [] });
      const { rows } = await scratch.query('SELECT version FROM portone_kit_migrations');
      expect(rows).toEqual([{ version: 1 }]);
    } finally {
      await scratch.end();
    }
  });

  describe('webhook claims', () => {
    it('gives a key to one instance; the others find it busy, then done', async () => {
      const [one, other] = [
        createPostgresIdempotencyStore(database.pool),
        createPostgresIdempotencyStore(database.pool),
      ];
      expect(await one.claim('imp_1:paid:0')).toBe('claimed');
      expect(await other.claim('imp_1:paid:0')).toBe('busy');
      await one.complete('imp_1:paid:0');
      expect(await other.claim('imp_1:paid:0')).toBe('done');
      expect(await one.claim('imp_1:paid:0')).toBe('done');
    });

    it('frees a released key for the next attempt, and only its own claim', async () => {
      const [one, other] = [
        createPostgresIdempotencyStore(database.pool),
        createPostgresIdempotencyStore(database.pool),
      ];
      expect(await one.claim('imp_2:paid:0')).toBe('claimed');
      await other.release('imp_2:paid:0');
      expect(await other.claim('imp_2:paid:0')).toBe('busy');
      await one.release('imp_2:paid:0');
      expect(await other.claim('imp_2:paid:0')).toBe('claimed');
    });

    it("lapses a crashed instance's claim after claimTtlMs, by the store's clock", async () => {
      const clock = manualClock();
      const options = { claimTtlMs: TTL, now: clock.now };
      const [crashed, other] = [
        createPostgresIdempotencyStore(database.pool, options),
        createPostgresIdempotencyStore(database.pool, options),
      ];
      expect(await crashed.claim('imp_3:paid:0')).toBe('claimed');
      clock.advance(TTL - 1);
      expect(await other.claim('imp_3:paid:0')).toBe('busy');
      clock.advance(1);
      expect(await other.claim('imp_3:paid:0')).toBe('claimed');
      // The first holder comes back late and fails: its release must not free the new holder's claim.
      await crashed.release('imp_3:paid:0');
      expect(await crashed.claim('imp_3:paid:0')).toBe('busy');
    });

    it("decides lapse by the database's clock by default", async () => {
      const held = createPostgresIdempotencyStore(database.pool);
      const lapsing = createPostgresIdempotencyStore(database.pool, { claimTtlMs: 0 });
      expect(await held.claim('imp_4:paid:0')).toBe('claimed');
      expect(await createPostgresIdempotencyStore(database.pool).claim('imp_4:paid:0')).toBe('busy');
      // A claim of 0 ms has lapsed by the next statement's now().
      expect(await lapsing.claim('imp_5:paid:0')).toBe('claimed');
      expect(await lapsing.claim('imp_5:paid:0')).toBe('claimed');
    });

    it('gives a key to exactly one of many instances claiming at once', async () => {
      const stores = Array.from({ length: 12 }, () => createPostgresIdempotencyStore(database.pool));
      const claims = await Promise.all(stores.map((store) => store.claim('imp_6:paid:0')));
      expect(claims.filter((claim) => claim === 'claimed')).toHaveLength(1);
      expect(claims.filter((claim) => claim === 'busy')).toHaveLength(11);
    });

    it('forgets done keys older than asked, and keeps the rest', async () => {
      const clock = manualClock(Date.UTC(2030, 0, 1));
      const store = createPostgresIdempotencyStore(database.pool, { now: clock.now });
      await store.complete('old:paid:0');
      clock.advance(31 * 86_400_000);
      await store.complete('new:paid:0');
      expect(await store.pruneDone(30 * 86_400_000)).toBeGreaterThanOrEqual(1);
      expect(await store.claim('old:paid:0')).toBe('claimed');
      expect(await store.claim('new:paid:0')).toBe('done');
    });
  });

  leaseContract('PostgreSQL', async (now) => [
    createPostgresChargeLeaseStore(database.pool, { now }),
    createPostgresChargeLeaseStore(database.pool, { now }),
  ]);

  it('leases a merchant_uid to exactly one of many instances at once, by the database clock', async () => {
    const stores = Array.from({ length: 12 }, () => createPostgresChargeLeaseStore(database.pool));
    const leases = await Promise.all(stores.map((store, index) => store.acquire('order_9', `i${index}`, TTL)));
    expect(leases.filter((lease) => lease !== null)).toHaveLength(1);
  });
});

/** A pool on a schema of its own in the same database: a migration target that starts empty. */
async function freshSchema(database: TestDatabase, schema: string) {
  await database.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  return new pg.Pool({ connectionString: database.url, options: `-c search_path=${schema}`, max: 4 });
}
