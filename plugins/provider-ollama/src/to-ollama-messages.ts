import { InvalidRequestError, UnsupportedFeatureError, type LLMMessage } from '@autoarr-llm/core';
import type { Message, ToolCall } from 'ollama';

const DATA_URL = /^data:([^;,]+)?;base64,(.+)$/s;

/**
 * Our messages in Ollama's chat format: text parts joined, base64 images in `images`, assistant
 * tool calls in `tool_calls`, and each tool result as its own `tool` message naming the tool (Ollama
 * matches results by name, so the name is found from the call id in the history).
 */
export function toOllamaMessages(messages: LLMMessage[], provider: string): Message[] {
  const toolNames = new Map<string, string>();
  const out: Message[] = [];
  for (const [index, message] of messages.entries()) {
    if (typeof message.content === 'string') {
      out.push({ role: message.role, content: message.content });
      continue;
    }
    let text = '';
    const images: string[] = [];
    const toolCalls: ToolCall[] = [];
    const results: Message[] = [];
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
          text += part.text;
          break;
        case 'image':
          images.push(imageData(part.source, provider, index));
          break;
        case 'tool-call':
          toolNames.set(part.id, part.name);
          toolCalls.push({ function: { name: part.name, arguments: toArguments(part.input) } });
          break;
        case 'tool-result': {
          const name = toolNames.get(part.toolCallId);
          if (!name) {
            throw new InvalidRequestError(`${provider}: tool result ${part.toolCallId} has no matching tool call earlier in the conversation`, {
              provider,
              field: `messages.${index}.content`,
            });
          }
          const content = typeof part.content === 'string' ? part.content : JSON.stringify(part.content);
          results.push({ role: 'tool', content: part.isError ? `Error: ${content}` : content, tool_name: name });
          break;
        }
      }
    }
    if (results.length > 0) {
      out.push(...results);
      if (text) out.push({ role: 'user', content: text });
      continue;
    }
    const converted: Message = { role: message.role, content: text };
    if (images.length > 0) converted.images = images;
    if (toolCalls.length > 0) converted.tool_calls = toolCalls;
    out.push(converted);
  }
  return out;
}

function imageData(source: { type: 'base64'; data: string } | { type: 'url'; url: string }, provider: string, index: number): string {
  if (source.type === 'base64') return source.data;
  const inline = DATA_URL.exec(source.url);
  if (inline?.[2]) return inline[2];
  // Ollama takes image bytes only; fetching arbitrary URLs on the caller's behalf is not ours to do.
  throw new UnsupportedFeatureError(
    'image-url',
    `${provider}: Ollama needs image bytes, not URLs (messages.${index}): send the image as base64 data (or a data: URL)`,
    { provider },
  );
}

function toArguments(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : { value: input };
}
