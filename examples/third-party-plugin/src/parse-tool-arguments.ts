import { MalformedResponseError } from '@autoarr-llm/core';

/** A tool call's `arguments` string as a value; empty means no arguments. Not JSON is a malformed answer. */
export function parseToolArguments(raw: string | undefined, toolName: string, provider: string): unknown {
  if (raw === undefined || raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new MalformedResponseError(`${provider}: the arguments of tool call "${toolName}" are not valid JSON`, { provider, cause: error });
  }
}
