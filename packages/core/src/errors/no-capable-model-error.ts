import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** A capability a request needs: `vision`, `tools`, `json`, or `context` (its size in tokens). */
export type RequiredCapability = 'vision' | 'tools' | 'json' | 'context';

/**
 * No candidate the router may use can serve the request: `missing` names the capabilities no
 * candidate has (for `context`, none has a window of `neededContext` tokens). The request was not
 * sent anywhere.
 */
export class NoCapableModelError extends LLMError {
  static readonly code = 'NO_CAPABLE_MODEL';
  static override readonly isInstance = isInstanceByCode<NoCapableModelError>(NoCapableModelError.code);
  readonly missing: RequiredCapability[];
  readonly neededContext: number | undefined;
  constructor(missing: RequiredCapability[], candidates: readonly string[], neededContext: number | undefined, options: LLMErrorOptions = {}) {
    const what = missing.map((m) => (m === 'context' ? `a context window of ${neededContext} tokens` : m)).join(', ');
    super(NoCapableModelError.code, `No routing candidate can serve this request: it needs ${what} (candidates: ${candidates.join(', ') || 'none'})`, { retryable: false, ...options });
    this.name = 'NoCapableModelError';
    this.missing = missing;
    this.neededContext = neededContext;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), missing: this.missing, ...(this.neededContext === undefined ? {} : { neededContext: this.neededContext }) };
  }
}
