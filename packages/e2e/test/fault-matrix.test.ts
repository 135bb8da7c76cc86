/**
 * The fault matrix: every backend failure, through the real SDK clients (@anthropic-ai/sdk, ollama)
 * against stand-in servers speaking their wire formats, through the factory and the whole pipeline.
 * Each fault must end in the right typed error or the right fallback; afterwards no unhandled
 * rejection, no socket or timer left open, and the canary API key in no output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfig, ProviderFactory, type CallEvent, type PipelineProvider } from '@autoarr-llm/core';
import { claudePlugin } from '@autoarr-llm/provider-claude';
import { ollamaPlugin } from '@autoarr-llm/provider-ollama';
import { MockProvider, startAnthropicStandIn, startOllamaStandIn, type AnthropicStandIn, type OllamaStandIn, type Scenario, closedPort, captureLogger } from '@autoarr-llm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CANARY = 'sk-ant-api03-CANARY-fault-matrix-0123456789';
const hello = [{ role: 'user' as const, content: 'hello' }];

const logger = captureLogger();
const logLines = logger.lines;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const printed: string[] = [];

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}


interface Rig {
  provider: PipelineProvider;
  factory: ProviderFactory;
  events: CallEvent[];
  dir: string;
}

let baseline: Record<string, number>;
let anthropic: AnthropicStandIn;
let ollama: OllamaStandIn;
const rigs: Rig[] = [];

async function rig(primary: 'claude' | 'ollama', baseUrl?: string): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-faults-'));
  const config = await loadConfig({
    cwd: dir,
    env: {},
    configFile: false,
    overrides: {
      fallback: { order: [primary, 'backup'] },
      providers: {
        claude: { apiKey: CANARY, baseUrl: baseUrl ?? anthropic.url, apiVersion: '2023-06-01' },
        ollama: { baseUrl: baseUrl ?? ollama.url, autoDownload: false, model: 'qwen2.5:7b' },
      },
      pipeline: {
        deadlineMs: 5_000,
        retry: { baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 2_000 },
        defaults: { maxAttempts: 2, attemptTimeoutMs: 700, firstChunkTimeoutMs: 700, idleTimeoutMs: 400 },
        breaker: { failureThreshold: 100 },
      },
    },
  });
  const factory = new ProviderFactory({ config, logger });
  factory.registerProvider('claude', claudePlugin);
  factory.registerProvider('ollama', ollamaPlugin);
  factory.registerProvider('backup', () => new MockProvider({ name: 'backup', defaultResponse: 'answer from backup' }));
  const provider = await factory.createProvider();
  const events: CallEvent[] = [];
  provider.onCall((e) => events.push(e));
  const r = { provider, factory, events, dir };
  rigs.push(r);
  return r;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  baseline = resources();
  anthropic = await startAnthropicStandIn();
  ollama = await startOllamaStandIn({ loaded: ['qwen2.5:7b'] });
});

afterAll(async () => {
  for (const r of rigs) {
    await r.provider.dispose();
    await r.factory.dispose();
    rmSync(r.dir, { recursive: true, force: true });
  }
  await anthropic.close();
  await ollama.close();
  // Give closed sockets one turn of the loop to be released.
  await new Promise((r) => setTimeout(r, 200));
  process.off('unhandledRejection', onUnhandled);
});

type Expect = { answeredBy: string } | { code: string };

const CASES: Array<{ name: string; claude?: Scenario[] | 'skip'; ollama?: Scenario[] | 'skip'; expect: { claude?: Expect; ollama?: Expect; both?: Expect }; stream?: boolean }> = [
  { name: '401 auth', claude: [{ type: 'error', error: 'auth', message: `invalid x-api-key ${CANARY}` }], ollama: [{ type: 'error', error: 'auth' }], expect: { both: { answeredBy: 'backup' } } },
  { name: '403 permission', claude: [{ type: 'error', error: 'permission' }], ollama: [{ type: 'error', error: 'permission' }], expect: { both: { answeredBy: 'backup' } } },
  { name: '404 model', claude: [{ type: 'error', error: 'model-not-found' }], ollama: [{ type: 'error', error: 'model-not-found' }], expect: { both: { answeredBy: 'backup' } } },
  { name: '429 with retry-after (retried after the wait)', claude: [{ type: 'error', error: 'rate-limit', retryAfterSeconds: 1 }], ollama: [{ type: 'error', error: 'rate-limit', retryAfterSeconds: 1 }], expect: { claude: { answeredBy: 'claude' }, ollama: { answeredBy: 'ollama' } } },
  {
    name: '429 without retry-after',
    claude: [{ type: 'error', error: 'rate-limit' }],
    ollama: [{ type: 'error', error: 'rate-limit' }],
    // Claude's rate-limit reset header says 30 s: longer than maxRetryAfterMs, so the chain moves on.
    expect: { claude: { answeredBy: 'backup' }, ollama: { answeredBy: 'ollama' } },
  },
  { name: '429 quota exhausted', claude: [{ type: 'error', error: 'quota' }], ollama: [{ type: 'error', error: 'quota' }], expect: { both: { answeredBy: 'backup' } } },
  { name: '500 server error (retried)', claude: [{ type: 'error', error: 'server' }], ollama: [{ type: 'error', error: 'server' }], expect: { claude: { answeredBy: 'claude' }, ollama: { answeredBy: 'ollama' } } },
  { name: '529 / 503 overloaded (retried)', claude: [{ type: 'error', error: 'overloaded' }], ollama: [{ type: 'error', error: 'overloaded' }], expect: { claude: { answeredBy: 'claude' }, ollama: { answeredBy: 'ollama' } } },
  { name: 'overloaded twice: the chain moves on', claude: [{ type: 'error', error: 'overloaded' }, { type: 'error', error: 'overloaded' }], ollama: [{ type: 'error', error: 'overloaded' }, { type: 'error', error: 'overloaded' }], expect: { both: { answeredBy: 'backup' } } },
  { name: 'hang before headers (attempt deadline, twice)', claude: [{ type: 'hang' }, { type: 'hang' }], ollama: [{ type: 'hang' }, { type: 'hang' }], expect: { both: { answeredBy: 'backup' } } },
  { name: 'malformed body (retried)', claude: [{ type: 'malformed' }], ollama: [{ type: 'malformed' }], expect: { claude: { answeredBy: 'claude' }, ollama: { answeredBy: 'ollama' } } },
  {
    name: 'oversized request (413)',
    claude: [{ type: 'raw-json', status: 413, body: { type: 'error', error: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' } } } as unknown as Scenario],
    ollama: [{ type: 'error', error: 'invalid-request' }],
    expect: { both: { code: 'INVALID_REQUEST' } },
  },
  { name: 'hang mid-stream (idle deadline)', stream: true, claude: [{ type: 'stall', chunks: ['partial'] }], ollama: [{ type: 'stall', chunks: ['partial'] }], expect: { both: { code: 'INCOMPLETE_STREAM' } } },
  { name: 'cut stream', stream: true, claude: [{ type: 'cut', chunks: ['partial'] }], ollama: [{ type: 'cut', chunks: ['partial'] }], expect: { both: { code: 'INCOMPLETE_STREAM' } } },
  { name: 'error event mid-stream', stream: true, claude: [{ type: 'stream-error', chunks: ['partial'] }], ollama: [{ type: 'stream-error', chunks: ['partial'] }], expect: { both: { code: 'INCOMPLETE_STREAM' } } },
  { name: 'stream fails before its first chunk: falls back', stream: true, claude: [{ type: 'error', error: 'auth' }], ollama: [{ type: 'error', error: 'auth' }], expect: { both: { answeredBy: 'backup' } } },
];

describe.each(['claude', 'ollama'] as const)('fault matrix: %s', (name) => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig(name);
  });

  for (const c of CASES) {
    const scenarios = c[name];
    const expected = c.expect[name] ?? c.expect.both;
    it(`${c.name} → ${expected && 'code' in expected ? expected.code : `answered by ${expected?.answeredBy}`}`, async () => {
      if (!scenarios || scenarios === 'skip' || !expected) return;
      const standIn = name === 'claude' ? anthropic : ollama;
      standIn.arrange(...(scenarios as Scenario[]));
      let outcome: { answeredBy: string; text: string } | { code: string; partialText?: string };
      try {
        if (c.stream) {
          const stream = r.provider.streamComplete(hello);
          const chunks: string[] = [];
          for await (const chunk of stream) chunks.push(chunk);
          const response = await stream.response;
          expect(chunks.join('')).toBe(response.content);
          outcome = { answeredBy: response.provider, text: response.content };
        } else {
          const response = await r.provider.complete(hello);
          outcome = { answeredBy: response.provider, text: response.content };
        }
      } catch (error) {
        printed.push(String(error), (error as Error).stack ?? '', inspect(error, { depth: 8 }), JSON.stringify(error));
        outcome = { code: (error as { code: string }).code, partialText: (error as { partialText?: string }).partialText };
      }
      expect(outcome).toMatchObject(expected);
      if ('code' in expected && expected.code === 'INCOMPLETE_STREAM') expect(outcome).toMatchObject({ partialText: 'partial' });
      const event = r.events.at(-1)!;
      printed.push(inspect(event, { depth: 8 }));
      expect(event.outcome).toBe('answeredBy' in expected ? 'success' : 'error');
    }, 15_000);
  }

  it('connection refused at selection: the chain starts at the next provider', async () => {
    const dead = await rig(name, `http://127.0.0.1:${await closedPort()}`);
    expect(dead.provider.name).toBe('backup');
    await expect(dead.provider.complete(hello)).resolves.toMatchObject({ provider: 'backup' });
  });

  it('connection refused at call time: unavailable, retried, then the next provider answers', async () => {
    const port = await closedPort();
    const standIn = name === 'claude' ? await startAnthropicStandIn() : await startOllamaStandIn({ loaded: ['qwen2.5:7b'] });
    const live = await rig(name, standIn.url);
    expect(live.provider.name).toBe(name);
    await standIn.close();
    const response = await live.provider.complete(hello);
    expect(response.provider).toBe('backup');
    expect(live.events.at(-1)!.attempts.filter((a) => a.provider === name).map((a) => a.errorCode)).toEqual(['PROVIDER_UNAVAILABLE', 'PROVIDER_UNAVAILABLE']);
    void port;
  });
});

describe('after the matrix', () => {
  it('no unhandled rejection happened', () => {
    expect(unhandled).toEqual([]);
  });

  it('the canary API key appears in no error, event or log line', () => {
    const all = [...printed, ...logLines].join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(CANARY);
  });

  it('no socket, server or timer is left open once everything is disposed', async () => {
    for (const r of rigs.splice(0)) {
      await r.provider.dispose();
      await r.factory.dispose();
      rmSync(r.dir, { recursive: true, force: true });
    }
    await anthropic.close();
    await ollama.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = resources();
    for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'Timeout']) {
      expect(now[kind] ?? 0, `${kind} left open`).toBeLessThanOrEqual(baseline[kind] ?? 0);
    }
  });
});
