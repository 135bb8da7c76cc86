// One client of the throughput benchmark, in its own process, as an application using one code
// path would be: the raw SDK, the Claude provider alone, or the whole stack from the factory. The
// parent sends `batch`; the client runs 200 concurrent streams against the stand-in server and
// answers with the time they took. Clients take turns, so only one runs at a time, and each
// collects only its own garbage and keeps its own compiled code, as an application does.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallLogWriter } from '@autoarr-llm/call-log';
import { loadConfig, ProviderFactory, silentLogger } from '@autoarr-llm/core';
import { claudePlugin, createClaude } from '@autoarr-llm/provider-claude';

export type ThroughputVariant = 'raw' | 'alone' | 'pipeline' | 'pipeline-log';
export type ThroughputMessage = { type: 'ready' } | { type: 'done'; ms: number; cpuMs: number } | { type: 'failed'; message: string };

const KEY = 'sk-ant-bench-0000000000000000';
const MODEL = 'claude-sonnet-5-5';
const STREAMS = 200;
const msgs = (i: number) => [{ role: 'user' as const, content: `request ${i}` }];

const [variant, url] = process.argv.slice(2) as [ThroughputVariant, string];
const send = (message: ThroughputMessage) => process.send?.(message);

async function setUp(): Promise<{ stream: (i: number) => Promise<void>; dispose: () => Promise<void> }> {
  if (variant === 'raw') {
    const raw = new Anthropic({ apiKey: KEY, baseURL: url, maxRetries: 0, defaultHeaders: { 'anthropic-version': '2023-06-01' } });
    return {
      stream: async (i) => {
        const s = await raw.messages.create({ model: MODEL, max_tokens: 64, messages: msgs(i), stream: true });
        for await (const _ev of s);
      },
      dispose: async () => undefined,
    };
  }
  if (variant === 'alone') {
    const alone = createClaude({ apiKey: KEY, baseUrl: url, model: MODEL, apiVersion: '2023-06-01' }, { env: {} });
    return {
      stream: async (i) => {
        for await (const _c of alone.streamComplete(msgs(i), { maxTokens: 64 }));
      },
      dispose: () => alone.dispose(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-bench-tp-'));
  const config = await loadConfig({
    cwd: dir,
    env: {},
    configFile: false,
    overrides: {
      fallback: { order: ['claude'] },
      providers: { claude: { apiKey: KEY, baseUrl: url, model: MODEL, apiVersion: '2023-06-01' } },
      pipeline: { breaker: { failureThreshold: 1_000 } },
    },
  });
  // pipeline-log: the same stack writing every call to a call log file (content included).
  const sinks =
    variant === 'pipeline-log'
      ? [new CallLogWriter({ path: join(dir, 'logs.db'), logger: silentLogger, appRoot: dir, defaultContent: 'full', pluginOf: () => undefined, queueSize: 20_000, batchSize: 500, flushIntervalMs: 200 })]
      : false;
  const factory = new ProviderFactory({ config, sinks });
  factory.registerProvider('claude', claudePlugin);
  const provider = await factory.createProvider();
  return {
    stream: async (i) => {
      for await (const _c of provider.streamComplete(msgs(i), { maxTokens: 64 }));
    },
    dispose: async () => {
      await provider.dispose();
      await factory.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const client = await setUp();
const batch = async () => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: STREAMS }, (_, i) => client.stream(i)));
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
};
// Warm the code and the connection pool before the first measured batch.
for (let i = 0; i < 8; i++) await batch();
process.on('message', (message: unknown) => {
  if (message === 'batch') {
    batch().then(
      ({ ms, cpuMs }) => send({ type: 'done', ms, cpuMs }),
      (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  } else if (message === 'exit') void client.dispose().then(() => process.exit(0));
});
send({ type: 'ready' });
// The benchmark went away (stopped, crashed): so does this client.
process.on('disconnect', () => process.exit(0));
