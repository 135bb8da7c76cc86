import { MalformedResponseError } from '@autoarr-llm/core';

/**
 * Checks an answer that was asked to be JSON: it must parse, and match the top level of the
 * schema (type and required properties). Deeper validation is the caller's: no JSON Schema
 * validator ships with this plugin, and servers enforcing the schema by grammar rarely miss.
 */
export function checkStructuredOutput(text: string, schema: Record<string, unknown> | undefined, provider: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedResponseError(`${provider}: the model was asked for JSON but answered with text that is not valid JSON`, { provider, cause: error });
  }
  if (!schema) return;
  if (schema['type'] === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new MalformedResponseError(`${provider}: the structured output is not a JSON object as the schema requires`, { provider });
    }
    const required = Array.isArray(schema['required']) ? schema['required'].filter((k): k is string => typeof k === 'string') : [];
    const missing = required.filter((k) => !(k in value));
    if (missing.length > 0) throw new MalformedResponseError(`${provider}: the structured output lacks required properties: ${missing.join(', ')}`, { provider });
  } else if (schema['type'] === 'array' && !Array.isArray(value)) {
    throw new MalformedResponseError(`${provider}: the structured output is not a JSON array as the schema requires`, { provider });
  }
}
