import { CliError } from './cli-error.js';

/**
 * A numeric flag's value, checked here so a typo is a usage error (exit 2) naming the flag rather
 * than a provider's INVALID_REQUEST about a field the user never typed.
 */
export function parseNumberFlag(flag: string, value: string | undefined, kind: 'number' | 'positive-integer'): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  // The value is not echoed: a flag's value may be a pasted key, and errors end up in logs.
  if (kind === 'number' && !Number.isFinite(n)) throw CliError.usage(`--${flag} expects a number`);
  if (kind === 'positive-integer' && !(Number.isInteger(n) && n > 0)) throw CliError.usage(`--${flag} expects a positive whole number`);
  return n;
}
