import type { CallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import { LLMError } from '../errors/llm-error.js';
import { ProviderUnavailableError } from '../errors/provider-unavailable-error.js';
import { RateLimitError } from '../errors/rate-limit-error.js';
import type { ProviderLifecycle } from '../factory/guard-provider.js';
import type { Logger } from '../logging/logger.js';
import { abortableSleep } from '../provider/abortable-sleep.js';
import { backoffDelay } from './backoff-delay.js';
import { callAbortOf, callContextOf, remainingMs, type AttemptRecord } from './call-context.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { estimateMessageTokens } from './estimate-tokens.js';
import type { ProviderPolicy } from './pipeline-config.js';
import type { RateLimiter } from './rate-limiter.js';

export interface ResilientProviderOptions {
  policy: ProviderPolicy & { maxAttempts: number };
  retry: { baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  breaker: CircuitBreaker;
  limiter?: RateLimiter | undefined;
  logger: Logger;
  random?: () => number;
  /**
   * Where the member's checks, model list and disposal go instead of the provider itself: the
   * factory's, bounded by the host (see `boundedLifecycle`).
   */
  lifecycle?: ProviderLifecycle | undefined;
}

/** Codes worth another attempt on the same provider (quota and caller errors are not). */
const RETRY_SAME = new Set(['RATE_LIMITED', 'OVERLOADED', 'SERVER_ERROR', 'TIMEOUT', 'MALFORMED_RESPONSE', 'MODEL_LOADING', 'PROVIDER_UNAVAILABLE']);

/**
 * One chain member's policy, shared by its calls and its streams: admission (breaker, rate
 * limiter) before every attempt, the retry decision after a failure, and the attempt records.
 */
export class MemberPolicy {
  readonly name: string;
  readonly o: ResilientProviderOptions;

  constructor(name: string, options: ResilientProviderOptions) {
    this.name = name;
    this.o = options;
  }

  /** Tokens an attempt is expected to use (what the token bucket is charged), 0 without a limiter. */
  estimate(messages: LLMMessage[], maxTokens: number | undefined): number {
    return this.o.limiter ? estimateMessageTokens(messages) + (maxTokens ?? 256) : 0;
  }

  /** Breaker and rate limiter, before every attempt: nothing to wait for (undefined) in the common case. */
  admit(options: CallOptions, estimate: number, attempt: number): Promise<void> | undefined {
    const allowed = this.o.breaker.allows();
    if (allowed === true) return this.#acquire(options, estimate, attempt);
    if (allowed === false) throw this.#circuitOpen(options, attempt);
    return allowed.then((ok) => {
      if (!ok) throw this.#circuitOpen(options, attempt);
      return this.#acquire(options, estimate, attempt);
    });
  }

  /** The rate limiter's turn; a refusal (the wait would outlast the deadline) is recorded as a skipped attempt. */
  #acquire(options: CallOptions, estimate: number, attempt: number): Promise<void> | undefined {
    const limiter = this.o.limiter;
    if (!limiter) return undefined;
    const started = performance.now();
    return limiter.acquire(estimate, callAbortOf(options), remainingMs(options)).catch((error: unknown) => {
      if (RateLimitError.isInstance(error)) {
        callContextOf(options)?.attempts.push({ provider: this.name, attempt, outcome: 'skipped', errorCode: error.code, durationMs: performance.now() - started, note: 'local rate limit: the wait would outlast the deadline' });
      }
      throw error;
    });
  }

  /** An attempt succeeded with `totalTokens` used (undefined: the estimate stands). */
  succeeded(estimate: number, totalTokens: number | undefined): void {
    this.o.breaker.recordSuccess();
    this.o.limiter?.settle(estimate, totalTokens ?? estimate);
  }

  /** Decides whether to retry on this provider; throws when not (the chain then moves on). */
  async afterFailure(error: unknown, attempt: number, options: CallOptions): Promise<void> {
    const signal = callAbortOf(options);
    this.o.breaker.recordFailure(error);
    if (!LLMError.isInstance(error) || !RETRY_SAME.has(error.code) || signal?.aborted || attempt >= this.o.policy.maxAttempts) throw error;
    const retryAfter = (error as { retryAfterMs?: number }).retryAfterMs;
    if (retryAfter !== undefined) {
      this.o.limiter?.pause(retryAfter);
      if (retryAfter > this.o.retry.maxRetryAfterMs) throw error;
    }
    const delay = backoffDelay(attempt, { ...this.o.retry, ...(this.o.random ? { random: this.o.random } : {}) }, retryAfter);
    if (delay >= remainingMs(options)) throw error;
    this.o.logger.debug({ provider: this.name, attempt, code: error.code, delayMs: delay }, 'retrying');
    const last = callContextOf(options)?.attempts.at(-1);
    if (last && last.provider === this.name) last.waitMs = delay;
    await abortableSleep(delay, signal);
  }

  record(options: CallOptions, attempt: number, outcome: AttemptRecord['outcome'], errorCode: string | undefined, started: number): void {
    const context = callContextOf(options);
    if (context) context.attempts.push({ provider: this.name, attempt, outcome, errorCode, durationMs: performance.now() - started, startedAt: performance.timeOrigin + started });
  }

  #circuitOpen(options: CallOptions, attempt: number): ProviderUnavailableError {
    callContextOf(options)?.attempts.push({ provider: this.name, attempt, outcome: 'skipped', durationMs: 0, startedAt: Date.now(), note: 'circuit open' });
    return new ProviderUnavailableError(`${this.name}: circuit open after repeated failures; next probe in ${Math.ceil(this.o.breaker.retryInMs())} ms`, {
      provider: this.name,
    });
  }
}

export function codeOf(error: unknown): string | undefined {
  return LLMError.isInstance(error) ? error.code : undefined;
}
