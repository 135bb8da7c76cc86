import type { FinishReason } from '@autoarr-llm/core';

/**
 * `finish_reason` in our terms. Some servers say `stop` even when the answer is tool calls, so
 * tool calls win; `function_call` is the legacy name.
 */
export function mapFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool-calls';
  switch (reason) {
    case 'stop':
    case 'eos':
    case null:
    case undefined:
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}
