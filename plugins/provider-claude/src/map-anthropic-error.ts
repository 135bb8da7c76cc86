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
  redactSecrets,
} from '@autoarr-llm/core';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AnthropicError } from '@anthropic-ai/sdk';
import { parseRetryAfter } from './parse-retry-after.js';

export interface ErrorContext {
  provider: string;
  /** The model the request named (for ModelNotFoundError). */
  model: string;
  /** The SDK's per-request timeout, reported on TimeoutError. */
  timeoutMs?: number | undefined;
  baseUrl?: string | undefined;
}

/** `error.details.error_code`s that mean the account cannot spend more: waiting will not help. */
const QUOTA_CODES = new Set(['enforced_spend_limit_reached', 'contract_spend_limit_reached', 'linked_organization_spend_limit_reached', 'linked_organization_billing_unavailable']);
// Older answers carry no error_code; their wording is the only signal left.
const QUOTA_WORDING = /credit balance|quota|billing|spend limit|usage limits?/i;
const CONTEXT_WORDING = /prompt is too long|context window|context length|too many tokens/i;
// undici reports a dropped connection as these; none is an HTTP answer.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * Turns what the SDK threw into core's typed error. Messages carry the API's own explanation and
 * request id; the SDK error itself is not kept as `cause` (its body and headers would print in
 * `util.inspect`), only a secret-free summary of it.
 */
export function mapAnthropicError(error: unknown, ctx: ErrorContext): unknown {
  const { provider } = ctx;
  if (LLMError.isInstance(error)) return error;
  // Left as it is: core knows why the call's signal fired (caller abort or deadline) and types it so.
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError(`${provider}: the API did not answer within ${ctx.timeoutMs ?? '?'} ms`, { provider, phase: 'first-chunk', timeoutMs: ctx.timeoutMs, cause: safeCause(error) });
  }
  if (error instanceof APIConnectionError) {
    const code = connectionCode(error);
    return new ProviderUnavailableError(`${provider}: cannot reach the Anthropic API${ctx.baseUrl ? ` at ${ctx.baseUrl}` : ''}${code ? ` (${code})` : ''}`, { provider, cause: safeCause(error) });
  }
  if (error instanceof APIError) return fromApiError(error, ctx);
  if (error instanceof SyntaxError) return new MalformedResponseError(`${provider}: the API answered with invalid JSON`, { provider, cause: safeCause(error) });
  const code = connectionCode(error);
  if (code || (error instanceof TypeError && /terminated|other side closed|socket/i.test(error.message))) {
    return new ProviderUnavailableError(`${provider}: the connection to the Anthropic API was lost${code ? ` (${code})` : ''}`, { provider, cause: safeCause(error) });
  }
  if (error instanceof AnthropicError) return new ProviderError(`${provider}: ${error.message}`, { provider, cause: safeCause(error) });
  return error;
}

function fromApiError(error: APIError, ctx: ErrorContext): LLMError {
  const { provider } = ctx;
  const status = error.status;
  const type = error.type ?? undefined;
  const apiMessage = error.apiMessage ?? error.message;
  const where = error.requestID ? ` (request ${error.requestID})` : '';
  const message = `${provider}: ${apiMessage}${status ? ` [HTTP ${status}${type ? ` ${type}` : ''}]` : type ? ` [${type}]` : ''}${where}`;
  const base = { provider, status, cause: safeCause(error) };
  const retryAfterMs = parseRetryAfter(error.headers);

  const quota = (error.errorCode !== null && QUOTA_CODES.has(error.errorCode)) || type === 'billing_error' || status === 402;
  if (quota || (status === 429 && QUOTA_WORDING.test(apiMessage))) return new QuotaExhaustedError(message, base);

  switch (status) {
    case 400:
    case 422:
      return CONTEXT_WORDING.test(apiMessage) ? new ContextLengthError(message, base) : new InvalidRequestError(message, base);
    case 401:
      return new AuthenticationError(message, base);
    case 403:
      return new PermissionDeniedError(message, base);
    case 404:
      return new ModelNotFoundError(ctx.model, message, base);
    case 408:
      return new TimeoutError(message, { ...base, phase: 'total' });
    case 413:
      return new InvalidRequestError(`${message}: the request is too large`, base);
    case 429:
      return new RateLimitError(message, { ...base, retryAfterMs });
    case 529:
      return new OverloadedError(message, { ...base, retryAfterMs });
    case undefined:
      // An `event: error` inside a stream: only the error type says what happened.
      return fromErrorType(type, message, base, retryAfterMs, ctx);
    default:
      if (status >= 500) return new ServerError(message, base);
      return new ProviderError(message, base);
  }
}

function fromErrorType(type: string | undefined, message: string, base: { provider: string; status: number | undefined; cause: unknown }, retryAfterMs: number | undefined, ctx: ErrorContext): LLMError {
  switch (type) {
    case 'overloaded_error':
      return new OverloadedError(message, { ...base, retryAfterMs });
    case 'rate_limit_error':
      return new RateLimitError(message, { ...base, status: undefined, retryAfterMs });
    case 'invalid_request_error':
      return new InvalidRequestError(message, base);
    case 'authentication_error':
      return new AuthenticationError(message, base);
    case 'permission_error':
      return new PermissionDeniedError(message, base);
    case 'not_found_error':
      return new ModelNotFoundError(ctx.model, message, base);
    case 'timeout_error':
      return new TimeoutError(message, { ...base, phase: 'idle' });
    default:
      return new ServerError(message, base);
  }
}

/** A secret-free stand-in for the SDK error: name, scrubbed message, status, type, request id. */
function safeCause(error: unknown): Error {
  const e = error instanceof Error ? error : new Error(String(error));
  const safe = new Error(redactSecrets(e.message));
  safe.name = e.name;
  const fields: Record<string, unknown> = {};
  if (e instanceof APIError) {
    if (e.status !== undefined) fields['status'] = e.status;
    if (e.type) fields['type'] = e.type;
    if (e.errorCode) fields['errorCode'] = e.errorCode;
    if (e.requestID) fields['requestId'] = e.requestID;
  }
  const code = connectionCode(e);
  if (code) fields['code'] = code;
  return Object.assign(safe, fields);
}

function connectionCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
