import type { Budget } from './budget-config.js';

const DAY = 86_400_000;
const ROLLING: Record<Budget['period'], number> = { day: DAY, week: 7 * DAY, month: 30 * DAY };

/** When a budget's current window began (UTC): midnight, Monday, the 1st; or now minus the period. */
export function windowStart(period: Budget['period'], window: Budget['window'], now: number): number {
  if (window === 'rolling') return now - ROLLING[period];
  const day = now - (now % DAY);
  if (period === 'day') return day;
  if (period === 'week') return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** When a calendar window ends (the next one starts); undefined for a rolling one. */
export function windowEnd(period: Budget['period'], window: Budget['window'], now: number): number | undefined {
  if (window === 'rolling') return undefined;
  const start = windowStart(period, window, now);
  if (period === 'day') return start + DAY;
  if (period === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
