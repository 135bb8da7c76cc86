/** Backend failures a scripted backend can produce, named by what the provider should report. */
export type ErrorKind =
  | 'auth'
  | 'permission'
  | 'model-not-found'
  | 'rate-limit'
  | 'quota'
  | 'overloaded'
  | 'server'
  | 'invalid-request'
  | 'context-length';

export interface ScriptedToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/**
 * What a scripted backend (MockProvider, the stand-in servers) does with the next request. The same
 * scenarios drive every provider through the conformance suite, whatever its wire format.
 */
export type Scenario =
  /** Answer with this text, streamed as these chunks. */
  | {
      type: 'text';
      chunks: string[];
      finishReason?: 'stop' | 'length' | 'stop-sequence';
      usage?: { inputTokens: number; outputTokens: number };
      /** Pause between chunks (ms). */
      delayMs?: number;
    }
  /** Answer with tool calls (and optional text first). */
  | { type: 'tool-calls'; text?: string; calls: ScriptedToolCall[]; usage?: { inputTokens: number; outputTokens: number } }
  /** Fail with an HTTP-level error before any output. */
  | { type: 'error'; error: ErrorKind; retryAfterSeconds?: number; message?: string }
  /** Send these chunks, then drop the connection without the end-of-stream marker. */
  | { type: 'cut'; chunks: string[] }
  /**
   * Send these chunks, then end the response cleanly (a normal end of body, no reset) without the
   * backend's end-of-stream marker (`message_stop`, `"done": true`, `[DONE]`): a proxy or a crashed
   * worker that closes politely. A provider must report INCOMPLETE_STREAM, not success.
   */
  | { type: 'truncated'; chunks: string[] }
  /** Send these chunks, then an in-band error event. */
  | { type: 'stream-error'; chunks: string[]; message?: string }
  /** Send these chunks, then go silent until the client gives up. */
  | { type: 'stall'; chunks: string[] }
  /** Accept the connection and never answer (not even headers). */
  | { type: 'hang' }
  /** Answer 200 with a body outside the wire format. */
  | { type: 'malformed' };

/** The last request a scripted backend received, in provider-neutral terms. */
export interface NormalizedRequest {
  model: string | undefined;
  system: string | undefined;
  messages: Array<{ role: string; text: string }>;
  temperature: number | undefined;
  maxTokens: number | undefined;
  stop: string[] | undefined;
  stream: boolean;
  tools: string[] | undefined;
  /** The tool choice as sent (`auto`, `none`, `required`, or `{ name }`); undefined when none was sent or the normaliser cannot tell. */
  toolChoice?: 'auto' | 'none' | 'required' | { name: string } | undefined;
  /** Whether a JSON output instruction (JSON mode or a JSON schema) was sent; undefined when the normaliser cannot tell. */
  jsonOutput?: boolean | undefined;
  /** How many images the request carried; undefined when the normaliser cannot tell. */
  images?: number | undefined;
}

export function scenarioText(s: Scenario): string {
  return 'chunks' in s ? s.chunks.join('') : s.type === 'tool-calls' ? (s.text ?? '') : '';
}
