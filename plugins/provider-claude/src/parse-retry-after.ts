import { parseRetryAfter as standardRetryAfter, type HeaderReader } from '@autoarr-llm/core';

const LIMITS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

/**
 * How long to wait before retrying, from `retry-after-ms`, `retry-after` (seconds or an HTTP date),
 * or else the `anthropic-ratelimit-*-reset` timestamps of the limits that are used up.
 */
export function parseRetryAfter(headers: HeaderReader | null | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const standard = standardRetryAfter(headers, now);
  if (standard !== undefined) return standard;
  let wait: number | undefined;
  for (const limit of LIMITS) {
    const reset = headers.get(`anthropic-ratelimit-${limit}-reset`);
    if (reset === null || reset === undefined) continue;
    const remaining = headers.get(`anthropic-ratelimit-${limit}-remaining`);
    // A limit with capacity left is not what blocked the request.
    if (remaining !== null && remaining !== undefined && Number(remaining) > 0) continue;
    const at = Date.parse(reset);
    if (Number.isNaN(at)) continue;
    wait = Math.max(wait ?? 0, at - now);
  }
  return wait === undefined ? undefined : Math.max(0, Math.round(wait));
}
