import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

export type LicenseProblem = 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'feature-missing';

/** A premium plugin's license is missing, expired, tampered with or does not cover the feature. */
export class LicenseError extends LLMError {
  static readonly code = 'LICENSE_INVALID';
  static override readonly isInstance = isInstanceByCode<LicenseError>(LicenseError.code);
  readonly problem: LicenseProblem;
  constructor(problem: LicenseProblem, message: string, options: LLMErrorOptions = {}) {
    super(LicenseError.code, message, { retryable: false, ...options });
    this.name = 'LicenseError';
    this.problem = problem;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problem: this.problem };
  }
}
