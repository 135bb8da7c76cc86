import type { ToolChoice, ToolDefinition } from '@autoarr-llm/core';
import type { OpenAITool, OpenAIToolChoice } from './openai-wire.js';

/** Tool definitions as `function` tools, their input schema as `parameters`. */
export function toOpenAITools(tools: ToolDefinition[] | undefined): OpenAITool[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.inputSchema },
  }));
}

/** `auto`/`none`/`required` pass through; one named tool becomes `{ type: 'function', function: { name } }`. */
export function toOpenAIToolChoice(choice: ToolChoice | undefined): OpenAIToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}
