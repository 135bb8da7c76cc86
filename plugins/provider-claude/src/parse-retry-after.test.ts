import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parse-retry-after.js';

const h = (o: Record<string, string>) => new Headers(o);
const now = Date.parse('2026-11-25T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads retry-after seconds, retry-after-ms and HTTP dates', () => {
    expect(parseRetryAfter(h({ 'retry-after': '7' }), now)).toBe(7000);
    expect(parseRetryAfter(h({ 'retry-after-ms': '1500', 'retry-after': '7' }), now)).toBe(1500);
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }), now)).toBe(30_000);
  });

  it('falls back to the reset time of the exhausted anthropic-ratelimit limit', () => {
    const headers = h({
      'anthropic-ratelimit-requests-remaining': '12',
      'anthropic-ratelimit-requests-reset': '2026-11-25T10:00:50Z',
      'anthropic-ratelimit-tokens-remaining': '0',
      'anthropic-ratelimit-tokens-reset': '2026-11-25T10:00:20Z',
    });
    expect(parseRetryAfter(headers, now)).toBe(20_000);
  });

  it('is undefined without any hint, and never negative', () => {
    expect(parseRetryAfter(h({}), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'anthropic-ratelimit-requests-reset': '2026-11-25T09:59:00Z' }), now)).toBe(0);
  });
});
