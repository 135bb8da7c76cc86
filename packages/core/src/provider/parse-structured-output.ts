import { StructuredOutputError } from '../errors/structured-output-error.js';

/**
 * Checks that a structured-output answer is JSON and matches the top level of the requested schema
 * (type and required properties), for every provider alike. Deeper validation is the caller's: no
 * JSON Schema validator ships with core. A mismatch is a `StructuredOutputError` carrying the
 * answer as it came.
 */
export function parseStructuredOutput(text: string, schema: Record<string, unknown> | undefined, provider: string, model?: string): unknown {
  const fail = (message: string, cause?: unknown) => new StructuredOutputError(`${provider}: ${message}`, { provider, rawText: text, model, ...(cause === undefined ? {} : { cause }) });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail('the model was asked for JSON but answered with text that is not valid JSON', error);
  }
  if (!schema) return value;
  const type = schema['type'];
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('the structured output is not a JSON object as the schema requires');
    const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]).filter((k): k is string => typeof k === 'string') : [];
    const missing = required.filter((k) => !(k in value));
    if (missing.length > 0) throw fail(`the structured output lacks required properties: ${missing.join(', ')}`);
  } else if (type === 'array' && !Array.isArray(value)) {
    throw fail('the structured output is not a JSON array as the schema requires');
  }
  return value;
}
