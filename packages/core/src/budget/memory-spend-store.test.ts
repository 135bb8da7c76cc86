import { describe, expect, it } from 'vitest';
import { MemorySpendStore } from './memory-spend-store.js';
import { windowEnd, windowStart } from './window-start.js';

const DAY = 86_400_000;

describe('windowStart', () => {
  const now = Date.UTC(2026, 11, 4, 16, 30); // a Friday
  it('calendar windows start at UTC midnight, on Monday, on the 1st; rolling ones a period back', () => {
    expect(windowStart('day', 'calendar', now)).toBe(Date.UTC(2026, 11, 4));
    expect(windowStart('week', 'calendar', now)).toBe(Date.UTC(2026, 10, 30));
    expect(windowStart('month', 'calendar', now)).toBe(Date.UTC(2026, 11, 1));
    expect(windowStart('day', 'rolling', now)).toBe(now - DAY);
    expect(windowStart('month', 'rolling', now)).toBe(now - 30 * DAY);
    expect(windowEnd('month', 'calendar', now)).toBe(Date.UTC(2027, 0, 1));
    expect(windowEnd('week', 'calendar', Date.UTC(2026, 10, 30))).toBe(Date.UTC(2026, 11, 7));
    expect(windowEnd('day', 'rolling', now)).toBeUndefined();
  });
});

describe('MemorySpendStore', () => {
  it('reserves only what fits every claim, atomically, and settles the real cost', () => {
    const s = new MemorySpendStore();
    const claims = [
      { budget: 'a', since: 0, limit: 1 },
      { budget: 'b', since: 0, limit: 0.5 },
    ];
    expect(s.tryReserve(claims, 0.4)).toBe(-1);
    expect(s.tryReserve(claims, 0.2)).toBe(1); // b would be at 0.6
    expect(s.usage('a', 0)).toEqual({ spent: 0, reserved: 0.4 }); // the refused one took nothing from a
    s.settle(claims, 0.4, 0.1, 1_000);
    expect(s.usage('b', 0)).toEqual({ spent: 0.1, reserved: 0 });
    expect(s.tryReserve(claims, 0.4)).toBe(-1);
    s.release(claims, 0.4);
    expect(s.usage('a', 0)).toEqual({ spent: 0.1, reserved: 0 });
  });

  it('drops spend as it leaves a rolling window, and a calendar window at its rollover', () => {
    const s = new MemorySpendStore();
    const t0 = Date.UTC(2026, 11, 4, 10);
    s.add('r', t0, 1);
    s.add('r', t0 + 3_600_000, 2);
    s.add('r', t0 - 3_600_000, 4); // older history, inserted in order
    expect(s.usage('r', t0 - DAY).spent).toBe(7);
    expect(s.usage('r', t0 - 60_000).spent).toBe(3);
    expect(s.usage('r', t0 + 2 * 3_600_000).spent).toBe(0);
    const claims = [{ budget: 'c', since: Date.UTC(2026, 11, 4), limit: 1 }];
    expect(s.tryReserve(claims, 1)).toBe(-1);
    s.settle(claims, 1, 1, t0);
    expect(s.tryReserve(claims, 0.01)).toBe(0);
    expect(s.tryReserve([{ budget: 'c', since: Date.UTC(2026, 11, 5), limit: 1 }], 1)).toBe(-1);
  });
});
