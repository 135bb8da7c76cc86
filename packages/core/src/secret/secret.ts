import { inspect } from 'node:util';
import { REDACTED, registerSecretValue } from './redact-secrets.js';

const MARKER = Symbol.for('autoarr-llm.secret');

/**
 * Holds a credential so that printing, logging, JSON-serialising or inspecting it shows
 * `[redacted]`. Call `reveal()` only at the point where the value goes to the backend.
 */
export class Secret {
  readonly #value: string;
  readonly [MARKER] = true;

  constructor(value: string) {
    this.#value = value;
    registerSecretValue(value);
  }

  static isInstance(value: unknown): value is Secret {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** Wraps a string (or passes a Secret through); `undefined` and empty strings stay `undefined`. */
  static from(value: string | Secret | undefined | null): Secret | undefined {
    if (value === undefined || value === null) return undefined;
    if (Secret.isInstance(value)) return value;
    return value.length === 0 ? undefined : new Secret(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
