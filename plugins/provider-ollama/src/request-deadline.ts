/** Which of our own deadlines ran out: the cold load, the first chunk, between chunks, or the whole answer. */
export type DeadlinePhase = 'model-load' | 'first-chunk' | 'idle' | 'total';

/**
 * One request's own deadline, re-armed as the request moves through its phases (a cold model
 * gets the longer model-load budget, then each chunk the normal one).
 */
export class RequestDeadline {
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #phase: DeadlinePhase = 'total';
  #ms = 0;
  expired: { phase: DeadlinePhase; ms: number } | undefined;

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get phase(): DeadlinePhase {
    return this.#phase;
  }

  arm(ms: number, phase: DeadlinePhase): void {
    this.clear();
    this.#phase = phase;
    this.#ms = ms;
    this.#timer = setTimeout(() => {
      this.expired = { phase: this.#phase, ms: this.#ms };
      this.#controller.abort(new Error(`deadline (${phase}, ${ms} ms) passed`));
    }, ms);
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
