/** Headers as the SDK exposes them on an API error. */
export interface HeaderReader {
  get(name: string): string | null;
}

const LIMITS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

/**
 * How long to wait before retrying, from `retry-after-ms`, `retry-after` (seconds or an HTTP date),
 * or else the `anthropic-ratelimit-*-reset` timestamps of the limits that are used up.
 */
export function parseRetryAfter(headers: HeaderReader | null | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const after = headers.get('retry-after');
  if (after !== null && after.trim() !== '') {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  let wait: number | undefined;
  for (const limit of LIMITS) {
    const reset = headers.get(`anthropic-ratelimit-${limit}-reset`);
    if (reset === null) continue;
    const remaining = headers.get(`anthropic-ratelimit-${limit}-remaining`);
    // A limit with capacity left is not what blocked the request.
    if (remaining !== null && Number(remaining) > 0) continue;
    const at = Date.parse(reset);
    if (Number.isNaN(at)) continue;
    wait = Math.max(wait ?? 0, at - now);
  }
  return wait === undefined ? undefined : Math.max(0, Math.round(wait));
}
