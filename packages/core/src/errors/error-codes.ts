/**
 * Every error code autoarr-llm throws, and what it means. A test keeps this table in step with the
 * error classes. Codes are stable: branch on them, never on messages.
 */
export const ERROR_CODES = {
  PROVIDER_ERROR: 'A provider failure that fits no more specific code',
  PROVIDER_UNAVAILABLE: 'The provider cannot be reached or is not configured',
  AUTHENTICATION_FAILED: 'Credentials missing, malformed or refused (401)',
  PERMISSION_DENIED: 'Credentials valid but not allowed (403)',
  RATE_LIMITED: 'Too many requests; wait `retryAfterMs` (429)',
  QUOTA_EXHAUSTED: 'Quota or credit used up; waiting will not help',
  OVERLOADED: 'Backend out of capacity (529)',
  SERVER_ERROR: 'Backend failure (5xx)',
  TIMEOUT: 'A deadline ran out (`phase` says which)',
  ABORTED: 'The caller cancelled the call',
  MODEL_NOT_FOUND: 'The model does not exist or is not installed',
  MODEL_LOADING: 'A local model is still loading (cold start)',
  INVALID_REQUEST: 'The request is wrong; retrying will not help',
  CONTEXT_LENGTH_EXCEEDED: "The prompt does not fit the model's context",
  INCOMPLETE_STREAM: 'A stream failed after it started; `partialText` holds what arrived',
  MALFORMED_RESPONSE: 'The backend answered outside its wire format',
  STRUCTURED_OUTPUT_INVALID: 'The model was asked for JSON and answered otherwise; `rawText` holds the answer (not retried)',
  UNSUPPORTED_FEATURE: 'The provider or model lacks a requested capability',
  LICENSE_INVALID: 'A premium license is missing, expired, tampered with or insufficient',
  PLUGIN_LOAD_FAILED: 'A plugin could not be found, validated or imported',
  PLUGIN_TIMEOUT: "A plugin did not answer within the host's bound for one stage (`stage`, `timeoutMs`)",
  CONFIG_INVALID: 'The configuration is invalid (`issues` lists every bad key)',
  NO_PROVIDER_AVAILABLE: 'No provider in the chain could serve (`attempts` says why)',
  BUDGET_EXCEEDED: 'Every candidate would go over a budget (`refusals` says which)',
  NO_CAPABLE_MODEL: 'No routing candidate has a capability the request needs (`missing` names it)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
