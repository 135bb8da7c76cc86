import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** One bad configuration value: which key, where it came from, what was expected. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `providers.ollama.timeout`. */
  key: string;
  /** Where the value came from: `env OLLAMA_TIMEOUT`, `file /app/autoarr-llm.config.json`, `options`, `default`. */
  source: string;
  /** What was expected, in words. */
  message: string;
}

/** The configuration is invalid. Lists every bad key at once, not just the first. */
export class ConfigValidationError extends LLMError {
  static readonly code = 'CONFIG_INVALID';
  static override readonly isInstance = isInstanceByCode<ConfigValidationError>(ConfigValidationError.code);
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[], options: LLMErrorOptions & { subject?: string } = {}) {
    const lines = issues.map((i) => `  - ${i.key} (from ${i.source}): ${i.message}`);
    super(
      ConfigValidationError.code,
      `Invalid ${options.subject ?? 'autoarr-llm configuration'} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      { retryable: false, ...options },
    );
    this.name = 'ConfigValidationError';
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}
