/** Headers as fetch exposes them. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long to wait before retrying, in ms: `retry-after-ms` (OpenAI), else `retry-after` as
 * seconds or an HTTP date; undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderReader, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const after = headers.get('retry-after')?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
