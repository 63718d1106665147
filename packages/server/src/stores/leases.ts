import type { ChargeBillingKey } from '../charge.js';
import { requireText } from '../fields.js';
import { type ClientTimers, sleep, systemTimers } from '../timers.js';

/** A held lease on one merchant_uid: only its holder's `release` (with this token) frees it early. */
export interface ChargeLease {
  readonly merchantUid: string;
  readonly holder: string;
  readonly token: string;
}

/**
 * Who is charging which merchant_uid now, so that only one instance charges it at a time. A lease lapses
 * after its time to live, so a crashed holder's merchant_uid is free again.
 */
export interface ChargeLeaseStore {
  /** Takes the merchant_uid's lease for `ttlMs` if it is free or lapsed; null while another holds it. */
  acquire(merchantUid: string, holder: string, ttlMs: number): ChargeLease | null | Promise<ChargeLease | null>;
  /** Frees the lease, if it is still this one (a lapsed lease taken over stays with its new holder). */
  release(lease: ChargeLease): void | Promise<void>;
}

/** Options of {@link createMemoryChargeLeaseStore}: its clock. */
export interface MemoryChargeLeaseStoreOptions {
  /** Milliseconds since the UNIX epoch. Default `Date.now`; tests pass their own clock. */
  now?: () => number;
}

/** A {@link ChargeLeaseStore} in this process's memory: right for one instance only. */
export function createMemoryChargeLeaseStore(options: MemoryChargeLeaseStoreOptions = {}): ChargeLeaseStore {
  const now = options.now ?? Date.now;
  const held = new Map<string, { token: string; until: number }>();
  return {
    acquire(merchantUid, holder, ttlMs) {
      const current = held.get(merchantUid);
      if (current !== undefined && current.until > now()) return null;
      const lease = { merchantUid, holder, token: crypto.randomUUID() };
      held.set(merchantUid, { token: lease.token, until: now() + ttlMs });
      return lease;
    },
    release(lease) {
      if (held.get(lease.merchantUid)?.token === lease.token) held.delete(lease.merchantUid);
    },
  };
}

/**
 * The client's `leases` option: how `chargeBillingKey` lets one caller at a time charge a merchant_uid (the
 * others wait their turn, sending nothing meanwhile), across instances when the store is shared.
 */
export interface ChargeLeases {
  /** Shared by the instances: {@link createPostgresChargeLeaseStore}, or your own. */
  store: ChargeLeaseStore;
  /** This instance's name in the store, for whoever looks at who holds what. Default: a random id. */
  holder?: string;
  /**
   * How long a lease holds. It must outlast a charge, lost answer and lookups included (about
   * `timeoutMs` × 4 + `chargeSettleMs` with the defaults' read retries): a lease that lapses while its
   * holder still charges lets a second instance in. Default 5 minutes, the longest a waiting call waits
   * for a crashed holder.
   */
  ttlMs?: number;
}

export const DEFAULT_LEASE_TTL_MS = 5 * 60_000;
const FIRST_WAIT_MS = 25;
const MAX_WAIT_MS = 250;

/**
 * Runs each charge under its merchant_uid's lease. While another instance holds it, the call is not sent:
 * it waits (polling the store, further apart each time) until the holder releases it or it lapses, then
 * charges, and PortOne answers for the merchant_uid as it then stands (`already-paid` when the holder
 * paid it). Waiting, not a new outcome, so that every caller gets the merchant_uid's true result.
 */
export function withChargeLease(
  charge: ChargeBillingKey,
  leases: ChargeLeases,
  timers: ClientTimers = systemTimers,
): ChargeBillingKey {
  const { store } = leases;
  const holder = leases.holder ?? `portone-kit-${crypto.randomUUID()}`;
  const ttlMs = leases.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new RangeError('leases.ttlMs must be more than 0');
  return async (request) => {
    const merchantUid = requireText('merchantUid', request.merchantUid, 40);
    let pause = FIRST_WAIT_MS;
    // A store that fails throws from here: nothing has been sent. A synchronous store (the memory one) is
    // not awaited, so that a free merchant_uid's charge leaves in the same tick as without leases.
    const first = store.acquire(merchantUid, holder, ttlMs);
    let lease = first instanceof Promise ? await first : first;
    // Polling, not a wake-up call: a store has no way to tell waiters (another process's release included).
    while (lease === null) {
      await sleep(timers, pause);
      pause = Math.min(pause * 2, MAX_WAIT_MS);
      lease = await store.acquire(merchantUid, holder, ttlMs);
    }
    try {
      return await charge(request);
    } finally {
      const held = lease;
      // The result stands whatever the release does: a lease that could not be freed lapses by itself.
      await Promise.resolve()
        .then(() => store.release(held))
        .catch(() => undefined);
    }
  };
}
