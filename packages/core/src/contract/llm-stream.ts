import type { LLMResponse } from './response.js';
import type { LLMStreamEvent } from './stream-event.js';

/**
 * A streamed completion. Iterate it for text chunks (as the seed's `stream_complete` yields them);
 * when it ends, `response` holds the final aggregated response (content equal to the concatenated
 * chunks, usage, finish reason, tool calls).
 *
 * - An error before the first chunk is thrown from the iteration as the provider's typed error, so a
 *   fallback chain can still move on.
 * - An error after it is an `IncompleteStreamError` carrying the partial text: a cut stream never
 *   ends as if it were complete.
 * - Leaving the loop early (`break`) cancels the request on the backend.
 *
 * A stream is consumed once: iterate it, or call `events()`, or `collect()`.
 */
export interface LLMStream extends AsyncIterable<string> {
  /** Settles when the stream ends: resolves with the final response, rejects with the stream's error. */
  readonly response: Promise<LLMResponse>;
  /** The text received so far. */
  readonly text: string;
  /** The provider serving this stream (in a chain, the one that answered, once known). */
  readonly provider: string;
  /** Every event, ending with `{ type: 'finish', response }`. */
  events(): AsyncIterable<LLMStreamEvent>;
  /** Consumes the whole stream and returns the final response. */
  collect(): Promise<LLMResponse>;
}
