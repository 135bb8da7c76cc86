import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** One provider the chain tried, and why it did not serve. */
export interface ProviderAttempt {
  provider: string;
  /** Short reason a user can act on. */
  reason: string;
  /** The error's code, when an error was the reason. */
  code?: string | undefined;
  error?: unknown;
}

/** No provider in the chain could serve. `attempts` lists every provider tried and why, in order. */
export class NoProviderAvailableError extends LLMError {
  static readonly code = 'NO_PROVIDER_AVAILABLE';
  static override readonly isInstance = isInstanceByCode<NoProviderAvailableError>(NoProviderAvailableError.code);
  readonly attempts: ProviderAttempt[];
  constructor(attempts: ProviderAttempt[], options: LLMErrorOptions = {}) {
    // Provider errors already start with the provider's name: do not say it twice.
    const lines = attempts.map((a) => `  - ${a.provider}: ${a.reason.startsWith(`${a.provider}: `) ? a.reason.slice(a.provider.length + 2) : a.reason}`);
    super(
      NoProviderAvailableError.code,
      attempts.length === 0
        ? 'No LLM providers available: no provider is configured or installed'
        : `No LLM providers available. Tried:\n${lines.join('\n')}`,
      { retryable: false, ...options },
    );
    this.name = 'NoProviderAvailableError';
    this.attempts = attempts;
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      attempts: this.attempts.map(({ provider, reason, code }) => ({ provider, reason, code })),
    };
  }
}
