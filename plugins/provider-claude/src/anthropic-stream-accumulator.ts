import { MalformedResponseError, type LLMResponse, type StreamEvent } from '@autoarr-llm/core';
import { mapAnthropicUsage, type AnthropicUsageFields } from './map-anthropic-usage.js';
import { mapStopReason } from './map-stop-reason.js';

type Block = { type: 'text' } | { type: 'tool_use'; id: string; name: string; json: string } | { type: 'other' };

/**
 * Folds Messages API stream events (message_start, content_block_start/delta/stop, message_delta,
 * message_stop) into core stream events and, once message_stop has arrived, the final response.
 * Tool inputs arrive as `input_json_delta` fragments and are parsed when their block stops.
 */
export class AnthropicStreamAccumulator {
  readonly #provider: string;
  #model: string;
  #blocks = new Map<number, Block>();
  #usage: AnthropicUsageFields = {};
  #stopReason: string | null = null;
  #text = '';
  #stopped = false;

  constructor(provider: string, model: string) {
    this.#provider = provider;
    this.#model = model;
  }

  /** Whether message_stop arrived: without it the stream was cut. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Folds one API event in; returns the core event it makes (each API event makes at most one). */
  push(event: unknown): StreamEvent | undefined {
    const e = asRecord(event);
    switch (e['type']) {
      case 'message_start': {
        const message = asRecord(e['message']);
        if (typeof message['model'] === 'string') this.#model = message['model'];
        this.#mergeUsage(message['usage']);
        return undefined;
      }
      case 'content_block_start': {
        const block = asRecord(e['content_block']);
        const index = this.#index(e);
        if (block['type'] === 'text') {
          this.#blocks.set(index, { type: 'text' });
          // A text block may open with text already in it.
          return typeof block['text'] === 'string' && block['text'].length > 0 ? this.#text_(block['text']) : undefined;
        }
        if (block['type'] === 'tool_use') {
          if (typeof block['id'] !== 'string' || typeof block['name'] !== 'string') throw this.#malformed('a tool_use block started without its id or name');
          this.#blocks.set(index, { type: 'tool_use', id: block['id'], name: block['name'], json: '' });
          return undefined;
        }
        this.#blocks.set(index, { type: 'other' });
        return undefined;
      }
      case 'content_block_delta': {
        const index = this.#index(e);
        const delta = asRecord(e['delta']);
        if (delta['type'] === 'text_delta' && typeof delta['text'] === 'string') return this.textDelta(index, delta['text']);
        const block = this.#block(index);
        if (delta['type'] === 'input_json_delta' && typeof delta['partial_json'] === 'string') {
          if (block.type !== 'tool_use') throw this.#malformed(`an input_json_delta arrived for the ${block.type} block ${index}`);
          block.json += delta['partial_json'];
        }
        // thinking_delta, signature_delta, citations_delta: nothing for core.
        return undefined;
      }
      case 'content_block_stop': {
        const index = this.#index(e);
        const block = this.#blocks.get(index);
        if (block?.type !== 'tool_use') return undefined;
        let input: unknown = {};
        if (block.json.trim().length > 0) {
          try {
            input = JSON.parse(block.json);
          } catch (error) {
            throw new MalformedResponseError(`${this.#provider}: the streamed input of tool call "${block.name}" is not valid JSON`, { provider: this.#provider, cause: error });
          }
        }
        return { type: 'tool-call', toolCall: { id: block.id, name: block.name, input } };
      }
      case 'message_delta': {
        const delta = asRecord(e['delta']);
        if (typeof delta['stop_reason'] === 'string') this.#stopReason = delta['stop_reason'];
        this.#mergeUsage(e['usage']);
        return undefined;
      }
      case 'message_stop':
        this.#stopped = true;
        return undefined;
      default:
        // ping, and event types newer than this plugin.
        return undefined;
    }
  }

  /** Folds in a text delta of block `index` (read straight from the wire, see `readTextDelta`). */
  textDelta(index: number, text: string): StreamEvent {
    const block = this.#block(index);
    if (block.type !== 'text') throw this.#malformed(`a text_delta arrived for the ${block.type} block ${index}`);
    return this.#text_(text);
  }

  /** The final response (content is the concatenated text; core replaces it with the chunks it gave out). */
  response(): LLMResponse {
    return { content: this.#text, model: this.#model, provider: this.#provider, usage: mapAnthropicUsage(this.#usage), finishReason: mapStopReason(this.#stopReason) };
  }

  #text_(text: string): StreamEvent {
    this.#text += text;
    return { type: 'text', text };
  }

  #block(index: number): Block {
    const block = this.#blocks.get(index);
    if (!block) throw this.#malformed(`a delta arrived for block ${index}, which never started`);
    return block;
  }

  #index(e: Record<string, unknown>): number {
    const index = e['index'];
    if (typeof index !== 'number') throw this.#malformed(`a ${String(e['type'])} event has no block index`);
    return index;
  }

  // message_delta's usage is cumulative; its null fields mean "unchanged".
  #mergeUsage(usage: unknown): void {
    const u = asRecord(usage);
    for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
      const value = u[key];
      if (typeof value === 'number') this.#usage[key] = value;
    }
  }

  #malformed(what: string): MalformedResponseError {
    return new MalformedResponseError(`${this.#provider}: malformed stream: ${what}`, { provider: this.#provider });
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
