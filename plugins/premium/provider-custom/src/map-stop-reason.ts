import type { FinishReason } from '@autoarr-llm/core';

/** node-llama-cpp's stop reason as a contract finish reason. */
export function mapStopReason(stopReason: string): FinishReason {
  switch (stopReason) {
    case 'eogToken':
    case 'stopGenerationTrigger':
      return 'stop';
    case 'customStopTrigger':
      return 'stop-sequence';
    case 'maxTokens':
      return 'length';
    case 'functionCalls':
      return 'tool-calls';
    default:
      return 'other';
  }
}
