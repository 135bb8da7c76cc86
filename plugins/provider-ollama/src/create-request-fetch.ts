import { parseRetryAfter } from '@autoarr-llm/core';
import { OllamaWireError } from './ollama-wire-error.js';
import { validateNdjson } from './validate-ndjson.js';

/**
 * The `fetch` one ollama-js client uses for one request. ollama-js passes no signal on non-streamed
 * calls and aborts every stream of a client at once (ollama-js #274), so each request gets its own
 * client and this fetch adds the request's signal. It also reads error answers itself, keeping the
 * status and `retry-after` that ollama-js's ResponseError drops, and validates NDJSON bodies.
 */
export function createRequestFetch(signal: AbortSignal, base: typeof fetch = fetch): typeof fetch {
  return async (input, init = {}) => {
    const merged = init.signal ? AbortSignal.any([signal, init.signal]) : signal;
    const response = await base(input, { ...init, signal: merged });
    if (!response.ok) throw await wireErrorFrom(response);
    const streamed = isStreamedRequest(init.body);
    if (streamed && response.body) {
      return new Response(validateNdjson(response.body, merged), { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    if (!streamed && init.method === 'POST') {
      // Read the one JSON answer here, so a proxy's HTML page is a MalformedResponse, not a SyntaxError.
      const text = await response.text();
      try {
        JSON.parse(text);
      } catch {
        throw new OllamaWireError('malformed', `Ollama answered with something that is not JSON: ${text.slice(0, 120)}`);
      }
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    return response;
  };
}

function isStreamedRequest(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    return (JSON.parse(body) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

async function wireErrorFrom(response: Response): Promise<OllamaWireError> {
  const text = await response.text().catch(() => '');
  let message = text.trim() || `HTTP ${response.status} ${response.statusText}`;
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') message = parsed.error;
    else if (typeof parsed.error === 'object' && parsed.error !== null && typeof (parsed.error as { message?: unknown }).message === 'string') {
      message = (parsed.error as { message: string }).message;
    }
  } catch {
    // A proxy's plain-text or HTML body: keep it as the message.
  }
  return new OllamaWireError('http', message, response.status, parseRetryAfter(response.headers));
}
