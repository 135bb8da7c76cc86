import type { LLMMessage } from '../contract/message.js';

/** A rough token count (≈ 4 characters a token), for budgets and for usage a backend never reported. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimateMessageTokens(messages: readonly LLMMessage[]): number {
  let chars = 0;
  for (const m of messages) chars += typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length;
  return Math.ceil(chars / 4) + 4 * messages.length;
}
