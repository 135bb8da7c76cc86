import { describe, expect, it } from 'vitest';
import { newCallId } from './new-call-id.js';

describe('newCallId', () => {
  it('is a UUID that sorts by time and differs between calls of the same millisecond', () => {
    const a = newCallId(1_700_000_000_000);
    const b = newCallId(1_700_000_000_001);
    const c = newCallId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect([b, a].sort()).toEqual([a, b]);
    expect(b).not.toBe(c);
  });
});
