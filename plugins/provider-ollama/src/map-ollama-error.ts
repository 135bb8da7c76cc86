import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  LLMError,
  MalformedResponseError,
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
import { OllamaWireError } from './ollama-wire-error.js';

export interface OllamaErrorContext {
  provider: string;
  model: string;
  baseUrl: string;
}

/** The command a user runs to fix a missing model. */
export function pullHint(model: string): string {
  return `run \`ollama pull ${model}\` (or enable OLLAMA_AUTO_DOWNLOAD)`;
}

/** Turns whatever a request to Ollama threw into the typed error a caller (or a fallback chain) acts on. */
export function mapOllamaError(error: unknown, ctx: OllamaErrorContext): unknown {
  if (LLMError.isInstance(error)) return error;
  const opts = { provider: ctx.provider, cause: error };
  if (error instanceof OllamaWireError) {
    switch (error.kind) {
      case 'http':
        return fromStatus(error.status ?? 500, error.message, error.retryAfterMs, ctx, error);
      case 'error-line':
        return fromMessage(error.message, ctx, error);
      case 'malformed':
        return new MalformedResponseError(`${ctx.provider}: ${error.message}`, opts);
      case 'cut':
        return new ServerError(`${ctx.provider}: ${error.message}`, opts);
    }
  }
  // ollama-js's own ResponseError (not exported): only the status and message survive.
  if (error instanceof Error && error.name === 'ResponseError' && typeof (error as { status_code?: unknown }).status_code === 'number') {
    return fromStatus((error as unknown as { status_code: number }).status_code, error.message, undefined, ctx, error);
  }
  if (error instanceof SyntaxError) return new MalformedResponseError(`${ctx.provider}: Ollama answered with something that is not JSON`, opts);
  const network = classifyNetworkFailure(error);
  if (network?.kind === 'unreachable') {
    return new ProviderUnavailableError(`${ctx.provider}: cannot reach the Ollama daemon at ${ctx.baseUrl} (${network.code}); is \`ollama serve\` running?`, opts);
  }
  if (network?.kind === 'broken') {
    return new ServerError(`${ctx.provider}: the connection to Ollama closed before the answer was complete (${network.code})`, opts);
  }
  if (error instanceof Error && error.message === 'Did not receive done or success response in stream.') {
    return new ServerError(`${ctx.provider}: the stream from Ollama ended without its final "done" line`, opts);
  }
  return error instanceof Error ? new ProviderError(`${ctx.provider}: ${error.message}`, opts) : error;
}

function fromStatus(status: number, message: string, retryAfterMs: number | undefined, ctx: OllamaErrorContext, cause: unknown): LLMError {
  const opts = { provider: ctx.provider, status, cause };
  const text = `${ctx.provider}: ${message}`;
  if (status === 400 || status === 413 || status === 422) {
    return /context (length|window)|too long|exceeds the context/i.test(message) ? new ContextLengthError(text, opts) : new InvalidRequestError(text, opts);
  }
  if (status === 401) return new AuthenticationError(text, opts);
  if (status === 403) return new PermissionDeniedError(text, opts);
  if (status === 404) {
    // Ollama's router says "404 page not found" for an unknown path: not Ollama, or a wrong base URL.
    if (/model/i.test(message)) return new ModelNotFoundError(ctx.model, `${ctx.provider}: model "${ctx.model}" is not installed in Ollama at ${ctx.baseUrl}; ${pullHint(ctx.model)}`, opts);
    return new ProviderUnavailableError(`${ctx.provider}: ${ctx.baseUrl} does not look like an Ollama API (404: ${message})`, opts);
  }
  if (status === 408) return new TimeoutError(text, { ...opts, phase: 'total' });
  if (status === 429) {
    return /usage limit|quota|credit|billing|upgrade/i.test(message) ? new QuotaExhaustedError(text, opts) : new RateLimitError(text, { ...opts, retryAfterMs });
  }
  if (status === 503 || status === 529) return new OverloadedError(text, { ...opts, retryAfterMs });
  if (status >= 500) return /context (length|window)|exceeds the context/i.test(message) ? new ContextLengthError(text, opts) : new ServerError(text, opts);
  return new ProviderError(text, opts);
}

function fromMessage(message: string, ctx: OllamaErrorContext, cause: unknown): LLMError {
  const opts = { provider: ctx.provider, cause };
  if (/model .*not found/i.test(message)) return new ModelNotFoundError(ctx.model, `${ctx.provider}: model "${ctx.model}" is not installed in Ollama at ${ctx.baseUrl}; ${pullHint(ctx.model)}`, opts);
  if (/context (length|window)|exceeds the context/i.test(message)) return new ContextLengthError(`${ctx.provider}: ${message}`, opts);
  return new ServerError(`${ctx.provider}: Ollama reported an error mid-stream: ${message}`, opts);
}
