import type { Attributes, Histogram, Span } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import { CORE_VERSION } from '../discovery/core-version.js';
import type { CallEvent } from '../pipeline/call-event.js';
import { redactSecrets } from '../secret/redact-secrets.js';
import type { CallSink } from '../sink/call-sink.js';
import type { TelemetryConfig } from '../sink/log-config.js';
import { GEN_AI_OPERATION, genAiAttributes } from './gen-ai-attributes.js';

const SCOPE = '@autoarr-llm/core';
// `@opentelemetry/api` is some fifty modules: loading it with the package would weigh on every
// start-up, and most applications register no SDK. Registering one always writes the API's global
// slot, so without that slot nothing can be registered and the API need not load at all. When it
// is needed it loads synchronously, because these functions are synchronous; the API keeps its
// state in that global slot, so the copy loaded here sees what the application registered.
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');
let api: typeof import('@opentelemetry/api') | undefined;
const otel = (): typeof import('@opentelemetry/api') => (api ??= createRequire(import.meta.url)('@opentelemetry/api') as typeof import('@opentelemetry/api'));
// Bucket boundaries the GenAI conventions advise (seconds, tokens).
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

/**
 * Whether the application registered an OpenTelemetry SDK (a tracer or a meter provider). Without
 * one, telemetry is not attached at all: calls do not even build their events for it.
 */
export function telemetryRegistered(): boolean {
  if ((globalThis as Record<symbol, unknown>)[OTEL_GLOBAL] === undefined) return false;
  const { createNoopMeter, metrics, ProxyTracerProvider, trace } = otel();
  const tracer = trace.getTracerProvider();
  const tracing = !(tracer instanceof ProxyTracerProvider) || tracer.getDelegate() !== new ProxyTracerProvider().getDelegate();
  return tracing || metrics.getMeter(SCOPE) !== createNoopMeter();
}

/**
 * Spans and metrics for every call, through `@opentelemetry/api` only (the application owns the
 * SDK and its exporters). A call's span and its attempts' child spans are written when the call is
 * over, with their real start and end times: nothing runs on the call's path while it is in flight.
 * Content goes on spans only with `captureContent`.
 */
export function createTelemetrySink(config: TelemetryConfig): CallSink {
  const { context, metrics, SpanKind, SpanStatusCode, trace } = otel();
  const tracer = trace.getTracer(SCOPE, CORE_VERSION);
  const meter = metrics.getMeter(SCOPE, CORE_VERSION);
  const duration: Histogram = meter.createHistogram('gen_ai.client.operation.duration', {
    unit: 's',
    description: 'GenAI operation duration',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const firstChunk: Histogram = meter.createHistogram('gen_ai.client.operation.time_to_first_chunk', {
    unit: 's',
    description: 'Time to receive the first chunk of a streamed response',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const tokens: Histogram = meter.createHistogram('gen_ai.client.token.usage', {
    unit: '{token}',
    description: 'Number of input and output tokens used',
    advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
  });

  const write = (event: CallEvent): void => {
    const attributes = genAiAttributes(event);
    const end = event.startedAt + event.durationMs;
    const span = tracer.startSpan(spanName(event), { kind: SpanKind.CLIENT, startTime: event.startedAt, attributes: spanAttributes(event, attributes, config) });
    if (event.outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(event.error) });
    writeAttempts(span, event);
    span.end(end);

    duration.record(event.durationMs / 1000, attributes);
    if (event.firstChunkMs !== undefined) firstChunk.record(event.firstChunkMs / 1000, attributes);
    if (event.usage && !event.cached) {
      tokens.record(event.usage.inputTokens, { ...attributes, 'gen_ai.token.type': 'input' });
      tokens.record(event.usage.outputTokens, { ...attributes, 'gen_ai.token.type': 'output' });
    }
  };

  const writeAttempts = (parent: Span, event: CallEvent): void => {
    if (event.attempts.length === 0) return;
    const ctx = trace.setSpan(context.active(), parent);
    for (const attempt of event.attempts) {
      const start = attempt.startedAt ?? event.startedAt;
      const attrs: Attributes = {
        'gen_ai.operation.name': GEN_AI_OPERATION,
        'gen_ai.provider.name': attempt.provider,
        'autoarr_llm.attempt': attempt.attempt,
        'autoarr_llm.attempt.outcome': attempt.outcome,
      };
      const model = event.options.model;
      if (model) attrs['gen_ai.request.model'] = model;
      if (attempt.errorCode) attrs['error.type'] = attempt.errorCode;
      if (attempt.waitMs !== undefined) attrs['autoarr_llm.attempt.wait_ms'] = attempt.waitMs;
      if (attempt.note) attrs['autoarr_llm.attempt.note'] = attempt.note;
      const child = tracer.startSpan(`${GEN_AI_OPERATION} attempt ${attempt.provider}`, { kind: SpanKind.CLIENT, startTime: start, attributes: attrs }, ctx);
      if (attempt.outcome === 'error') child.setStatus({ code: SpanStatusCode.ERROR });
      child.end(start + attempt.durationMs);
    }
  };

  return {
    name: 'telemetry',
    write(event) {
      try {
        write(event);
      } catch {
        // An SDK that throws must not fail the call it reports on.
      }
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

function spanName(event: CallEvent): string {
  const model = event.options.model ?? event.model;
  return model ? `${GEN_AI_OPERATION} ${model}` : GEN_AI_OPERATION;
}

function spanAttributes(event: CallEvent, base: Attributes, config: TelemetryConfig): Attributes {
  const attributes: Attributes = { ...base, 'autoarr_llm.call.id': event.id, 'autoarr_llm.streamed': event.streamed, 'autoarr_llm.cached': event.cached, 'autoarr_llm.coalesced': event.coalesced };
  if (event.usage) {
    attributes['gen_ai.usage.input_tokens'] = event.usage.inputTokens;
    attributes['gen_ai.usage.output_tokens'] = event.usage.outputTokens;
  }
  const finish = event.response?.finishReason;
  if (finish) attributes['gen_ai.response.finish_reasons'] = [finish];
  const o = event.options;
  if (o.temperature !== undefined) attributes['gen_ai.request.temperature'] = o.temperature;
  if (o.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = o.maxTokens;
  if (event.firstChunkMs !== undefined) attributes['gen_ai.response.time_to_first_chunk'] = event.firstChunkMs / 1000;
  if (event.ledger?.cost !== undefined) attributes['autoarr_llm.cost'] = event.ledger.cost;
  if (o.tags) for (const [k, v] of Object.entries(o.tags)) attributes[`autoarr_llm.tag.${k}`] = v;
  if (config.captureContent) {
    attributes['gen_ai.input.messages'] = redactSecrets(JSON.stringify(event.messages));
    const text = event.response?.content ?? event.partialText;
    if (text !== undefined) attributes['gen_ai.output.messages'] = redactSecrets(JSON.stringify([{ role: 'assistant', content: text, toolCalls: event.response?.toolCalls }]));
  }
  return attributes;
}

function errorMessage(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}
