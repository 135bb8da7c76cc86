import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineClock } from './deadline-clock.js';
import { setListenerErrorReporter } from './call-abort-scope.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const refedTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

afterEach(() => {
  vi.useRealTimers();
});

describe('DeadlineClock', () => {
  it('follows a switch to fake timers (and back), as tests of applications do', async () => {
    const clock = new DeadlineClock();
    clock.add(60_000, () => undefined).cancel();
    vi.useFakeTimers();
    const fired: string[] = [];
    clock.add(1_000, () => fired.push('fake'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual(['fake']);
    vi.useRealTimers();
    clock.add(20, () => fired.push('real'));
    await sleep(60);
    expect(fired).toEqual(['fake', 'real']);
  });

  it('fires each deadline once, in time order, whatever order they were added in', async () => {
    const clock = new DeadlineClock();
    const fired: string[] = [];
    const t0 = performance.now();
    const at: Record<string, number> = {};
    for (const [name, ms] of [['c', 90], ['a', 30], ['d', 120], ['b', 60]] as const) {
      clock.add(ms, () => {
        fired.push(name);
        at[name] = performance.now() - t0;
      });
    }
    await sleep(200);
    expect(fired).toEqual(['a', 'b', 'c', 'd']);
    // Never early (beyond the millisecond a timer may be early by).
    expect(at['a']).toBeGreaterThanOrEqual(29);
    expect(at['d']).toBeGreaterThanOrEqual(119);
    expect(clock.pending).toBe(0);
  });

  it('a deadline that throws neither stops the others due with it nor the clock; its error is reported', async () => {
    const reported: unknown[] = [];
    const previous = setListenerErrorReporter((e) => reported.push(e));
    try {
      const clock = new DeadlineClock();
      const fired: string[] = [];
      clock.add(20, () => {
        throw new Error('listener bug');
      });
      clock.add(20, () => fired.push('same time'));
      clock.add(60, () => fired.push('later'));
      await sleep(120);
      expect(fired).toEqual(['same time', 'later']);
      expect(reported).toEqual([new Error('listener bug')]);
    } finally {
      setListenerErrorReporter(previous);
    }
  });

  it('keeps each lane in order even when the clock goes back (real and fake timers mixed)', async () => {
    let t = 1_000;
    const clock = new DeadlineClock(() => t);
    const fired: string[] = [];
    clock.add(100, () => fired.push('at 1100'));
    t = 0;
    clock.add(100, () => fired.push('at 100'));
    t = 200;
    await sleep(150);
    expect(fired).toEqual(['at 100']);
    t = 1_200;
    await sleep(1_150);
    expect(fired).toEqual(['at 100', 'at 1100']);
  });

  it('a cancelled deadline never fires; the others still do', async () => {
    const clock = new DeadlineClock();
    const fired: number[] = [];
    const first = clock.add(20, () => fired.push(1));
    clock.add(40, () => fired.push(2));
    const third = clock.add(60, () => fired.push(3));
    first.cancel();
    third.cancel();
    third.cancel();
    await sleep(100);
    expect(fired).toEqual([2]);
  });

  it('a deadline added from a firing one is kept (re-armed deadlines)', async () => {
    const clock = new DeadlineClock();
    const fired: string[] = [];
    clock.add(20, () => {
      fired.push('first');
      clock.add(20, () => fired.push('again'));
    });
    await sleep(90);
    expect(fired).toEqual(['first', 'again']);
  });

  it('keeps the process alive only while a deadline is pending', async () => {
    await sleep(5);
    const before = refedTimers();
    const clock = new DeadlineClock();
    const pending = [clock.add(10_000, () => undefined), clock.add(20_000, () => undefined)];
    expect(refedTimers()).toBe(before + 1);
    pending[0]!.cancel();
    expect(refedTimers()).toBe(before + 1);
    pending[1]!.cancel();
    expect(refedTimers()).toBe(before);
    // A new deadline later than the one the timer waits for only takes the timer back.
    const again = clock.add(15_000, () => undefined);
    expect(refedTimers()).toBe(before + 1);
    again.cancel();
    expect(refedTimers()).toBe(before);
  });
});
