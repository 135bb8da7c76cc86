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
   *
   * A caller that has to wait reserves its place (the buckets go below zero), so the next caller's
   * wait counts everyone queued ahead of it: with 5 requests a minute, the 6th waits 12 s and the
   * 7th 24 s, and a 7th with 20 s left fails now rather than timing out in the queue. The wait is
   * checked again whenever it ends later than planned (a 429 paused the limiter meanwhile); a caller
   * that gives up returns its place.
   */
  async acquire(tokens: number, signal: CallAbort | undefined, maxWaitMs: number): Promise<void> {
    const now = this.#now();
    const deadline = now + maxWaitMs;
    let readyAt = now + this.waitMs(tokens);
    if (readyAt <= now) return this.#take(tokens);
    if (readyAt > deadline) throw this.#limited(readyAt - now);
    this.#take(tokens);
    try {
      for (;;) {
        await abortableSleep(readyAt - this.#now(), signal);
        const at = this.#now();
        // Only a pause can push the turn back: the reservation itself is already counted.
        readyAt = Math.max(at, this.#pausedUntil);
        if (readyAt <= at) return;
        if (readyAt > deadline) throw this.#limited(readyAt - at);
      }
    } catch (error) {
      this.#giveBack(tokens);
      throw error;
    }
  }

  #take(tokens: number): void {
    if (this.#requests) this.#requests.level -= 1;
    if (this.#tokens) this.#tokens.level -= tokens;
  }

  #giveBack(tokens: number): void {
    const now = this.#now();
    this.#requests?.refill(now);
    this.#tokens?.refill(now);
    if (this.#requests) this.#requests.level = Math.min(this.#requests.capacity, this.#requests.level + 1);
    if (this.#tokens) this.#tokens.level = Math.min(this.#tokens.capacity, this.#tokens.level + tokens);
  }

  #limited(waitMs: number): RateLimitError {
    return new RateLimitError(`${this.#o.provider}: local rate limit needs ${Math.ceil(waitMs)} ms, more than the call has left`, {
      provider: this.#o.provider,
      retryAfterMs: Math.ceil(waitMs),
      status: undefined,
    });
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
