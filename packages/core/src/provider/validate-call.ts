import { CallOptionsSchema, DEFAULT_TEMPERATURE, type CallOptions, type ResolvedCallOptions } from '../contract/call-options.js';
import { LLMMessagesSchema, type LLMMessage } from '../contract/message.js';
import { InvalidRequestError } from '../errors/invalid-request-error.js';

// Calls that already passed validation higher up the stack (the pipeline validates once for every
// layer below it): parsing them again would only cost time. The options object carries, under a
// symbol only core can name, the messages array it was validated with (a property costs a fraction
// of a WeakSet entry, and the pair must match: other messages with these options are parsed).
export const VALIDATED_WITH: unique symbol = Symbol('autoarr-llm.validatedWith');

interface Branded {
  [VALIDATED_WITH]?: readonly LLMMessage[] | undefined;
}

/** Marks options as validated together with `messages`, so providers below skip re-parsing them. */
export function markValidated(messages: LLMMessage[], options: object): void {
  (options as Branded)[VALIDATED_WITH] = messages;
}

export function isValidated(messages: unknown, options: object): boolean {
  return (options as Branded)[VALIDATED_WITH] === messages;
}

/** Validates messages and call options at the boundary; a bad field gives a typed error naming it. */
export function validateCall(
  provider: string,
  messages: unknown,
  options: CallOptions | undefined,
): { messages: LLMMessage[]; options: ResolvedCallOptions } {
  if (options && isValidated(messages, options)) {
    return { messages: messages as LLMMessage[], options: options as ResolvedCallOptions };
  }
  const fast = plainCall(messages, options);
  if (fast) return fast;
  const m = LLMMessagesSchema.safeParse(messages);
  if (!m.success) {
    const issue = m.error.issues[0];
    const field = `messages${issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}`;
    throw new InvalidRequestError(`${provider}: invalid ${field}: ${issue?.message ?? 'invalid messages'}`, { provider, field });
  }
  const o = CallOptionsSchema.safeParse(options ?? {});
  if (!o.success) {
    const issue = o.error.issues[0];
    const field = `options${issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}`;
    throw new InvalidRequestError(`${provider}: invalid ${field}: ${issue?.message ?? 'invalid options'}`, { provider, field });
  }
  return { messages: m.data, options: o.data };
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const SIMPLE_OPTIONS = new Set(['model', 'temperature', 'maxTokens', 'stop', 'signal', 'timeout', 'cache', 'tags', 'logContent']);

/**
 * The common call (text messages; model, sampling, limits, signal, deadline) checked by hand, with
 * the same output the schemas give: zod costs several microseconds per call on the hot path. Any
 * other shape, or anything invalid, returns undefined and goes through the schemas, which also
 * word the error.
 */
function plainCall(messages: unknown, options: CallOptions | undefined): { messages: LLMMessage[]; options: ResolvedCallOptions } | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const out: LLMMessage[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (typeof m !== 'object' || m === null || typeof m.content !== 'string' || typeof m.role !== 'string' || !ROLES.has(m.role)) return undefined;
    out[i] = { role: m.role as LLMMessage['role'], content: m.content };
  }
  const o = (options ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) return undefined;
  for (const key in o) if (!SIMPLE_OPTIONS.has(key)) return undefined;
  const resolved: ResolvedCallOptions = { temperature: DEFAULT_TEMPERATURE };
  const { model, temperature, maxTokens, stop, signal, timeout, cache } = o;
  if ('model' in o) {
    if (model !== undefined && (typeof model !== 'string' || model.length === 0)) return undefined;
    resolved.model = model as string | undefined;
  }
  if (temperature !== undefined) {
    if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2)) return undefined;
    resolved.temperature = temperature;
  }
  if ('maxTokens' in o) {
    if (maxTokens !== undefined && !(Number.isSafeInteger(maxTokens) && (maxTokens as number) > 0)) return undefined;
    resolved.maxTokens = maxTokens as number | undefined;
  }
  if ('stop' in o) {
    if (stop !== undefined) {
      if (!Array.isArray(stop) || !stop.every((s) => typeof s === 'string' && s.length > 0)) return undefined;
      resolved.stop = [...(stop as string[])];
    } else resolved.stop = undefined;
  }
  if ('signal' in o) {
    if (signal !== undefined && !(signal instanceof AbortSignal)) return undefined;
    resolved.signal = signal as AbortSignal | undefined;
  }
  if ('timeout' in o) {
    if (timeout !== undefined && !(Number.isSafeInteger(timeout) && (timeout as number) > 0)) return undefined;
    resolved.timeout = timeout as number | undefined;
  }
  if ('cache' in o) {
    if (cache !== undefined && typeof cache !== 'boolean') return undefined;
    resolved.cache = cache as boolean | undefined;
  }
  if (o['tags'] !== undefined) {
    const tags = o['tags'] as Record<string, unknown>;
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return undefined;
    const copy: Record<string, string> = {};
    for (const k in tags) {
      if (typeof tags[k] !== 'string') return undefined;
      copy[k] = tags[k];
    }
    resolved.tags = copy;
  }
  if (o['logContent'] !== undefined) {
    if (o['logContent'] !== 'full' && o['logContent'] !== 'metadata') return undefined;
    resolved.logContent = o['logContent'];
  }
  return { messages: out, options: resolved };
}
