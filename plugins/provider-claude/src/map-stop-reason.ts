import type { FinishReason } from '@autoarr-llm/core';

/** Maps the Messages API `stop_reason` to core's finish reason. */
export function mapStopReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
      return 'stop';
    case 'max_tokens':
    // The prompt plus output filled the model's context window: the answer was cut, like max_tokens.
    case 'model_context_window_exceeded':
      return 'length';
    case 'stop_sequence':
      return 'stop-sequence';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      // pause_turn (a server tool paused a long turn), null and values newer than this plugin.
      return 'other';
  }
}
