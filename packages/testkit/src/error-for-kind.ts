import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  QuotaExhaustedError,
  RateLimitError,
  ServerError,
  type LLMError,
} from '@autoarr-llm/core';
import type { ErrorKind } from './scenario.js';

/** The error code a provider must report for each scripted failure. */
export const EXPECTED_ERROR: Record<ErrorKind, { code: string; retryable: boolean }> = {
  auth: { code: 'AUTHENTICATION_FAILED', retryable: false },
  permission: { code: 'PERMISSION_DENIED', retryable: false },
  'model-not-found': { code: 'MODEL_NOT_FOUND', retryable: false },
  'rate-limit': { code: 'RATE_LIMITED', retryable: true },
  quota: { code: 'QUOTA_EXHAUSTED', retryable: false },
  overloaded: { code: 'OVERLOADED', retryable: true },
  server: { code: 'SERVER_ERROR', retryable: true },
  'invalid-request': { code: 'INVALID_REQUEST', retryable: false },
  'context-length': { code: 'CONTEXT_LENGTH_EXCEEDED', retryable: false },
};

/** The typed error an in-process provider (MockProvider) throws for a scripted failure. */
export function errorForKind(kind: ErrorKind, provider: string, model: string, retryAfterSeconds?: number, message?: string): LLMError {
  const opts = { provider };
  const text = message ?? `${provider}: scripted ${kind} failure`;
  switch (kind) {
    case 'auth':
      return new AuthenticationError(text, { ...opts, status: 401 });
    case 'permission':
      return new PermissionDeniedError(text, { ...opts, status: 403 });
    case 'model-not-found':
      return new ModelNotFoundError(model, text, { ...opts, status: 404 });
    case 'rate-limit':
      return new RateLimitError(text, { ...opts, retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000 });
    case 'quota':
      return new QuotaExhaustedError(text, { ...opts, status: 429 });
    case 'overloaded':
      return new OverloadedError(text, { ...opts, status: 529 });
    case 'server':
      return new ServerError(text, { ...opts, status: 500 });
    case 'invalid-request':
      return new InvalidRequestError(text, { ...opts, status: 400 });
    case 'context-length':
      return new ContextLengthError(text, { ...opts, status: 400 });
  }
}
