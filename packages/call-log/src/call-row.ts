import { redactSecrets, type CallEvent, type ContentPolicy, type LLMMessage, type PluginIdentity } from '@autoarr-llm/core';

/** One `calls` row, in insert order of its columns (see migrations.ts). */
export type CallRow = readonly unknown[];
/** One `attempts` row, without its call's `seq`. */
export type AttemptRow = readonly unknown[];

export interface RowContext {
  appRoot: string;
  defaultContent: ContentPolicy;
  pluginOf(provider: string): PluginIdentity | undefined;
}

export interface EventRows {
  call: CallRow;
  attempts: AttemptRow[];
  /** Content as JSON (null under the `metadata` policy). */
  request: string | null;
  response: string | null;
  /** Text for full-text search (undefined under the `metadata` policy). */
  searchRequest: string | undefined;
  searchResponse: string | undefined;
}

/**
 * Turns a call event into its rows. Runs when a batch is written, not when the call ends: the call
 * only queued its event. Content is kept under the `full` policy, scrubbed of every secret value
 * the process holds; under `metadata` none of it is.
 */
export function eventRows(event: CallEvent, ctx: RowContext): EventRows {
  const policy: ContentPolicy = event.options.logContent ?? ctx.defaultContent;
  const plugin = ctx.pluginOf(event.provider);
  let retries = 0;
  let waitMs = 0;
  const attempts: AttemptRow[] = [];
  for (let i = 0; i < event.attempts.length; i++) {
    const a = event.attempts[i]!;
    if (a.attempt > 1) retries++;
    if (a.waitMs !== undefined) waitMs += a.waitMs;
    const p = ctx.pluginOf(a.provider);
    attempts.push([i, a.provider, p?.package ?? null, p?.version ?? null, a.attempt, a.outcome, a.errorCode ?? null, a.startedAt === undefined ? null : Math.round(a.startedAt), a.durationMs, a.waitMs ?? null, a.note ?? null]);
  }
  const usage = event.usage ?? (event.ledger ? { inputTokens: event.ledger.inputTokens, outputTokens: event.ledger.outputTokens, source: event.ledger.usageSource } : undefined);
  let request: string | null = null;
  let response: string | null = null;
  let searchRequest: string | undefined;
  let searchResponse: string | undefined;
  if (policy === 'full') {
    const o = event.options;
    request = redactSecrets(
      JSON.stringify({
        messages: event.messages,
        ...(o.tools ? { tools: o.tools } : {}),
        ...(o.responseFormat ? { responseFormat: o.responseFormat } : {}),
        temperature: o.temperature,
        ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}),
      }, omitImageData),
    );
    const text = event.response?.content ?? event.partialText;
    const toolCalls = event.response?.toolCalls;
    if (text !== undefined || toolCalls) response = redactSecrets(JSON.stringify({ content: text ?? '', ...(toolCalls ? { toolCalls } : {}), ...(event.partialText !== undefined ? { partial: true } : {}) }));
    searchRequest = redactSecrets(messagesText(event.messages));
    searchResponse = text === undefined ? undefined : redactSecrets(text);
  }
  const error = event.error;
  const call: CallRow = [
    event.id,
    Math.round(event.startedAt),
    ctx.appRoot,
    JSON.stringify(event.chain),
    event.provider,
    plugin?.package ?? null,
    plugin?.version ?? null,
    event.options.model ?? null,
    event.model ?? null,
    event.outcome,
    event.errorCode ?? null,
    error === undefined ? null : redactSecrets(error instanceof Error ? error.message : String(error)),
    event.attempts.length,
    retries,
    waitMs,
    event.response?.finishReason ?? null,
    usage?.inputTokens ?? null,
    usage?.outputTokens ?? null,
    usage?.source ?? null,
    event.ledger?.cost ?? null,
    event.ledger?.currency ?? null,
    event.durationMs,
    event.firstChunkMs ?? null,
    event.streamed ? 1 : 0,
    event.cached ? 1 : 0,
    event.coalesced ? 1 : 0,
    event.options.tags ? redactSecrets(JSON.stringify(event.options.tags)) : null,
    policy,
    // The router's decision and its reason (routed calls only).
    event.route ? JSON.stringify(event.route) : null,
  ];
  return { call, attempts, request, response, searchRequest, searchResponse };
}

/** The columns `eventRows` fills, in its order. */
export const CALL_COLUMNS = [
  'id',
  'started_at',
  'app_root',
  'chain',
  'provider',
  'plugin_package',
  'plugin_version',
  'requested_model',
  'model',
  'outcome',
  'error_code',
  'error_message',
  'attempts',
  'retries',
  'wait_ms',
  'finish_reason',
  'input_tokens',
  'output_tokens',
  'usage_source',
  'cost',
  'currency',
  'duration_ms',
  'first_chunk_ms',
  'streamed',
  'cached',
  'coalesced',
  'tags',
  'content_policy',
  'route',
] as const;

/** Inline images are kept as their size: the log is for reading calls back, not for archiving media. */
function omitImageData(key: string, value: unknown): unknown {
  return key === 'data' && typeof value === 'string' && value.length > 256 ? `[${value.length} base64 characters]` : value;
}

function messagesText(messages: readonly LLMMessage[]): string {
  let out = '';
  for (const m of messages) {
    if (typeof m.content === 'string') out += `${m.content}\n`;
    else for (const part of m.content) if (part.type === 'text') out += `${part.text}\n`;
  }
  return out;
}
