import { MalformedResponseError, type LLMResponse, type ToolCall } from '@autoarr-llm/core';
import { z } from 'zod';
import { mapAnthropicUsage } from './map-anthropic-usage.js';
import { mapStopReason } from './map-stop-reason.js';

// Only what this plugin reads is checked; new fields and block types pass untouched.
const MessageShape = z.object({
  type: z.literal('message'),
  model: z.string(),
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullable().optional(),
  usage: z.looseObject({
    input_tokens: z.number().nullable().optional(),
    output_tokens: z.number().nullable().optional(),
    cache_creation_input_tokens: z.number().nullable().optional(),
    cache_read_input_tokens: z.number().nullable().optional(),
  }),
});

/** A Messages API `Message` as core's response; anything outside the wire format is MalformedResponseError. */
export function fromAnthropicMessage(message: unknown, provider: string): LLMResponse {
  // The well-formed case is checked by hand (zod costs microseconds per call); the schema words the error.
  let m = wellFormed(message) ? message : undefined;
  if (!m) {
    const parsed = MessageShape.safeParse(message);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MalformedResponseError(`${provider}: the API answered with something that is not a Message (${issue?.path.join('.') || 'body'}: ${issue?.message})`, {
        provider,
      });
    }
    m = parsed.data;
  }
  let content = '';
  const toolCalls: ToolCall[] = [];
  for (const block of m.content) {
    if (block.type === 'text' && typeof block['text'] === 'string') content += block['text'];
    else if (block.type === 'tool_use') {
      if (typeof block['id'] !== 'string' || typeof block['name'] !== 'string') {
        throw new MalformedResponseError(`${provider}: a tool_use block lacks its id or name`, { provider });
      }
      toolCalls.push({ id: block['id'], name: block['name'], input: block['input'] ?? {} });
    }
    // thinking, redacted_thinking and server tool blocks carry no answer text.
  }
  return {
    content,
    model: m.model,
    provider,
    usage: mapAnthropicUsage(m.usage),
    finishReason: mapStopReason(m.stop_reason),
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}

const USAGE_KEYS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const;

function wellFormed(message: unknown): message is z.output<typeof MessageShape> {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m['type'] !== 'message' || typeof m['model'] !== 'string' || !Array.isArray(m['content'])) return false;
  const stop = m['stop_reason'];
  if (stop !== undefined && stop !== null && typeof stop !== 'string') return false;
  for (const block of m['content'] as unknown[]) if (typeof block !== 'object' || block === null || typeof (block as { type?: unknown }).type !== 'string') return false;
  const usage = m['usage'];
  if (typeof usage !== 'object' || usage === null) return false;
  for (const key of USAGE_KEYS) {
    const v = (usage as Record<string, unknown>)[key];
    if (v !== undefined && v !== null && typeof v !== 'number') return false;
  }
  return true;
}
