import type { FinishReason } from '@autoarr-llm/core';

/**
 * Ollama's `done_reason` as our finish reason. Ollama says `stop` after tool calls too, so the
 * presence of tool calls decides `tool-calls`; a matched stop sequence is also just `stop` there.
 */
export function mapDoneReason(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool-calls';
  switch (doneReason) {
    case 'stop':
    case undefined:
    case '':
      return 'stop';
    case 'length':
      return 'length';
    default:
      return 'other';
  }
}
