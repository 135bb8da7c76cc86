import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallLogReader, CallLogWriter } from '@autoarr-llm/call-log';
import { loadConfig, ProviderFactory, silentLogger, type PipelineProvider } from '@autoarr-llm/core';
import { claudePlugin } from '@autoarr-llm/provider-claude';
import { LeanProvider } from './lean-provider.js';
import { standInProcess } from './pipeline-bench.js';
import { median } from './stats.js';
import { throughputBench } from './throughput-bench.js';

const KEY = 'sk-ant-bench-0000000000000000';
const MODEL = 'claude-sonnet-5-5';
const msgs = (i: number) => [{ role: 'user' as const, content: `request ${i}: is this Sonarr setting safe?` }];
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

function writer(dir: string): CallLogWriter {
  return new CallLogWriter({ path: join(dir, 'logs.db'), logger: silentLogger, appRoot: dir, defaultContent: 'full', pluginOf: () => undefined, queueSize: 20_000, batchSize: 500, flushIntervalMs: 200, exitHooks: false });
}

async function stack(url: string, log: boolean): Promise<{ provider: PipelineProvider; factory: ProviderFactory; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-bench-log-'));
  const config = await loadConfig({
    cwd: dir,
    env: {},
    configFile: false,
    overrides: { fallback: { order: ['claude'] }, providers: { claude: { apiKey: KEY, baseUrl: url, model: MODEL, apiVersion: '2023-06-01' } }, pipeline: { breaker: { failureThreshold: 1_000 } } },
  });
  const factory = new ProviderFactory({ config, sinks: log ? [writer(dir)] : false });
  factory.registerProvider('claude', claudePlugin);
  return { provider: await factory.createProvider(), factory, dir };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * The call log's cost: the whole stack with the log on against the same stack with it off, on one
 * stand-in server (its own process), interleaved in turns; then throughput at 200 concurrent
 * streams (client processes of their own, see throughputBench); then `logs stats` over 100,000
 * logged calls, the file's size and the heap after 100,000 calls with the log on.
 */
export async function callLogBench(): Promise<string[]> {
  const out: string[] = ['call log (the whole stack with @autoarr-llm/call-log writing every call, content included, vs the same stack without it):'];
  const server = await standInProcess();
  const on = await stack(server.url, true);
  const off = await stack(server.url, false);
  try {
    for (let i = 0; i < 300; i++) {
      await on.provider.complete(msgs(i), { maxTokens: 64 });
      await off.provider.complete(msgs(i), { maxTokens: 64 });
    }
    // Turns of 10 calls alternate between the two; each round's ratio of medians, then the median
    // of the rounds (the pipeline bench's method).
    const ratios: number[] = [];
    const onT: number[] = [];
    const offT: number[] = [];
    for (let round = 0; round < 20; round++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let turn = 0; turn < 30; turn++) {
        const order: Array<[number[], PipelineProvider]> = [
          [a, on.provider],
          [b, off.provider],
        ];
        if (turn % 2 === 1) order.reverse();
        for (const [into, p] of order) for (let i = 0; i < 10; i++) into.push(await time(() => p.complete(msgs(round * 1000 + turn * 10 + i), { maxTokens: 64 })));
      }
      onT.push(...a);
      offT.push(...b);
      ratios.push(median(b) / median(a));
    }
    out.push(
      `  per request (n=${onT.length} each): log off median ${us(median(offT))}, log on ${us(median(onT))}; speed with the log vs without: ${median(ratios).toFixed(3)}x median of ${ratios.length} rounds (pooled ${(median(offT) / median(onT)).toFixed(3)}x; target >= 0.97x)`,
    );
  } finally {
    for (const c of [on, off]) {
      await c.provider.dispose();
      await c.factory.dispose();
      rmSync(c.dir, { recursive: true, force: true });
    }
    server.stop();
  }

  out.push(...(await volumeBench()));

  const tpServer = await standInProcess();
  try {
    out.push(...(await throughputBench(tpServer.url, ['pipeline', 'pipeline-log'], ['log off', 'log on'], 4)));
  } finally {
    tpServer.stop();
  }
  return out;
}

/** 100,000 calls with the log on (in-process backend): heap, file size, `logs stats` time. */
async function volumeBench(): Promise<string[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-bench-logvol-'));
  const path = join(dir, 'logs.db');
  try {
    const factory = new ProviderFactory({
      config: await loadConfig({ cwd: dir, env: {}, configFile: false, overrides: { fallback: { order: ['lean'] }, pipeline: { prices: { lean: { inputPerMillion: 3, outputPerMillion: 15 } } } } }),
      sinks: [writer(dir)],
    });
    factory.registerProvider('lean', () => new LeanProvider('lean'));
    const provider = await factory.createProvider();
    const heap = () => {
      gc?.();
      gc?.();
      return process.memoryUsage().heapUsed / 1024 / 1024;
    };
    const run = async (n: number, from: number) => {
      for (let i = from; i < from + n; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => provider.complete(msgs(i + j), { tags: { feature: j % 2 ? 'audit' : 'chat' } })));
        // An in-process backend never waits on I/O: yield now and then, as an application's
        // requests do, so the writer's timer gets its turn.
        if (i % 1_000 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    // A warm-up (compiled code, SQLite's page cache), then the 100,000 calls measured.
    await run(20_000, 0);
    await factory.flushSinks();
    const at20k = heap();
    const warmEnd = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    const started = performance.now();
    await run(100_000, 20_000);
    await factory.flushSinks();
    const elapsed = performance.now() - started;
    const at120k = heap();
    await provider.dispose();
    await factory.dispose();
    const pruner = CallLogReader.open(path, { write: true });
    // Only the measured 100,000 stay: the size and the stats are theirs.
    pruner.prune(warmEnd);
    pruner.db.exec('VACUUM');
    pruner.close();
    // Closed: the WAL is checkpointed into the file and removed.
    const bytes = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
    const reader = CallLogReader.open(path);
    const count = reader.count();
    const times: number[] = [];
    const byDay: number[] = [];
    for (let i = 0; i < 7; i++) {
      times.push(await time(async () => reader.stats()));
      byDay.push(await time(async () => reader.stats({}, 'day')));
    }
    const search = await time(async () => reader.list({ query: 'Sonarr' }, 20));
    reader.close();
    return [
      `  100k calls with the log on (in-process backend): ${(elapsed / 1000).toFixed(1)} s, ${us(elapsed / 100_000)} a call writes included; heap ${gc ? `${at20k.toFixed(1)} MB after 20k calls, ${at120k.toFixed(1)} MB after 100k more: ratio ${(at120k / at20k).toFixed(3)}x (flat: the queue is bounded)` : 'not measured (run with node --expose-gc)'}`,
      `  log file: ${(bytes / 1024 / 1024).toFixed(1)} MB for ${count} calls with content (${((bytes / count) * 100_000 / 1024 / 1024).toFixed(1)} MB per 100k calls)`,
      `  logs stats over ${count} calls: median ${median(times).toFixed(0)} ms (target <= 200 ms); by day ${median(byDay).toFixed(0)} ms; logs -q (full-text, 20 newest matches) ${search.toFixed(0)} ms`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
