import { createHash } from 'node:crypto';
import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';

/**
 * The cache and coalescing key of a request: everything that shapes the answer (messages, model,
 * sampling, limits, tools, format, provider options), nothing that does not (signal, timeout).
 */
export function requestKey(messages: readonly LLMMessage[], options: ResolvedCallOptions): string {
  return createHash('sha256').update(requestIdentity(messages, options)).digest('base64url');
}

/**
 * The request as one string. Messages and options come out of the zod schemas with their keys in
 * schema order, so plain JSON is deterministic; objects the caller wrote (tool schemas, provider
 * options) keep the caller's key order, which at worst costs a cache miss, never a wrong hit.
 */
export function requestIdentity(messages: readonly LLMMessage[], options: ResolvedCallOptions): string {
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
  return JSON.stringify(normalised);
}
