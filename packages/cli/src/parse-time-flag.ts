import { CliError } from './cli-error.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * A point in time from the command line: a duration ago (`30m`, `12h`, `7d`, `2w`) or a date
 * (`2026-01-31`, `2026-01-31T12:00:00Z`). Epoch milliseconds; undefined when the flag is absent.
 */
export function parseTimeFlag(name: string, value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const relative = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (relative) return now - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw CliError.usage(`--${name}: expected a duration ago (30m, 12h, 7d) or a date (2026-01-31), got "${value}"`);
  return at;
}
