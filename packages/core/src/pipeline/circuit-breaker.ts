import { LLMError } from '../errors/llm-error.js';

/** Errors that say the provider itself is failing (not the request, not a polite "wait"). */
const COUNTED = new Set(['PROVIDER_UNAVAILABLE', 'SERVER_ERROR', 'OVERLOADED', 'TIMEOUT', 'MALFORMED_RESPONSE', 'PROVIDER_ERROR']);

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  /** Checks whether the provider is back (its healthCheck); runs once per half-open period. */
  probe: () => Promise<boolean>;
  now?: () => number;
}

/**
 * A per-provider circuit breaker. After `failureThreshold` consecutive outage-type failures it
 * opens: calls skip the provider at once. After `cooldownMs` one caller runs the probe (the
 * provider's healthCheck); success closes the breaker, failure opens it for another cooldown.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing: Promise<boolean> | undefined;
  readonly #o: CircuitBreakerOptions;
  readonly #now: () => number;

  constructor(options: CircuitBreakerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
  }

  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#o.cooldownMs) return 'half-open';
    return this.#state;
  }

  /**
   * Whether a call may go to the provider now (runs the half-open probe when due). A closed
   * breaker answers synchronously: the common case costs no promise.
   */
  allows(): boolean | Promise<boolean> {
    if (this.#state === 'closed') return true;
    if (this.#now() - this.#openedAt < this.#o.cooldownMs) return false;
    this.#probing ??= this.#o
      .probe()
      .catch(() => false)
      .then((ok) => {
        this.#probing = undefined;
        if (ok) this.#close();
        else this.#open();
        return ok;
      });
    return this.#probing;
  }

  /** Milliseconds until an open breaker may probe again. */
  retryInMs(): number {
    return Math.max(0, this.#o.cooldownMs - (this.#now() - this.#openedAt));
  }

  recordSuccess(): void {
    this.#close();
  }

  recordFailure(error: unknown): void {
    if (!LLMError.isInstance(error) || !COUNTED.has(error.code)) return;
    this.#failures++;
    if (this.#failures >= this.#o.failureThreshold) this.#open();
  }

  #open(): void {
    this.#state = 'open';
    this.#openedAt = this.#now();
  }

  #close(): void {
    this.#state = 'closed';
    this.#failures = 0;
  }
}
