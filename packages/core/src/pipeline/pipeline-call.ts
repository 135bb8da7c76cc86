import { AbortedError } from '../errors/aborted-error.js';
import { LLMError } from '../errors/llm-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { LazyAbortScope } from './call-abort-scope.js';
import { deadlines, type Deadline } from './deadline-clock.js';
import type { CallContext } from './call-context.js';

/**
 * A call's overall deadline and cancellation, shared by every retry and every provider of the
 * chain. Its context (deadline, attempts, this scope) travels down the chain on the forwarded
 * options. Its AbortSignal is created only when something asks for it (see `CallAbortScope`).
 */
export class PipelineCall extends LazyAbortScope {
  readonly context: CallContext;
  readonly #outer: AbortSignal | undefined;
  readonly #provider: string;
  readonly #deadlineMs: number;
  readonly #deadline: Deadline;
  #timedOut = false;
  #abandoned = false;
  #onOuterAbort: (() => void) | undefined;
  #bail: ((reason: unknown) => void) | undefined;
  #graceMs = 0;
  #grace: NodeJS.Timeout | undefined;

  constructor(provider: string, deadlineMs: number, outer: AbortSignal | undefined) {
    super();
    this.#provider = provider;
    this.#deadlineMs = deadlineMs;
    this.#outer = outer;
    this.#deadline = deadlines.add(deadlineMs, this);
    this.context = { deadlineAt: this.#deadline.at, attempts: [], scope: this };
    if (outer?.aborted) this.abort(outer.reason);
    else if (outer) {
      this.#onOuterAbort = () => this.abort(outer.reason);
      outer.addEventListener('abort', this.#onOuterAbort, { once: true });
    }
  }

  abort(reason?: unknown): void {
    this.abortScope(reason);
    if (this.#bail && !this.#grace) this.#grace = setTimeout(() => this.#bailOut(), this.#graceMs);
  }

  /**
   * Once this call is aborted (its deadline, its caller, every caller leaving), its provider has
   * `graceMs` to stop; past that `bail` is called with the abort's reason, so the host ends the
   * call itself even when the provider ignores its signal. The grace timer keeps the process alive
   * until then, and is cleared by `dispose`.
   */
  bailAfter(graceMs: number, bail: (reason: unknown) => void): void {
    this.#graceMs = graceMs;
    this.#bail = bail;
    if (this.aborted && !this.#grace) this.#grace = setTimeout(() => this.#bailOut(), graceMs);
  }

  /** `work` raced against this call's end (see `bailAfter`): rejects with the abort's reason once the grace passed. */
  bound<T>(work: Promise<T>, graceMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.bailAfter(graceMs, reject);
      work.then(resolve, reject);
    });
  }

  #bailOut(): void {
    const bail = this.#bail;
    this.#bail = undefined;
    bail?.(this.reason);
  }

  /** The overall deadline passed (the call is its own target on the clock: no closure per call). */
  fireDeadline(): void {
    this.#timedOut = true;
    this.abort(this.#timeout());
  }

  /** Every caller has left (coalesced calls): cancel, and report it as the callers' abort. */
  abandon(reason?: unknown): void {
    this.#abandoned = true;
    this.abort(reason);
  }

  /** The call-level meaning of an error: the overall deadline, the caller's abort, or the error itself. */
  translate(error: unknown): unknown {
    if (LLMError.isInstance(error) && error.code === 'INCOMPLETE_STREAM') return error;
    if (this.#timedOut) return this.#timeout(error);
    if (this.#abandoned) return LLMError.isInstance(error) && error.code === 'ABORTED' ? error : new AbortedError(`${this.#provider}: the call was aborted`, { provider: this.#provider });
    if (this.#outer?.aborted) return LLMError.isInstance(error) && error.code === 'ABORTED' ? error : new AbortedError(`${this.#provider}: the call was aborted`, { provider: this.#provider, cause: this.#outer.reason });
    return error;
  }

  dispose(): void {
    this.#deadline.cancel();
    this.#bail = undefined;
    if (this.#grace) clearTimeout(this.#grace);
    if (this.#onOuterAbort) this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }

  #timeout(cause?: unknown): TimeoutError {
    // Ended by the host (see bailAfter): the reason is this deadline's own error, not a cause.
    if (TimeoutError.isInstance(cause) && cause === this.reason) cause = undefined;
    const tried = this.context.attempts.map((a) => `${a.provider}#${a.attempt} ${a.outcome}${a.errorCode ? ` (${a.errorCode})` : ''}`).join(', ');
    return new TimeoutError(`The call's deadline of ${this.#deadlineMs} ms passed${tried ? `; attempts: ${tried}` : ''}`, {
      provider: this.#provider,
      phase: 'total',
      timeoutMs: this.#deadlineMs,
      cause,
    });
  }
}
