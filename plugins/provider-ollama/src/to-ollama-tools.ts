import { UnsupportedFeatureError, type ToolChoice, type ToolDefinition } from '@autoarr-llm/core';
import type { Tool } from 'ollama';

/**
 * Our tools in Ollama's format. Ollama has no tool choice: `none` sends no tools, and forcing a
 * tool is refused with a typed error rather than silently ignored (a chain can use a provider that can).
 */
export function toOllamaTools(tools: ToolDefinition[] | undefined, choice: ToolChoice | undefined, provider: string): Tool[] | undefined {
  if (!tools || tools.length === 0 || choice === 'none') return undefined;
  if (choice !== undefined && choice !== 'auto') {
    throw new UnsupportedFeatureError('tool-choice', `${provider}: Ollama cannot force a tool call (toolChoice ${JSON.stringify(choice)}); use "auto" or "none"`, { provider });
  }
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.inputSchema as NonNullable<Tool['function']['parameters']> },
  }));
}
