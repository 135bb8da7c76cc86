import { runIsolated } from './call-abort-scope.js';

const MAX_DELAY_MS = 2 ** 31 - 1;

/** One deadline on the clock; `cancel` it when its call ends first. */
export interface Deadline {
  /** `performance.now()` value at which it fires. */
  readonly at: number;
  cancel(): void;
}

/**
 * What a deadline calls when it passes: a function, or an object (the pipeline's calls and
 * attempts are their own targets: no closure per deadline).
 */
export type DeadlineFire = (() => void) | { fireDeadline(): void };

/** The deadlines of one length: added in time order, so the list stays ordered by appending. */
class Lane {
  head: Entry | undefined;
  tail: Entry | undefined;
  constructor(readonly ms: number) {}
}

class Entry implements Deadline {
  prev: Entry | undefined;
  next: Entry | undefined;
  linked = true;
  constructor(
    readonly at: number,
    readonly fire: DeadlineFire,
    readonly lane: Lane,
    readonly clock: DeadlineClock,
  ) {}
  cancel(): void {
    this.clock.remove(this);
  }
}

/**
 * Every call's and attempt's deadline on one timer. A timer per call costs microseconds on the
 * path of every request (a timer object, Node's timer lists, an async resource), more than
 * anything else the pipeline does per call; here a deadline is an entry in the lane of its length
 * (deadlines of one length arrive in time order, so adding one is an append and removing one an
 * unlink), and one Node timer waits for the earliest. While no deadline is pending the timer does
 * not keep the process alive.
 */
export class DeadlineClock {
  readonly #lanes = new Map<number, Lane>();
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #refed = false;
  // The setTimeout the timer was set with: when tests swap in fake timers (or back), the clock
  // follows them instead of waiting on a timer of the other kind.
  #armedWith: typeof setTimeout | undefined;
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Calls `fire` once, `ms` from now, unless cancelled first. */
  add(ms: number, fire: DeadlineFire): Deadline {
    let lane = this.#lanes.get(ms);
    if (!lane) {
      lane = new Lane(ms);
      this.#lanes.set(ms, lane);
    }
    const entry = new Entry(this.#now() + ms, fire, lane, this);
    // Deadlines of one length arrive in time order, so this is an append; only a clock that went
    // back (tests switching between fake and real timers) makes the walk go further.
    let after = lane.tail;
    while (after && after.at > entry.at) after = after.prev;
    entry.prev = after;
    entry.next = after ? after.next : lane.head;
    if (entry.next) entry.next.prev = entry;
    else lane.tail = entry;
    if (after) after.next = entry;
    else lane.head = entry;
    this.#pending++;
    if (entry.at < this.#timerAt || this.#armedWith !== setTimeout) this.#arm(Math.min(entry.at, this.#timerAt));
    else if (!this.#refed) {
      this.#timer?.ref();
      this.#refed = true;
    }
    return entry;
  }

  /** How many deadlines are pending (for tests and diagnostics). */
  get pending(): number {
    return this.#pending;
  }

  remove(entry: Entry): void {
    if (!entry.linked) return;
    entry.linked = false;
    const lane = entry.lane;
    if (entry.prev) entry.prev.next = entry.next;
    else lane.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else lane.tail = entry.prev;
    entry.prev = entry.next = undefined;
    if (!lane.head) this.#lanes.delete(lane.ms);
    // Nothing pending: the timer (still set for the earliest deadline it knew) must not hold the process open.
    if (--this.#pending === 0 && this.#refed) {
      this.#timer?.unref();
      this.#refed = false;
    }
  }

  #arm(at: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#refed = true;
    this.#armedWith = setTimeout;
    // Node fires a delay beyond 2^31-1 ms at once: a far deadline is waited for in steps.
    this.#timer = setTimeout(() => this.#tick(), Math.min(MAX_DELAY_MS, Math.max(0, Math.ceil(at - this.#now()))));
  }

  #tick(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#refed = false;
    // A timer may fire up to a millisecond early.
    const now = this.#now() + 1;
    const due: Entry[] = [];
    for (const lane of this.#lanes.values()) {
      for (let entry = lane.head; entry && entry.at <= now; entry = entry.next) due.push(entry);
    }
    due.sort((a, b) => a.at - b.at);
    for (const entry of due) {
      if (!entry.linked) continue;
      this.remove(entry);
      runIsolated(fireEntry, entry);
    }
    let earliest = Number.POSITIVE_INFINITY;
    for (const lane of this.#lanes.values()) if (lane.head && lane.head.at < earliest) earliest = lane.head.at;
    if (earliest < this.#timerAt) this.#arm(earliest);
  }
}

function fireEntry(entry: Entry): void {
  const fire = entry.fire;
  if (typeof fire === 'function') fire();
  else fire.fireDeadline();
}

/** The clock the pipeline's calls and attempts share. */
export const deadlines = new DeadlineClock();
