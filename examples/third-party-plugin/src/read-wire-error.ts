import type { OpenAIErrorBody } from './openai-wire.js';
import { OpenAIWireError } from './openai-wire-error.js';
import { parseRetryAfter } from '@autoarr-llm/core';

/** Reads an error answer (any status ≥ 400) into a wire error, keeping status, type, code and retry-after. */
export async function readWireError(response: Response): Promise<OpenAIWireError> {
  const text = await response.text().catch(() => '');
  const fields = errorFields(text);
  const message = fields.message ?? (text.trim().slice(0, 200) || `HTTP ${response.status} ${response.statusText}`);
  return new OpenAIWireError('http', message, {
    status: response.status,
    type: fields.type,
    code: fields.code,
    retryAfterMs: parseRetryAfter(response.headers),
  });
}

/** The message, type and code of an OpenAI-style error object (a proxy's plain text gives none). */
export function errorFields(raw: string | OpenAIErrorBody['error']): { message?: string; type?: string; code?: string; status?: number } {
  let error: OpenAIErrorBody['error'];
  if (typeof raw === 'string') {
    try {
      error = (JSON.parse(raw) as OpenAIErrorBody).error;
    } catch {
      return {};
    }
  } else {
    error = raw;
  }
  if (typeof error === 'string') return { message: error };
  if (typeof error !== 'object' || error === null) return {};
  return {
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
    ...(typeof error.type === 'string' ? { type: error.type } : {}),
    // llama-server puts the HTTP status in `code`; OpenAI and vLLM a string such as `insufficient_quota`.
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof error.code === 'number' ? { status: error.code } : {}),
  };
}
