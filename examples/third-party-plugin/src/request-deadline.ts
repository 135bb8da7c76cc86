import { TimeoutError } from '@autoarr-llm/core';

/** Which of the request's own deadlines is running. */
export type DeadlinePhase = 'first-chunk' | 'idle' | 'total';

/**
 * One request's own deadline (the `timeout` setting), re-armed as the request moves on: until the
 * first chunk, then between chunks. It is separate from the call's `timeout` option, which core
 * enforces for the whole call.
 */
export class RequestDeadline {
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #expired: TimeoutError | undefined;

  constructor(private readonly provider: string) {}

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The typed error when the deadline passed. */
  get expired(): TimeoutError | undefined {
    return this.#expired;
  }

  arm(ms: number, phase: DeadlinePhase): void {
    this.clear();
    this.#timer = setTimeout(() => {
      const what = phase === 'idle' ? 'no further chunk' : phase === 'first-chunk' ? 'no first chunk' : 'no answer';
      this.#expired = new TimeoutError(`${this.provider}: ${what} within ${ms} ms (OPENAI_COMPATIBLE_TIMEOUT)`, { provider: this.provider, phase, timeoutMs: ms });
      this.#controller.abort(this.#expired);
    }, ms);
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
