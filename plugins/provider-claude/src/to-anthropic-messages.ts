import { InvalidRequestError, type ContentPart, type LLMMessage } from '@autoarr-llm/core';
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { toAnthropicImage } from './to-anthropic-image.js';

type Turn = { role: 'user' | 'assistant'; content: ContentBlockParam[] };

/**
 * Core messages as a Messages API request: system messages become the top-level `system`, `tool`
 * messages become user turns of `tool_result` blocks, assistant tool calls become `tool_use`
 * blocks, and consecutive turns of one role merge (the API requires alternating roles, and a
 * `tool_result` must open the user turn that answers a `tool_use`).
 */
export function toAnthropicMessages(messages: LLMMessage[], provider: string): { system: string | undefined; messages: MessageParam[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  messages.forEach((message, i) => {
    const field = `messages.${i}`;
    if (message.role === 'system') {
      system.push(textOf(message, field, provider));
      return;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = toBlocks(message, field, provider);
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last && last.role === role) {
      // tool_result blocks go first in a merged user turn.
      last.content = message.role === 'tool' ? [...blocks, ...last.content] : [...last.content, ...blocks];
    } else {
      turns.push({ role, content: blocks });
    }
  });
  if (turns.length === 0) {
    throw new InvalidRequestError(`${provider}: at least one user or assistant message is required besides system messages`, { provider, field: 'messages' });
  }
  return {
    system: system.length > 0 ? system.join('\n\n') : undefined,
    // A single text block is sent as a plain string: the shortest form, and what the API echoes in examples.
    messages: turns.map((t) => ({ role: t.role, content: t.content.length === 1 && t.content[0]?.type === 'text' ? t.content[0].text : t.content })),
  };
}

function textOf(message: LLMMessage, field: string, provider: string): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part, j) => {
      if (part.type !== 'text') throw new InvalidRequestError(`${provider}: system messages hold text only (${field}.content.${j} is ${part.type})`, { provider, field: `${field}.content.${j}` });
      return part.text;
    })
    .join('');
}

function toBlocks(message: LLMMessage, field: string, provider: string): ContentBlockParam[] {
  if (typeof message.content === 'string') {
    if (message.role === 'tool') throw new InvalidRequestError(`${provider}: ${field} is a tool message; its content must be tool-result parts`, { provider, field });
    return message.content.length > 0 ? [{ type: 'text', text: message.content }] : [];
  }
  return message.content.map((part, j) => toBlock(part, message.role, `${field}.content.${j}`, provider));
}

function toBlock(part: ContentPart, role: LLMMessage['role'], field: string, provider: string): ContentBlockParam {
  const misplaced = () => new InvalidRequestError(`${provider}: a ${part.type} part cannot appear in a ${role} message (${field})`, { provider, field });
  switch (part.type) {
    case 'text':
      if (role === 'tool') throw misplaced();
      return { type: 'text', text: part.text };
    case 'image':
      if (role !== 'user') throw misplaced();
      return toAnthropicImage(part, field, provider);
    case 'tool-call':
      if (role !== 'assistant') throw misplaced();
      return { type: 'tool_use', id: part.id, name: part.name, input: part.input ?? {} };
    case 'tool-result':
      if (role !== 'tool') throw misplaced();
      return {
        type: 'tool_result',
        tool_use_id: part.toolCallId,
        content: typeof part.content === 'string' ? part.content : JSON.stringify(part.content ?? null),
        ...(part.isError ? { is_error: true } : {}),
      };
  }
}
