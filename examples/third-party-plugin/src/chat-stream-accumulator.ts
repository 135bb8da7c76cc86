import type { LLMResponse, StreamEvent, ToolCall, Usage } from '@autoarr-llm/core';
import { mapFinishReason } from './map-finish-reason.js';
import type { ChatCompletionChunk } from './openai-wire.js';
import { parseToolArguments } from './parse-tool-arguments.js';
import { toUsage } from './to-usage.js';

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Folds stream chunks into events and the final response. Text is passed on as it arrives; a
 * tool call arrives in fragments keyed by `index` (id and name first, then pieces of the JSON
 * arguments) and is only emitted once the stream says it is finished, when its arguments are whole.
 */
export class ChatStreamAccumulator {
  #model: string;
  #finishReason: string | null | undefined;
  #usage: Usage | undefined;
  readonly #calls = new Map<number, PendingToolCall>();
  readonly #emitted: ToolCall[] = [];

  constructor(
    private readonly provider: string,
    model: string,
  ) {
    this.#model = model;
  }

  /** Whether a choice has said why it finished (the answer is complete, only usage may follow). */
  get finished(): boolean {
    return this.#finishReason !== undefined && this.#finishReason !== null;
  }

  /** The events this chunk yields. */
  push(chunk: ChatCompletionChunk): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (chunk.model) this.#model = chunk.model;
    const usage = toUsage(chunk.usage);
    if (usage) this.#usage = usage;
    const choice = chunk.choices?.[0];
    if (!choice) return events;
    const text = choice.delta?.content;
    if (typeof text === 'string' && text.length > 0) events.push({ type: 'text', text });
    for (const [position, delta] of (choice.delta?.tool_calls ?? []).entries()) {
      // Servers that send whole calls in one chunk sometimes leave out `index`.
      const index = delta.index ?? this.#calls.size + position;
      const call = this.#calls.get(index) ?? { id: '', name: '', arguments: '' };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += delta.function.name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
      this.#calls.set(index, call);
    }
    if (choice.finish_reason) {
      this.#finishReason = choice.finish_reason;
      events.push(...this.#flushToolCalls());
    }
    return events;
  }

  /** The final response (content is filled in by core from the chunks); any unflushed tool calls first. */
  finish(): { events: StreamEvent[]; response: LLMResponse } {
    const events = this.#flushToolCalls();
    return {
      events,
      response: {
        content: '',
        model: this.#model,
        provider: this.provider,
        ...(this.#usage ? { usage: this.#usage } : {}),
        finishReason: mapFinishReason(this.#finishReason, this.#emitted.length > 0),
        ...(this.#emitted.length > 0 ? { toolCalls: [...this.#emitted] } : {}),
      },
    };
  }

  #flushToolCalls(): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const index of [...this.#calls.keys()].sort((a, b) => a - b)) {
      const call = this.#calls.get(index)!;
      const toolCall: ToolCall = { id: call.id || `call_${this.#emitted.length}`, name: call.name, input: parseToolArguments(call.arguments, call.name, this.provider) };
      this.#emitted.push(toolCall);
      events.push({ type: 'tool-call', toolCall });
    }
    this.#calls.clear();
    return events;
  }
}
