import type { SpendClaim, SpendStore, SpendUsage } from './spend-store.js';

/** Spend is kept per minute: a rolling window is exact to the minute, and a month is 44 640 slots at most. */
const BUCKET_MS = 60_000;

interface Ledger {
  /** Bucket start times and amounts, oldest first, from `head`. */
  starts: number[];
  amounts: number[];
  head: number;
  /** Sum of the amounts from `head` on. */
  sum: number;
  reserved: number;
  /** Reservations held: at zero, `reserved` is exactly 0 (no float residue from adding and taking back). */
  holds: number;
}

/**
 * The default spend store: in this process only, lost on restart (seed it from the call log).
 * Reserving is synchronous, so concurrent calls cannot both take the last of a budget. Windows only
 * move forward, so spend that leaves a window is dropped once and the sum stays a running total:
 * a reservation costs the same with a month of history as with none.
 */
export class MemorySpendStore implements SpendStore {
  readonly #ledgers = new Map<string, Ledger>();

  tryReserve(claims: readonly SpendClaim[], amount: number): number {
    for (let i = 0; i < claims.length; i++) {
      const c = claims[i] as SpendClaim;
      const l = this.#ledger(c.budget, c.since);
      // A small tolerance: sums of float prices must not refuse a call that fits exactly.
      if (l.sum + l.reserved + amount > c.limit * (1 + 1e-12)) return i;
    }
    for (const c of claims) {
      const l = this.#ledgers.get(c.budget) as Ledger;
      l.reserved += amount;
      l.holds++;
    }
    return -1;
  }

  settle(claims: readonly SpendClaim[], reserved: number, actual: number, at: number): void {
    for (const c of claims) {
      const l = this.#ledger(c.budget, c.since);
      unhold(l, reserved);
      this.#addTo(l, at, actual, c.since);
    }
  }

  release(claims: readonly SpendClaim[], reserved: number): void {
    for (const c of claims) {
      const l = this.#ledgers.get(c.budget);
      if (l) unhold(l, reserved);
    }
  }

  usage(budget: string, since: number): SpendUsage {
    const l = this.#ledger(budget, since);
    return { spent: l.sum, reserved: l.reserved };
  }

  add(budget: string, at: number, amount: number): void {
    const l = this.#ledgers.get(budget) ?? this.#ledger(budget, 0);
    this.#addTo(l, at, amount, 0);
  }

  /** The budget's ledger with every bucket before `since` dropped. */
  #ledger(budget: string, since: number): Ledger {
    let l = this.#ledgers.get(budget);
    if (!l) {
      l = { starts: [], amounts: [], head: 0, sum: 0, reserved: 0, holds: 0 };
      this.#ledgers.set(budget, l);
    }
    while (l.head < l.starts.length && (l.starts[l.head] as number) + BUCKET_MS <= since) {
      l.sum -= l.amounts[l.head] as number;
      l.head++;
    }
    if (l.head > 1024 && l.head * 2 > l.starts.length) {
      l.starts = l.starts.slice(l.head);
      l.amounts = l.amounts.slice(l.head);
      l.head = 0;
    }
    if (l.head === l.starts.length) l.sum = 0; // no drift from float subtraction once empty
    return l;
  }

  #addTo(l: Ledger, at: number, amount: number, since: number): void {
    if (amount <= 0) return;
    const start = at - (at % BUCKET_MS);
    if (start + BUCKET_MS <= since) return; // already outside the window
    const last = l.starts.length - 1;
    if (last >= l.head && l.starts[last] === start) l.amounts[last] = (l.amounts[last] as number) + amount;
    else if (last < l.head || (l.starts[last] as number) < start) {
      l.starts.push(start);
      l.amounts.push(amount);
    } else {
      // Earlier than the newest bucket (seeded history): insert in order.
      let i = l.starts.length;
      while (i > l.head && (l.starts[i - 1] as number) > start) i--;
      if (l.starts[i - 1] === start && i - 1 >= l.head) l.amounts[i - 1] = (l.amounts[i - 1] as number) + amount;
      else {
        l.starts.splice(i, 0, start);
        l.amounts.splice(i, 0, amount);
      }
    }
    l.sum += amount;
  }
}

function unhold(l: Ledger, amount: number): void {
  l.holds = Math.max(0, l.holds - 1);
  l.reserved = l.holds === 0 ? 0 : Math.max(0, l.reserved - amount);
}
