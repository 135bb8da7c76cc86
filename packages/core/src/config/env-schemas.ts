import { z } from 'zod';
import { Secret } from '../secret/secret.js';

// Settings arrive as typed values from files and as strings from the environment; these schemas
// accept both, so one schema validates every source and its errors can name the env var.

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** A boolean, or one of `true/false/1/0/yes/no/on/off` (any case). */
export const envBoolean = () =>
  z.union([
    z.boolean(),
    z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .refine((s) => TRUE.has(s) || FALSE.has(s), 'expected true or false (also 1/0, yes/no, on/off)')
      .transform((s) => TRUE.has(s)),
  ], { error: 'expected true or false (also 1/0, yes/no, on/off)' });

/** A number, or a string holding one. */
export const envNumber = () =>
  z.union([
    z.number(),
    z
      .string()
      .trim()
      .refine((s) => s !== '' && Number.isFinite(Number(s)), 'expected a number')
      .transform(Number),
  ], { error: 'expected a number' });

/**
 * The longest delay Node's timers can wait (2^31-1 ms, about 24.8 days): a longer one fires at
 * once, so every call would time out immediately. Durations above it are refused at validation.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** A duration in milliseconds (a number or a string holding one): a positive whole number Node's timers can wait. */
export const envDurationMs = () =>
  envNumber().pipe(z.number().int('expected a whole number of milliseconds').positive('expected a positive number of milliseconds').max(MAX_TIMER_MS, `at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer Node can set`));

/** A duration in seconds (a number or a string holding one): positive, and no longer than Node's timers can wait. */
export const envDurationSeconds = () =>
  envNumber().pipe(z.number().positive('expected a positive number of seconds').max(MAX_TIMER_MS / 1000, `at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds (about 24.8 days), the longest timer Node can set`));

/** A list, or a comma-separated string (`ollama,claude`). Empty items are dropped. */
export const envList = () =>
  z.union([
    z.array(z.string().min(1)),
    z.string().transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    ),
  ], { error: 'expected a list of names, or a comma-separated string such as "ollama,claude"' });

/** A secret: a string (or `Secret`) held in a `Secret`, masked wherever it is printed. */
export const secretString = () =>
  z.union([z.custom<Secret>((v) => Secret.isInstance(v)), z.string().min(1, 'must not be empty')], { error: 'expected a non-empty string' }).transform((v) => Secret.from(v) as Secret);
