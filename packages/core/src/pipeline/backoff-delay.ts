export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests; `Math.random` by default. */
  random?: () => number;
}

/**
 * Delay before retry number `retry` (1 for the first retry): exponential with full jitter (a random
 * wait between 0 and base·2^(retry−1), capped), so that many clients failing together do not retry
 * in lockstep. A `retry-after` from the backend is honoured as the minimum.
 */
export function backoffDelay(retry: number, options: BackoffOptions, retryAfterMs?: number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor((options.random ?? Math.random)() * ceiling);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}
