import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { metrics, trace } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import { ServerError } from '../errors/server-error.js';
import { ProviderFactory } from '../factory/provider-factory.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';
import { telemetryRegistered } from './create-telemetry-sink.js';

/** Answers `secret-free answer`, streams it in two chunks; fails while `failures` > 0. */
class ScriptedProvider extends BaseLLMProvider {
  failures = 0;
  constructor(readonly name: string) {
    super();
  }
  protected async doComplete(messages: LLMMessage[]): Promise<LLMResponse> {
    if (this.failures-- > 0) throw new ServerError(`${this.name}: 503`, { provider: this.name, status: 503 });
    return { content: `answer to ${String(messages[0]!.content)}`, model: `${this.name}-model`, provider: this.name, finishReason: 'stop', usage: { inputTokens: 7, outputTokens: 3, totalTokens: 10, source: 'reported' } };
  }
  protected async *doStream(): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
    yield { type: 'text', text: 'one ' };
    yield { type: 'text', text: 'two' };
    return { content: 'one two', model: `${this.name}-model`, provider: this.name, finishReason: 'stop', usage: { inputTokens: 4, outputTokens: 2, totalTokens: 6, source: 'reported' } };
  }
  protected async doHealthCheck() {
    return { status: 'ok' as const, reachable: true };
  }
  async getModels() {
    return [];
  }
}

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const hello: LLMMessage[] = [{ role: 'user', content: 'tell me about Radarr' }];

async function factory(overrides: Record<string, unknown> = {}) {
  const config = await loadConfig({ configFile: false, env: {}, overrides: { fallback: { order: ['first', 'second'] }, pipeline: { defaults: { maxAttempts: 1 } }, ...overrides } });
  const f = new ProviderFactory({ config, discover: false });
  const first = new ScriptedProvider('first');
  f.registerProvider('first', () => first);
  f.registerProvider('second', () => new ScriptedProvider('second'));
  return { f, first };
}

describe('OpenTelemetry: spans and metrics with the GenAI conventions', () => {
  it('is not attached while no SDK is registered (calls build no events for it)', async () => {
    expect(telemetryRegistered()).toBe(false);
    const { f } = await factory();
    expect((await f.sinks()).map((s) => s.name)).toEqual([]);
    await f.dispose();
  });

  describe('with an SDK registered', () => {
    beforeAll(() => {
      trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
      metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    });
    afterAll(() => {
      trace.disable();
      metrics.disable();
    });

    it('a span per call and per attempt, with gen_ai attributes, error.type and no content', async () => {
      spans.reset();
      const { f, first } = await factory();
      expect(telemetryRegistered()).toBe(true);
      first.failures = 1;
      const provider = await f.createProvider('first');
      await provider.complete(hello, { model: 'first-model', temperature: 0.2, tags: { feature: 'audit' } });
      await f.dispose();

      const finished = spans.getFinishedSpans();
      const call = finished.find((s) => s.name === 'chat first-model')!;
      expect(call).toBeDefined();
      expect(call.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'second',
        'gen_ai.request.model': 'first-model',
        'gen_ai.response.model': 'second-model',
        'gen_ai.usage.input_tokens': 7,
        'gen_ai.usage.output_tokens': 3,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.request.temperature': 0.2,
        'autoarr_llm.tag.feature': 'audit',
      });
      const attempts = finished.filter((s) => s.parentSpanContext?.spanId === call.spanContext().spanId);
      expect(attempts.map((s) => [s.attributes['gen_ai.provider.name'], s.attributes['autoarr_llm.attempt.outcome'], s.attributes['error.type']])).toEqual([
        ['first', 'error', 'SERVER_ERROR'],
        ['second', 'success', undefined],
      ]);
      const all = JSON.stringify(finished.map((s) => s.attributes));
      expect(all).not.toContain('Radarr');
    });

    it('a failed call: error status and error.type', async () => {
      spans.reset();
      const { f, first } = await factory({ fallback: { enabled: false } });
      first.failures = 5;
      const provider = await f.createProvider('first');
      await expect(provider.complete(hello)).rejects.toThrow();
      await f.dispose();
      const call = spans.getFinishedSpans().find((s) => s.name === 'chat')!;
      expect(call.attributes['error.type']).toBe('SERVER_ERROR');
      expect(call.status.code).toBe(2);
    });

    it('content goes on spans only with captureContent', async () => {
      spans.reset();
      const { f } = await factory({ telemetry: { captureContent: true } });
      const provider = await f.createProvider('first');
      await provider.complete(hello);
      await f.dispose();
      const call = spans.getFinishedSpans().find((s) => s.attributes['gen_ai.input.messages'] !== undefined)!;
      expect(call.attributes['gen_ai.input.messages']).toContain('Radarr');
      expect(call.attributes['gen_ai.output.messages']).toContain('answer to');
    });

    it('metrics: operation duration, token usage by type, time to first chunk for streams', async () => {
      const { f } = await factory();
      const provider = await f.createProvider('first');
      await provider.complete(hello);
      for await (const _ of provider.streamComplete(hello));
      await f.dispose();
      await reader.forceFlush();
      const all = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
      const byName = (name: string) => all.filter((m) => m.descriptor.name === name).at(-1) as HistogramMetricData | undefined;
      const duration = byName('gen_ai.client.operation.duration')!;
      expect(duration.descriptor.unit).toBe('s');
      expect(duration.dataPoints.reduce((n, p) => n + p.value.count, 0)).toBeGreaterThanOrEqual(2);
      const tokens = byName('gen_ai.client.token.usage')!;
      expect(new Set(tokens.dataPoints.map((p) => p.attributes['gen_ai.token.type']))).toEqual(new Set(['input', 'output']));
      const firstChunk = byName('gen_ai.client.operation.time_to_first_chunk')!;
      expect(firstChunk.dataPoints.reduce((n, p) => n + p.value.count, 0)).toBe(1);
    });
  });
});

describe('OpenTelemetry API loading', () => {
  it('is not loaded by importing core, creating a provider and calling it while no SDK is registered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-otel-'));
    try {
      // A module hook in a fresh process records every file it loads, ESM or CommonJS.
      writeFileSync(join(dir, 'hook.mjs'), `export async function load(url, context, next) { process.stderr.write('LOADED ' + url + '\\n'); return next(url, context); }\n`);
      writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`);
      // The built package, as an application imports it (from src and from dist alike).
      const core = pathToFileURL(fileURLToPath(new URL('../../dist/index.js', import.meta.url))).href;
      const script = `const { ProviderFactory, BaseLLMProvider, loadConfig, telemetryRegistered } = await import(${JSON.stringify(core)});
class P extends BaseLLMProvider { name = 'p'; async doComplete() { return { content: '', model: 'm', provider: 'p', finishReason: 'stop' }; } async *doStream() {} async doHealthCheck() { return { status: 'ok', reachable: true }; } }
const factory = new ProviderFactory({ config: await loadConfig({ cwd: ${JSON.stringify(dir)} }) });
factory.registerProvider('p', () => new P());
const provider = await factory.createProvider('p');
await provider.complete([{ role: 'user', content: 'hi' }]);
await factory.flushSinks();
console.log(telemetryRegistered());
await provider.dispose(); await factory.dispose();`;
      const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe('false');
      const loaded = run.stderr.split('\n').filter((line) => line.startsWith('LOADED '));
      expect(loaded.some((line) => line.includes('/core/dist/telemetry/create-telemetry-sink.js'))).toBe(true);
      expect(loaded.filter((line) => line.includes('@opentelemetry'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
