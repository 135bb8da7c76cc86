import { z } from 'zod';

/** A JSON Schema object, as sent to providers. */
export type JsonSchema = Record<string, unknown>;

const JsonSchemaObject = z.record(z.string(), z.unknown());

/** A provider-neutral tool (function) definition. */
export const ToolDefinitionSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1–64 letters, digits, _ or -'),
  description: z.string().optional(),
  /** JSON Schema of the tool's input (an object schema). */
  inputSchema: JsonSchemaObject,
});
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;

/**
 * How the model may use tools: `auto` (it decides), `none`, `required` (some tool),
 * or one named tool.
 */
export const ToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('tool'), name: z.string().min(1) }),
]);
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

/** Ask for JSON output, optionally matching a JSON Schema. */
export const ResponseFormatSchema = z.union([
  z.object({ type: z.literal('text') }),
  z.object({
    type: z.literal('json'),
    schema: JsonSchemaObject.optional(),
    name: z.string().optional(),
    description: z.string().optional(),
  }),
]);
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;
