/** Headers as fetch and the SDKs expose them. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

const NUMBER = /^\d+(\.\d+)?$/;

/** A `retry-after` value (seconds, or an HTTP date) in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfterValue(value: string | null | undefined, now = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (NUMBER.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long a backend asked to wait before retrying, in milliseconds: `retry-after-ms` when present
 * (OpenAI, Anthropic), else `retry-after` as seconds or an HTTP date. Providers with their own
 * rate-limit headers read those after this.
 */
export function parseRetryAfter(headers: HeaderReader | null | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && NUMBER.test(ms)) return Math.round(Number(ms));
  return parseRetryAfterValue(headers.get('retry-after'), now);
}
