import type { ErrorKind, NormalizedRequest, ScriptedToolCall } from '../scenario.js';

/**
 * The Anthropic Messages API wire format, as the stand-in server writes it. Shapes follow the API
 * reference (https://platform.claude.com/docs/en/api/messages) and @anthropic-ai/sdk's types.
 */

/** One server-sent event: `event: <name>\ndata: <json>\n\n`. */
export interface AnthropicSseEvent {
  event: string;
  /** Sent as JSON; a `RawSseData` is sent as it is (for malformed-stream cases). */
  data: unknown;
}

/** Event data written to the stream verbatim, not as JSON. */
export class RawSseData {
  constructor(readonly text: string) {}
}

export interface AnthropicUsageWire {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export type AnthropicContentWire =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessageWire {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentWire[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: AnthropicUsageWire;
}

/** Status, error type and default message of each scripted failure, as the API reports it. */
export const ANTHROPIC_ERROR_WIRE: Record<ErrorKind, { status: number; type: string; message: string; errorCode?: string }> = {
  auth: { status: 401, type: 'authentication_error', message: 'invalid x-api-key' },
  permission: { status: 403, type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' },
  'model-not-found': { status: 404, type: 'not_found_error', message: 'model: claude-unknown' },
  'rate-limit': { status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' },
  quota: {
    status: 429,
    type: 'rate_limit_error',
    message: 'You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.',
    errorCode: 'enforced_spend_limit_reached',
  },
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
  server: { status: 500, type: 'api_error', message: 'Internal server error' },
  'invalid-request': { status: 400, type: 'invalid_request_error', message: 'messages: roles must alternate between "user" and "assistant"' },
  'context-length': { status: 400, type: 'invalid_request_error', message: 'prompt is too long: 212345 tokens > 200000 maximum' },
};

/** The JSON body of an HTTP error, exactly as the API sends it. */
export function anthropicErrorBody(type: string, message: string, requestId: string, errorCode?: string): Record<string, unknown> {
  const error: Record<string, unknown> = { type, message };
  if (errorCode) error['details'] = { error_code: errorCode };
  return { type: 'error', error, request_id: requestId };
}

export function anthropicMessage(
  model: string,
  content: AnthropicContentWire[],
  stopReason: string,
  usage: AnthropicUsageWire,
  stopSequence: string | null = null,
): AnthropicMessageWire {
  return { id: messageId(), type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: stopSequence, usage };
}

export function toolUseBlocks(calls: ScriptedToolCall[]): AnthropicContentWire[] {
  return calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.input }));
}

/**
 * The SSE events of a streamed message, block by block. Text blocks stream as `text_delta`s (one per
 * chunk); tool_use blocks start with an empty input and stream their JSON in two `input_json_delta`s.
 * The events stop before `message_delta` (the caller adds the ending it is scripted to give).
 */
export function streamOpening(model: string, inputTokens: number): AnthropicSseEvent[] {
  return [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { id: messageId(), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
}

export function textBlockStart(index: number): AnthropicSseEvent {
  return { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } };
}

export function textDelta(index: number, text: string): AnthropicSseEvent {
  return { event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } } };
}

export function blockStop(index: number): AnthropicSseEvent {
  return { event: 'content_block_stop', data: { type: 'content_block_stop', index } };
}

export function toolUseEvents(index: number, call: ScriptedToolCall): AnthropicSseEvent[] {
  const json = JSON.stringify(call.input);
  const cut = Math.max(1, Math.floor(json.length / 2));
  return [
    { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } } },
    { event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(0, cut) } } },
    { event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(cut) } } },
    blockStop(index),
  ];
}

export function streamClosing(stopReason: string, outputTokens: number, stopSequence: string | null = null): AnthropicSseEvent[] {
  return [
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: stopSequence }, usage: { output_tokens: outputTokens } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}

export function streamError(type: string, message: string, requestId: string): AnthropicSseEvent {
  return { event: 'error', data: anthropicErrorBody(type, message, requestId) };
}

export function formatSse(e: AnthropicSseEvent): string {
  return `event: ${e.event}\ndata: ${e.data instanceof RawSseData ? e.data.text : JSON.stringify(e.data)}\n\n`;
}

/** A Messages API request body, provider-neutral (what the conformance suite compares). */
export function normalizeAnthropicRequest(body: unknown): NormalizedRequest {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const system = b['system'];
  const messages = Array.isArray(b['messages']) ? (b['messages'] as Array<Record<string, unknown>>) : [];
  const tools = Array.isArray(b['tools']) ? (b['tools'] as Array<Record<string, unknown>>).map((t) => String(t['name'])) : undefined;
  return {
    model: typeof b['model'] === 'string' ? b['model'] : undefined,
    system: typeof system === 'string' ? system : Array.isArray(system) ? blocksText(system) : undefined,
    messages: messages.map((m) => ({ role: String(m['role']), text: typeof m['content'] === 'string' ? m['content'] : Array.isArray(m['content']) ? blocksText(m['content']) : '' })),
    temperature: typeof b['temperature'] === 'number' ? b['temperature'] : undefined,
    maxTokens: typeof b['max_tokens'] === 'number' ? b['max_tokens'] : undefined,
    stop: Array.isArray(b['stop_sequences']) ? (b['stop_sequences'] as string[]) : undefined,
    stream: b['stream'] === true,
    tools,
    toolChoice: anthropicToolChoice(b['tool_choice']),
    jsonOutput: typeof b['output_config'] === 'object' && b['output_config'] !== null && 'format' in (b['output_config'] as object),
    images: messages.reduce((n, m) => n + (Array.isArray(m['content']) ? (m['content'] as Array<Record<string, unknown>>).filter((x) => x['type'] === 'image').length : 0), 0),
  };
}

function anthropicToolChoice(choice: unknown): NormalizedRequest['toolChoice'] {
  if (typeof choice !== 'object' || choice === null) return undefined;
  const c = choice as Record<string, unknown>;
  if (c['type'] === 'any') return 'required';
  if (c['type'] === 'tool') return { name: String(c['name']) };
  return c['type'] === 'auto' || c['type'] === 'none' ? c['type'] : undefined;
}

/** The text of content blocks: text blocks, and the content of tool results. */
function blocksText(blocks: unknown[]): string {
  return blocks
    .map((x) => {
      if (typeof x !== 'object' || x === null) return '';
      const block = x as Record<string, unknown>;
      if (block['type'] === 'text') return String(block['text']);
      if (block['type'] === 'tool_result') return typeof block['content'] === 'string' ? block['content'] : Array.isArray(block['content']) ? blocksText(block['content']) : '';
      return '';
    })
    .join('');
}

let counter = 0;
function messageId(): string {
  counter += 1;
  return `msg_standin${String(counter).padStart(6, '0')}`;
}

export function requestId(): string {
  counter += 1;
  return `req_standin${String(counter).padStart(6, '0')}`;
}
