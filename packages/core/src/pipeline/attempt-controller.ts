import { TimeoutError, type TimeoutPhase } from '../errors/timeout-error.js';
import { LLMError } from '../errors/llm-error.js';
import { AbortedError } from '../errors/aborted-error.js';
import { LazyAbortScope, onAbort, type CallAbort } from './call-abort-scope.js';
import { deadlines, type Deadline } from './deadline-clock.js';

/**
 * One attempt's own cancellation: linked to the call's, with its own deadline timer, so a deadline
 * that ends one attempt never poisons the next (each attempt gets a fresh one). It is a scope:
 * a provider that links its request to it (`doStreamWith`, `doCompleteWith`) needs no AbortSignal;
 * `signal` builds one for any other.
 */
export class AttemptController extends LazyAbortScope {
  readonly #provider: string;
  #timer: Deadline | undefined;
  #fired: TimeoutError | undefined;
  #phase: TimeoutPhase | undefined;
  #ms: number | undefined;
  #armedAt = 0;
  #unlink: (() => void) | undefined;
  #outer: LazyAbortScope | undefined;

  /** `outer`: the call's signal, or its scope (which then needs no AbortSignal of its own). */
  constructor(provider: string, outer: CallAbort | undefined) {
    super();
    this.#provider = provider;
    if (outer?.aborted) this.abortScope(outer.reason);
    else if (outer instanceof LazyAbortScope) {
      // A pipeline scope aborts its linked attempts itself: no listener closure per attempt.
      outer.link(this);
      this.#outer = outer;
    } else if (outer) this.#unlink = onAbort(outer, (reason) => this.abortScope(reason));
  }

  /** (Re)starts the deadline: `phase` names which one it is. `undefined` ms disarms. */
  arm(phase: TimeoutPhase, ms: number | undefined): void {
    // Re-arming the same deadline (the idle timer, once per chunk) only notes the time: the timer,
    // when it fires, waits out whatever is left (moving a timer per chunk costs more).
    if (this.#timer && this.#phase === phase && this.#ms === ms) {
      this.#armedAt = performance.now();
      return;
    }
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#phase = phase;
    this.#ms = ms;
    if (ms === undefined) return;
    this.#armedAt = performance.now();
    this.#timer = deadlines.add(ms, this);
  }

  /** The clock says the armed deadline passed (this attempt is its own target: no closure per deadline). */
  fireDeadline(): void {
    const ms = this.#ms as number;
    const phase = this.#phase as TimeoutPhase;
    const left = this.#armedAt + ms - performance.now();
    // Re-armed since: wait for the rest (the clock may fire up to a millisecond early).
    if (left > 1) {
      this.#timer = deadlines.add(Math.ceil(left), this);
      return;
    }
    this.#timer = undefined;
    this.#fired = new TimeoutError(`${this.#provider}: ${describe(phase)} deadline of ${ms} ms passed`, { provider: this.#provider, phase, timeoutMs: ms });
    this.abortScope(this.#fired);
  }

  /** Aborts the attempt (its consumer left). */
  abort(): void {
    this.abortScope(new AbortedError(`${this.#provider}: the stream consumer stopped reading`, { provider: this.#provider }));
  }

  /** The attempt's deadline error if it fired (whatever the provider threw on abort), else `error`. */
  translate(error: unknown): unknown {
    if (!this.#fired) return error;
    if (LLMError.isInstance(error) && error.code === 'INCOMPLETE_STREAM') return error;
    return this.#fired;
  }

  dispose(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#unlink?.();
    this.#unlink = undefined;
    this.#outer?.unlink(this);
    this.#outer = undefined;
  }
}

function describe(phase: TimeoutPhase): string {
  return phase === 'first-chunk' ? 'first-chunk' : phase === 'idle' ? 'idle (between chunks)' : phase === 'attempt' ? 'attempt' : phase;
}
