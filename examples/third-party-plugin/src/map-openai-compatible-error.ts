import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  LLMError,
  MalformedResponseError,
  ModelLoadingError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  ProviderError,
  ProviderUnavailableError,
  QuotaExhaustedError,
  RateLimitError,
  ServerError,
  TimeoutError,
  classifyNetworkFailure,
} from '@autoarr-llm/core';
import { OpenAIWireError } from './openai-wire-error.js';

export interface OpenAICompatibleErrorContext {
  provider: string;
  /** The model the failed call asked for (for ModelNotFoundError). */
  model: string;
  baseUrl: string;
}

const CONTEXT = /context[ _](length|window|size)|maximum context|too many tokens|exceeds? the (available )?context|exceed_context_size/i;

/**
 * Turns whatever a request to an OpenAI-compatible server threw into the typed error a caller (or
 * the fallback chain) acts on. Decided by status and the error body's `code`/`type`; the message
 * is only read where servers give nothing else (context overflow, llama-server's model loading).
 */
export function mapOpenAICompatibleError(error: unknown, ctx: OpenAICompatibleErrorContext): unknown {
  if (LLMError.isInstance(error)) return error;
  const opts = { provider: ctx.provider, cause: error };
  if (error instanceof OpenAIWireError) {
    if (error.kind === 'malformed') return new MalformedResponseError(`${ctx.provider}: ${error.message}`, opts);
    // An error event inside a stream carries no HTTP status: a server failure unless its body names one.
    return fromStatus(error.details.status ?? 500, error, ctx);
  }
  if (error instanceof SyntaxError) return new MalformedResponseError(`${ctx.provider}: the server answered with something that is not JSON`, opts);
  // Connection-level failures: core knows the socket codes (and undici's bare 'terminated').
  const network = classifyNetworkFailure(error);
  if (network?.kind === 'unreachable') {
    return new ProviderUnavailableError(`${ctx.provider}: cannot reach the server at ${ctx.baseUrl} (${network.code}); is it running? (OPENAI_COMPATIBLE_BASE_URL)`, opts);
  }
  if (network?.kind === 'broken') {
    return new ServerError(`${ctx.provider}: the connection closed before the answer was complete (${network.code})`, opts);
  }
  return error instanceof Error ? new ProviderError(`${ctx.provider}: ${error.message}`, opts) : error;
}

function fromStatus(status: number, error: OpenAIWireError, ctx: OpenAICompatibleErrorContext): LLMError {
  const { code, type, retryAfterMs } = error.details;
  const opts = { provider: ctx.provider, status, cause: error };
  const text = `${ctx.provider}: ${error.message}`;
  const contextOverflow = code === 'context_length_exceeded' || type === 'exceed_context_size_error' || CONTEXT.test(error.message);
  switch (status) {
    case 400:
    case 422:
      return contextOverflow ? new ContextLengthError(text, opts) : new InvalidRequestError(text, opts);
    case 413:
      // The request body itself is too big for the server (large images, huge prompts).
      return contextOverflow ? new ContextLengthError(text, opts) : new InvalidRequestError(`${text} (request too large)`, opts);
    case 401:
      return new AuthenticationError(`${text}; check OPENAI_COMPATIBLE_API_KEY`, opts);
    case 403:
      return new PermissionDeniedError(text, opts);
    case 404:
      // A 404 that names no model is a wrong base URL (a missing /v1, another server on the port).
      if (code === 'model_not_found' || /model/i.test(error.message)) return new ModelNotFoundError(ctx.model, `${text} (OPENAI_COMPATIBLE_MODEL)`, opts);
      return new ProviderUnavailableError(`${ctx.provider}: ${ctx.baseUrl} does not look like an OpenAI-compatible API (404: ${error.message}); the base URL usually ends in /v1`, opts);
    case 408:
      return new TimeoutError(text, { ...opts, phase: 'total' });
    case 429:
      // Quota is a billing state: waiting does not help, the chain moves on at once.
      if (code === 'insufficient_quota' || type === 'insufficient_quota') return new QuotaExhaustedError(text, opts);
      return new RateLimitError(text, { ...opts, retryAfterMs });
    case 503:
      // llama-server answers 503 "Loading model" while the model is still being read into memory.
      if (/loading model/i.test(error.message)) return new ModelLoadingError(ctx.model, `${text}; the server is still loading the model`, opts);
      return new OverloadedError(text, { ...opts, retryAfterMs });
    case 529:
      return new OverloadedError(text, { ...opts, retryAfterMs });
    case 504:
      return new TimeoutError(`${text} (gateway timeout)`, { ...opts, phase: 'total' });
    default:
      if (status >= 500) return contextOverflow ? new ContextLengthError(text, opts) : new ServerError(text, opts);
      return new ProviderError(text, opts);
  }
}
