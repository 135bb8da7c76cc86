import { createHash } from 'node:crypto';
import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';

/**
 * The cache and coalescing key of a request: everything that shapes the answer (messages, model,
 * sampling, limits, tools, format, provider options), nothing that does not (signal, timeout).
 */
export function requestKey(messages: readonly LLMMessage[], options: ResolvedCallOptions): string {
  const normalised = {
    messages,
    model: options.model ?? null,
    temperature: options.temperature,
    maxTokens: options.maxTokens ?? null,
    stop: options.stop ?? null,
    tools: options.tools ?? null,
    toolChoice: options.toolChoice ?? null,
    responseFormat: options.responseFormat ?? null,
    providerOptions: options.providerOptions ?? null,
  };
  return createHash('sha256').update(stableStringify(normalised)).digest('base64url');
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` give one key. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
