import { redactSecrets } from '../secret/redact-secrets.js';

const MARKER = Symbol.for('autoarr-llm.error');

export interface LLMErrorOptions {
  /** The provider the error concerns, when there is one. */
  provider?: string | undefined;
  /** Whether trying again (the same or the next provider) can succeed. */
  retryable?: boolean | undefined;
  /** HTTP status of the backend's answer, when there was one. */
  status?: number | undefined;
  cause?: unknown;
}

/**
 * The base of every error autoarr-llm throws. Recognise errors with `LLMError.isInstance(e)` or a
 * subclass's `isInstance`, never `instanceof`: two copies of core in one install (common with
 * plugins) would make `instanceof` lie. Messages are scrubbed of every known secret.
 */
export class LLMError extends Error {
  /** Stable, documented code: branch on this, never on the message. */
  readonly code: string;
  readonly provider: string | undefined;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly [MARKER] = true;

  constructor(code: string, message: string, options: LLMErrorOptions = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: scrubCause(options.cause) });
    this.name = 'LLMError';
    this.code = code;
    this.provider = options.provider;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
  }

  static isInstance(error: unknown): error is LLMError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }

  /** A plain, secret-free object for logs and `--json` output. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    if (this.provider !== undefined) out['provider'] = this.provider;
    out['retryable'] = this.retryable;
    if (this.status !== undefined) out['status'] = this.status;
    return out;
  }
}

/** Builds `isInstance` for a subclass identified by its code. */
export function isInstanceByCode<T extends LLMError>(code: string) {
  return (error: unknown): error is T => LLMError.isInstance(error) && error.code === code;
}

// SDK errors can echo request details; scrub what we keep of them.
function scrubCause(cause: unknown): unknown {
  if (cause instanceof Error) {
    try {
      cause.message = redactSecrets(cause.message);
      if (cause.stack) cause.stack = redactSecrets(cause.stack);
    } catch {
      // Frozen errors keep their text; nothing we can do without losing the cause.
    }
  }
  return cause;
}
