/**
 * What went wrong on the wire, before it is mapped to a typed `LLMError` (where the model and call
 * context are known). Raised by the request fetch, so ollama-js never swallows or flattens it.
 */
export class OllamaWireError extends Error {
  constructor(
    readonly kind: 'http' | 'error-line' | 'malformed' | 'cut',
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OllamaWireError';
  }
}
