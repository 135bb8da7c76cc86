/** One deadline on the clock; `cancel` it when its call ends first. */
export interface Deadline {
  /** `performance.now()` value at which it fires. */
  readonly at: number;
  cancel(): void;
}

class Entry implements Deadline {
  prev: Entry | undefined;
  next: Entry | undefined;
  linked = true;
  constructor(
    readonly at: number,
    readonly fire: () => void,
    readonly clock: DeadlineClock,
  ) {}
  cancel(): void {
    this.clock.remove(this);
  }
}

/**
 * Every call's and attempt's deadline on one timer. A timer per call costs microseconds on the
 * path of every request (a timer object, Node's timer lists, an async resource), more than
 * anything else the pipeline does per call; here a deadline is an entry in a list kept in order
 * (deadlines of the same length arrive in order, so adding one is an append), and one Node timer
 * waits for the earliest. While no deadline is pending the timer does not keep the process alive.
 */
export class DeadlineClock {
  #head: Entry | undefined;
  #tail: Entry | undefined;
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
  add(ms: number, fire: () => void): Deadline {
    const entry = new Entry(this.#now() + ms, fire, this);
    let after = this.#tail;
    while (after && after.at > entry.at) after = after.prev;
    entry.prev = after;
    entry.next = after ? after.next : this.#head;
    if (entry.next) entry.next.prev = entry;
    else this.#tail = entry;
    if (after) after.next = entry;
    else this.#head = entry;
    const head = this.#head as Entry;
    if (head.at < this.#timerAt || this.#armedWith !== setTimeout) this.#arm(head.at);
    else if (!this.#refed) {
      this.#timer?.ref();
      this.#refed = true;
    }
    return entry;
  }

  /** How many deadlines are pending (for tests and diagnostics). */
  get pending(): number {
    let n = 0;
    for (let e = this.#head; e; e = e.next) n++;
    return n;
  }

  remove(entry: Entry): void {
    if (!entry.linked) return;
    entry.linked = false;
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = entry.next = undefined;
    // Nothing pending: the timer (still set for the earliest deadline it knew) must not hold the process open.
    if (!this.#head && this.#refed) {
      this.#timer?.unref();
      this.#refed = false;
    }
  }

  #arm(at: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#refed = true;
    this.#armedWith = setTimeout;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, Math.ceil(at - this.#now())));
  }

  #tick(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#refed = false;
    // A timer may fire up to a millisecond early.
    const now = this.#now() + 1;
    while (this.#head && this.#head.at <= now) {
      const entry = this.#head;
      this.remove(entry);
      entry.fire();
    }
    if (this.#head) this.#arm(this.#head.at);
  }
}

/** The clock the pipeline's calls and attempts share. */
export const deadlines = new DeadlineClock();
