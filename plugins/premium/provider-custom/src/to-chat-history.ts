import { InvalidRequestError, UnsupportedFeatureError, type ContentPart, type LLMMessage } from '@autoarr-llm/core';
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';

/**
 * Builds node-llama-cpp's chat history from the messages, so the model's own chat template
 * renders every turn (instead of text glued together): system → system item, user → user item,
 * assistant → model response (text and function calls), tool results → the `result` of the
 * matching function call. Ends with an open model response to generate into; a trailing
 * assistant message is continued (a prefill).
 */
export function toChatHistory(messages: readonly LLMMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const callsById = new Map<string, ChatModelFunctionCall>();
  for (const [index, message] of messages.entries()) {
    const parts: ContentPart[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (parts.some((p) => p.type === 'image')) {
      throw new UnsupportedFeatureError('vision', 'custom: the local model takes text only; image parts are not supported', { provider: 'custom' });
    }
    const text = parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
    switch (message.role) {
      case 'system':
        history.push({ type: 'system', text });
        break;
      case 'user':
        history.push({ type: 'user', text });
        break;
      case 'assistant': {
        const response: ChatModelResponse['response'] = text ? [text] : [];
        for (const part of parts) {
          if (part.type !== 'tool-call') continue;
          const call: ChatModelFunctionCall = { type: 'functionCall', name: part.name, params: part.input, result: undefined };
          callsById.set(part.id, call);
          response.push(call);
        }
        history.push({ type: 'model', response });
        break;
      }
      case 'tool':
        for (const part of parts) {
          if (part.type !== 'tool-result') continue;
          const call = callsById.get(part.toolCallId);
          if (!call) {
            throw new InvalidRequestError(`custom: messages.${index}: tool result for unknown tool call "${part.toolCallId}"`, { provider: 'custom', field: `messages.${index}` });
          }
          call.result = part.content;
        }
        break;
    }
  }
  const last = history.at(-1);
  if (last?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}
