import { InvalidRequestError, type ToolChoice, type ToolDefinition } from '@autoarr-llm/core';
import type { Tool, ToolChoice as AnthropicToolChoice } from '@anthropic-ai/sdk/resources/messages/messages';

/** Core tool definitions as Claude client tools. */
export function toAnthropicTools(tools: ToolDefinition[]): Tool[] {
  return tools.map((t) => ({
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    // The API requires an object schema; a schema without `type` is taken as one.
    input_schema: { type: 'object', ...t.inputSchema } as Tool['input_schema'],
  }));
}

/** Core tool choice as Claude's: `required` is `any`, a named tool must be among the tools sent. */
export function toAnthropicToolChoice(choice: ToolChoice, tools: ToolDefinition[] | undefined, provider: string): AnthropicToolChoice {
  if (choice === 'none') return { type: 'none' };
  if (!tools || tools.length === 0) {
    throw new InvalidRequestError(`${provider}: toolChoice "${typeof choice === 'string' ? choice : choice.name}" needs tools`, { provider, field: 'options.toolChoice' });
  }
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (!tools.some((t) => t.name === choice.name)) {
    throw new InvalidRequestError(`${provider}: toolChoice names "${choice.name}", which is not among the tools`, { provider, field: 'options.toolChoice.name' });
  }
  return { type: 'tool', name: choice.name };
}
