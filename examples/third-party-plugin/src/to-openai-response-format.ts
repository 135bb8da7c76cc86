import type { ResponseFormat } from '@autoarr-llm/core';
import type { OpenAIResponseFormat } from './openai-wire.js';

/**
 * JSON output: with a schema, `json_schema` (llama-server turns it into a grammar, vLLM into guided
 * decoding); without one, `json_object`. Plain text sends nothing, the servers' default.
 */
export function toOpenAIResponseFormat(format: ResponseFormat | undefined): OpenAIResponseFormat | undefined {
  if (!format || format.type === 'text') return undefined;
  if (!format.schema) return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      // OpenAI requires a name of letters, digits, _ and -.
      name: (format.name ?? 'response').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64),
      ...(format.description ? { description: format.description } : {}),
      schema: format.schema,
    },
  };
}
