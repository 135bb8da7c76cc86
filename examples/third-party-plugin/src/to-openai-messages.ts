import { InvalidRequestError, type ContentPart, type LLMMessage } from '@autoarr-llm/core';
import type { OpenAIContentPart, OpenAIMessage, OpenAIToolCall } from './openai-wire.js';

/**
 * Our messages in the Chat Completions shape: images become `image_url` parts (base64 as a
 * `data:` URL), an assistant's tool calls become `tool_calls` with JSON-string arguments, and each
 * tool result becomes its own `tool` message answering a `tool_call_id`.
 */
export function toOpenAIMessages(messages: LLMMessage[], provider: string): OpenAIMessage[] {
  const out: OpenAIMessage[] = [];
  messages.forEach((message, index) => {
    const parts: ContentPart[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    const field = `messages.${index}.content`;
    const text = () => parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
    const refuse = (kind: string) => {
      throw new InvalidRequestError(`${provider}: invalid ${field}: ${kind} parts are not allowed in a ${message.role} message`, { provider, field });
    };

    switch (message.role) {
      case 'system':
        for (const p of parts) if (p.type !== 'text') refuse(p.type);
        out.push({ role: 'system', content: text() });
        return;
      case 'assistant': {
        const toolCalls: OpenAIToolCall[] = [];
        for (const p of parts) {
          if (p.type === 'tool-call') toolCalls.push({ id: p.id, type: 'function', function: { name: p.name, arguments: JSON.stringify(p.input ?? {}) } });
          else if (p.type !== 'text') refuse(p.type);
        }
        const content = text();
        // OpenAI wants `content: null` (not "") beside tool calls; llama-server and vLLM accept both.
        out.push({ role: 'assistant', content: content === '' && toolCalls.length > 0 ? null : content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) });
        return;
      }
      case 'tool':
      case 'user': {
        // Tool results travel as separate `tool` messages, in order, before any text of the same turn.
        for (const p of parts) {
          if (p.type === 'tool-result') {
            const content = typeof p.content === 'string' ? p.content : JSON.stringify(p.content ?? null);
            out.push({ role: 'tool', tool_call_id: p.toolCallId, content: p.isError ? `Error: ${content}` : content });
          }
        }
        if (message.role === 'tool') {
          if (typeof message.content === 'string' || parts.some((p) => p.type !== 'tool-result')) {
            throw new InvalidRequestError(`${provider}: invalid ${field}: a tool message holds tool-result parts (each names the toolCallId it answers)`, { provider, field });
          }
          return;
        }
        const rest = parts.filter((p) => p.type !== 'tool-result');
        if (rest.length === 0 && parts.length > 0) return;
        if (rest.every((p) => p.type === 'text')) {
          out.push({ role: 'user', content: rest.map((p) => (p.type === 'text' ? p.text : '')).join('\n') });
          return;
        }
        const content: OpenAIContentPart[] = rest.map((p) => {
          if (p.type === 'text') return { type: 'text', text: p.text };
          if (p.type === 'image') {
            const url = p.source.type === 'base64' ? `data:${p.source.mediaType};base64,${p.source.data}` : p.source.url;
            return { type: 'image_url', image_url: { url } };
          }
          return refuse(p.type);
        });
        out.push({ role: 'user', content });
        return;
      }
    }
  });
  return out;
}
