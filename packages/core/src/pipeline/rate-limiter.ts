import { RateLimitError } from '../errors/rate-limit-error.js';
import { abortableSleep } from '../provider/abortable-sleep.js';
import type { CallAbort } from './call-abort-scope.js';

export interface RateLimiterOptions {
  provider: string;
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
  now?: () => number;
}

class Bucket {
  level: number;
  at: number;
  constructor(
    readonly capacity: number,
    now: number,
  ) {
    this.level = capacity;
    this.at = now;
  }
  refill(now: number): void {
    this.level = Math.min(this.capacity, this.level + ((now - this.at) * this.capacity) / 60_000);
    this.at = now;
  }
  /** Milliseconds until `amount` is available (0: now). */
  waitFor(amount: number): number {
    const needed = Math.min(amount, this.capacity) - this.level;
    return needed <= 0 ? 0 : Math.ceil((needed * 60_000) / this.capacity);
  }
}

/**
 * Requests-per-minute and tokens-per-minute token buckets for one provider. Callers wait for room
 * (honouring their abort signal and the call's deadline); a 429's `retry-after` pauses the buckets.
 */
export class RateLimiter {
  readonly #o: RateLimiterOptions;
  readonly #now: () => number;
  readonly #requests: Bucket | undefined;
  readonly #tokens: Bucket | undefined;
  #pausedUntil = 0;

  constructor(options: RateLimiterOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    const now = this.#now();
    this.#requests = options.requestsPerMinute ? new Bucket(options.requestsPerMinute, now) : undefined;
    this.#tokens = options.tokensPerMinute ? new Bucket(options.tokensPerMinute, now) : undefined;
  }

  /** Milliseconds a request of `tokens` would wait now. */
  waitMs(tokens: number): number {
    const now = this.#now();
    this.#requests?.refill(now);
    this.#tokens?.refill(now);
    return Math.max(this.#pausedUntil - now, this.#requests?.waitFor(1) ?? 0, this.#tokens?.waitFor(tokens) ?? 0, 0);
  }

  /**
   * Waits for room for one request of about `tokens` tokens, then takes it. Throws `RateLimitError`
   * at once when the wait would outlast `maxWaitMs` (the call's remaining deadline), so the chain can
   * move on instead of waiting in vain.
   */
  async acquire(tokens: number, signal: CallAbort | undefined, maxWaitMs: number): Promise<void> {
    for (;;) {
      const wait = this.waitMs(tokens);
      if (wait <= 0) break;
      if (wait > maxWaitMs) {
        throw new RateLimitError(`${this.#o.provider}: local rate limit needs ${Math.ceil(wait)} ms, more than the call has left`, {
          provider: this.#o.provider,
          retryAfterMs: Math.ceil(wait),
          status: undefined,
        });
      }
      await abortableSleep(wait, signal);
    }
    if (this.#requests) this.#requests.level -= 1;
    if (this.#tokens) this.#tokens.level -= tokens;
  }

  /** Corrects the token bucket once the real usage is known (the estimate may have been off). */
  settle(estimated: number, actual: number): void {
    if (this.#tokens) this.#tokens.level -= actual - estimated;
  }

  /** The backend said to wait (429 with retry-after): nobody goes until then. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }
}
