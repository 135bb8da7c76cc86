import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { IncompleteStreamError, LLMError, Secret, UsageLedger } from '@autoarr-llm/core';
import { captureLogger, MockProvider, type ErrorKind, type Scenario } from '@autoarr-llm/testkit';
import { CallLogReader, CallLogWriter, openCallLog, rebuildLedger, SCHEMA_VERSION } from '../src/index.js';
import { logFactory, tempLogApp, type TempLogApp } from './temp-log-app.js';

const apps: TempLogApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
function app(options?: { install?: boolean }): TempLogApp {
  const a = tempLogApp(options);
  apps.push(a);
  return a;
}
const hello = [{ role: 'user' as const, content: 'Say hello to Sonarr' }];
const oneAttempt = { pipeline: { defaults: { maxAttempts: 1 } } };

function mock(name: string, script: Scenario[] = [], extra: { latencyMs?: number } = {}) {
  return () => new MockProvider({ name, model: `${name}-model`, script, ...extra });
}

describe('call log: one row per call and per attempt, on a real SQLite file', () => {
  it('is attached when @autoarr-llm/call-log is installed in the app, and records a success with its plugin, tags and content', async () => {
    const a = app();
    const factory = await logFactory(a, { alpha: mock('alpha', [{ type: 'text', chunks: ['Hello', ' Sonarr'], usage: { inputTokens: 5, outputTokens: 2 } }]) }, oneAttempt);
    const provider = await factory.createProvider('alpha');
    const response = await provider.complete(hello, { tags: { feature: 'audit', user: 'u1' } });
    expect(response.content).toBe('Hello Sonarr');
    await factory.dispose();

    const reader = CallLogReader.open(a.logPath);
    const [call] = reader.list();
    expect(call).toMatchObject({ provider: 'alpha', model: 'alpha-model', outcome: 'success', errorCode: null, attempts: 1, retries: 0, inputTokens: 5, outputTokens: 2, usageSource: 'reported', streamed: false, cached: false, coalesced: false, tags: { feature: 'audit', user: 'u1' }, contentPolicy: 'full', pluginPackage: '(registered)' });
    const detail = reader.get(call!.id)!;
    expect(detail.chain[0]).toBe('alpha');
    expect(detail.appRoot).toBe(a.dir);
    expect(detail.request).toMatchObject({ messages: hello });
    expect(detail.response).toMatchObject({ content: 'Hello Sonarr' });
    expect(detail.attemptList).toMatchObject([{ provider: 'alpha', attempt: 1, outcome: 'success' }]);
    expect(reader.list({ query: 'Sonarr' })).toHaveLength(1);
    expect(reader.list({ tags: { feature: 'audit' } })).toHaveLength(1);
    expect(reader.list({ tags: { feature: 'other' } })).toHaveLength(0);
    expect(reader.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(reader.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    reader.close();
  });

  it('is not attached without the package, nor with log.enabled false or AUTOARR_LLM_LOG=off', async () => {
    const without = app({ install: false });
    const f1 = await logFactory(without, { alpha: mock('alpha') });
    await (await f1.createProvider('alpha')).complete(hello);
    await f1.dispose();
    expect(existsSync(without.logPath)).toBe(false);

    const off = app();
    const f2 = await logFactory(off, { alpha: mock('alpha') }, { log: { enabled: false } });
    await (await f2.createProvider('alpha')).complete(hello);
    await f2.dispose();
    const f3 = await logFactory(off, { alpha: mock('alpha') }, {}, undefined, { AUTOARR_LLM_LOG: 'off' });
    await (await f3.createProvider('alpha')).complete(hello);
    await f3.dispose();
    expect(existsSync(off.logPath)).toBe(false);
  });

  it('records a fallback: the answering provider on the call, every attempt with its error', async () => {
    const a = app();
    const factory = await logFactory(a, { first: mock('first', [{ type: 'error', error: 'server' }]), second: mock('second') }, { ...oneAttempt, fallback: { order: ['first', 'second'] } });
    const provider = await factory.createProvider();
    await provider.complete(hello);
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    const [call] = reader.list();
    expect(call).toMatchObject({ provider: 'second', outcome: 'success', attempts: 2 });
    expect(reader.get(call!.id)!.attemptList).toMatchObject([
      { provider: 'first', outcome: 'error', errorCode: 'SERVER_ERROR' },
      { provider: 'second', outcome: 'success' },
    ]);
    reader.close();
  });

  it('records the routing decision and its reason on a routed call', async () => {
    const a = app();
    const tiers = { simple: ['alpha/alpha-model'], complex: ['alpha/alpha-model'] };
    const factory = await logFactory(a, { alpha: mock('alpha') }, { ...oneAttempt, fallback: { order: ['alpha'] }, routing: { tiers, models: { 'alpha/alpha-model': { contextLength: 8192 } } } });
    const provider = await factory.createProvider();
    const response = await provider.complete(hello);
    expect(response.route).toMatchObject({ chosen: 'alpha/alpha-model' });
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    const [call] = reader.list();
    expect(reader.get(call!.id)!.route).toEqual(JSON.parse(JSON.stringify(response.route)));
    reader.close();
  });

  it('budgets kept in memory start from the spend the log recorded: a restart does not reset them', async () => {
    const a = app();
    const priced = {
      ...oneAttempt,
      fallback: { order: ['alpha'] },
      prices: { alpha: { inputPerMillion: 1_000_000, outputPerMillion: 1_000_000 } },
      budgets: { limits: [{ provider: 'alpha', period: 'day' as const, limit: 100 }] },
    };
    const usage = { inputTokens: 5, outputTokens: 2 };
    const first = await logFactory(a, { alpha: mock('alpha', [{ type: 'text', chunks: ['Hi'], usage }, { type: 'text', chunks: ['Hi'], usage }]) }, priced);
    const p1 = await first.createProvider();
    await p1.complete(hello, { maxTokens: 10 });
    await p1.complete(hello, { maxTokens: 10 });
    await first.dispose();

    // A new process on the same log: 2 calls × 7 tokens at $1 a token already spent today.
    const second = await logFactory(a, { alpha: mock('alpha') }, priced);
    await second.createProvider();
    const [status] = await second.budgets!.status();
    expect(status!.spent).toBeCloseTo(14, 9);
    await second.dispose();

    // Without the call log the spend starts at zero (nothing to seed from).
    const off = await logFactory(a, { alpha: mock('alpha') }, { ...priced, log: { enabled: false } });
    await off.createProvider();
    expect((await off.budgets!.status())[0]!.spent).toBe(0);
    await off.dispose();
  });

  it('records retries and the waits between them', async () => {
    const a = app();
    // A rate limit with retry-after: the wait is at least its 20 ms (full jitter alone may wait 0 ms).
    const factory = await logFactory(a, { alpha: mock('alpha', [{ type: 'error', error: 'rate-limit', retryAfterSeconds: 0.02 }]) }, { pipeline: { defaults: { maxAttempts: 2 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
    await (await factory.createProvider('alpha')).complete(hello);
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    const [call] = reader.list();
    expect(call).toMatchObject({ outcome: 'success', attempts: 2, retries: 1 });
    expect(call!.waitMs).toBeGreaterThanOrEqual(20);
    reader.close();
  });

  const kinds: Array<[ErrorKind, string]> = [
    ['auth', 'AUTHENTICATION_FAILED'],
    ['permission', 'PERMISSION_DENIED'],
    ['model-not-found', 'MODEL_NOT_FOUND'],
    ['rate-limit', 'RATE_LIMITED'],
    ['quota', 'QUOTA_EXHAUSTED'],
    ['overloaded', 'OVERLOADED'],
    ['server', 'SERVER_ERROR'],
    ['invalid-request', 'INVALID_REQUEST'],
    ['context-length', 'CONTEXT_LENGTH_EXCEEDED'],
  ];
  it('records every typed error with its code, for calls and streams', async () => {
    const a = app();
    const script: Scenario[] = kinds.flatMap(([error]) => [
      { type: 'error', error },
      { type: 'error', error },
    ]);
    const factory = await logFactory(a, { alpha: mock('alpha', script) }, { ...oneAttempt, fallback: { enabled: false } });
    const provider = await factory.createProvider('alpha');
    const seen: string[] = [];
    for (const [kind] of kinds) {
      const e1 = await provider.complete(hello, { tags: { kind } }).then(() => undefined, (e: unknown) => e);
      const e2 = await (async () => {
        try {
          for await (const _ of provider.streamComplete(hello, { tags: { kind } }));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(LLMError.isInstance(e1) && LLMError.isInstance(e2)).toBe(true);
      seen.push((e1 as LLMError).code);
    }
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    for (const [kind, code] of kinds) {
      const rows = reader.list({ tags: { kind } });
      expect(rows.map((r) => [r.outcome, r.errorCode, r.streamed]).sort()).toEqual([
        ['error', code, false],
        ['error', code, true],
      ]);
    }
    expect(seen).toEqual(kinds.map(([, code]) => code));
    expect(reader.count({ outcome: 'error' })).toBe(kinds.length * 2);
    reader.close();
  });

  it('records a cut stream as an error with its partial text and estimated usage', async () => {
    const a = app();
    const factory = await logFactory(a, { alpha: mock('alpha', [{ type: 'cut', chunks: ['Half ', 'an answer'] }]) }, oneAttempt);
    const provider = await factory.createProvider('alpha');
    const stream = provider.streamComplete(hello);
    let text = '';
    await expect(
      (async () => {
        for await (const chunk of stream) text += chunk;
      })(),
    ).rejects.toSatisfy((e) => IncompleteStreamError.isInstance(e));
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    const [call] = reader.list();
    expect(call).toMatchObject({ outcome: 'error', errorCode: 'INCOMPLETE_STREAM', streamed: true, usageSource: 'estimated' });
    expect(call!.firstChunkMs).toBeGreaterThanOrEqual(0);
    expect(reader.get(call!.id)!.response).toMatchObject({ content: text, partial: true });
    reader.close();
  });

  it('records a successful stream with its time to first chunk and finish reason', async () => {
    const a = app();
    const factory = await logFactory(a, { alpha: mock('alpha', [{ type: 'text', chunks: ['a', 'b', 'c'], finishReason: 'length', delayMs: 5 }]) }, oneAttempt);
    const provider = await factory.createProvider('alpha');
    for await (const _ of provider.streamComplete(hello));
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    const [call] = reader.list();
    expect(call).toMatchObject({ outcome: 'success', streamed: true, finishReason: 'length' });
    expect(call!.firstChunkMs).toBeGreaterThan(0);
    expect(call!.durationMs).toBeGreaterThanOrEqual(call!.firstChunkMs!);
    reader.close();
  });

  it('records cache hits and coalesced calls', async () => {
    const a = app();
    const factory = await logFactory(a, { alpha: mock('alpha', [], { latencyMs: 30 }) }, { ...oneAttempt, pipeline: { defaults: { maxAttempts: 1 }, cache: { enabled: true } } });
    const provider = await factory.createProvider('alpha');
    await provider.complete(hello, { temperature: 0, tags: { step: 'miss' } });
    await provider.complete(hello, { temperature: 0, tags: { step: 'hit' } });
    // Identical calls in flight at once share one backend request.
    await Promise.all([provider.complete(hello, { tags: { step: 'pair' } }), provider.complete(hello, { tags: { step: 'pair' } })]);
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    expect(reader.list({ tags: { step: 'miss' } })).toMatchObject([{ cached: false, coalesced: false }]);
    expect(reader.list({ tags: { step: 'hit' } })).toMatchObject([{ cached: true, cost: null }]);
    expect(reader.list({ tags: { step: 'pair' } }).map((c) => c.coalesced).sort()).toEqual([false, true]);
    reader.close();
  });

  it('honours the content policy: metadata keeps no content, per call and from config', async () => {
    const a = app();
    const factory = await logFactory(a, { alpha: mock('alpha') }, oneAttempt);
    const provider = await factory.createProvider('alpha');
    await provider.complete([{ role: 'user', content: 'private question xyzzy' }], { logContent: 'metadata' });
    await provider.complete([{ role: 'user', content: 'public question plugh' }]);
    await factory.dispose();
    const f2 = await logFactory(a, { alpha: mock('alpha') }, { ...oneAttempt, log: { content: 'metadata' } });
    await (await f2.createProvider('alpha')).complete([{ role: 'user', content: 'configured quux' }]);
    await f2.dispose();

    const reader = CallLogReader.open(a.logPath);
    const rows = reader.list({}, 10);
    expect(rows.map((r) => r.contentPolicy)).toEqual(['metadata', 'full', 'metadata']);
    for (const r of rows.filter((r) => r.contentPolicy === 'metadata')) {
      const d = reader.get(r.id)!;
      expect(d.request).toBeNull();
      expect(d.response).toBeNull();
    }
    expect(reader.list({ query: 'plugh' })).toHaveLength(1);
    expect(reader.list({ query: 'xyzzy' })).toHaveLength(0);
    reader.close();
    const bytes = fileBytes(a.logPath);
    expect(bytes.includes('xyzzy')).toBe(false);
    expect(bytes.includes('quux')).toBe(false);
  });

  it('never stores a secret: content, errors and tags are scrubbed', async () => {
    const a = app();
    const key = new Secret('sk-ant-api03-LOGSECRET-0123456789');
    const leaked = key.reveal();
    const factory = await logFactory(a, { alpha: mock('alpha', [{ type: 'error', error: 'auth', message: `bad key ${leaked}` }, { type: 'text', chunks: [`echo ${leaked}`] }]) }, oneAttempt);
    const provider = await factory.createProvider('alpha');
    await provider.complete([{ role: 'user', content: `my key is ${leaked}` }], { tags: { key: leaked } }).catch(() => undefined);
    await provider.complete([{ role: 'user', content: `again ${leaked}` }]);
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    expect(reader.count()).toBe(2);
    reader.close();
    expect(fileBytes(a.logPath).includes(leaked)).toBe(false);
    expect(fileBytes(a.logPath).includes('[redacted]')).toBe(true);
  });

  it('a corrupt log file does not fail calls', async () => {
    const a = app();
    openCallLog(a.logPath).close();
    writeFileSync(a.logPath, 'this is not a database'.repeat(500));
    const logger = captureLogger();
      const lines = logger.lines;
    const factory = await logFactory(a, { alpha: mock('alpha') }, oneAttempt, logger);
    const provider = await factory.createProvider('alpha');
    expect((await provider.complete(hello)).content).toBe('Mock response');
    await factory.dispose();
    expect(lines.some((l) => l.startsWith('warn') && /cannot be written/.test(l))).toBe(true);
  });

  it('a log locked by another writer does not fail calls, and loses nothing once the lock is gone', async () => {
    const a = app();
    const blocker = openCallLog(a.logPath);
    const logger = captureLogger();
    const factory = await logFactory(a, { alpha: mock('alpha') }, { ...oneAttempt, log: { flushIntervalMs: 20 } }, logger);
    const provider = await factory.createProvider('alpha');
    const writer = (await factory.sinks()).find((s) => s.name === 'call-log') as CallLogWriter;
    // Another process holds the write lock across several of the writer's flushes.
    blocker.exec('BEGIN IMMEDIATE');
    const slowest: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      expect((await provider.complete(hello)).content).toBe('Mock response');
      slowest.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(writer.stats()).toMatchObject({ written: 0, dropped: 0, queued: 10 });
    // A flush waits for the lock at most briefly (it runs on the main thread), then keeps the batch.
    expect(Math.max(...slowest)).toBeLessThan(1_000);
    expect(logger.lines.filter((l) => /locked by another process/.test(l))).toHaveLength(1);
    blocker.exec('COMMIT');
    blocker.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(writer.stats()).toMatchObject({ written: 10, dropped: 0, queued: 0 });
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    expect(reader.count()).toBe(10);
    reader.close();
  });

  it('stats per provider and model; prune; the ledger rebuilt from the log', async () => {
    const a = app();
    const factory = await logFactory(
      a,
      { alpha: mock('alpha', [{ type: 'error', error: 'server' }]), beta: mock('beta') },
      { ...oneAttempt, fallback: { enabled: false }, pipeline: { defaults: { maxAttempts: 1 }, prices: { alpha: { inputPerMillion: 1_000_000, outputPerMillion: 0 } } } },
    );
    const alpha = await factory.createProvider('alpha');
    for (let i = 0; i < 4; i++) await alpha.complete(hello, { model: 'alpha-model' }).catch(() => undefined);
    const beta = await factory.createProvider('beta');
    await beta.complete(hello);
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath, { write: true });
    const stats = reader.stats();
    const alphaStats = stats.find((s) => s.provider === 'alpha')!;
    expect(alphaStats).toMatchObject({ calls: 4, errors: 1, errorRate: 0.25 });
    expect(alphaStats.cost).toBeGreaterThan(0);
    expect(alphaStats.latencyP95Ms).toBeGreaterThanOrEqual(alphaStats.latencyP50Ms!);
    expect(reader.stats({}, 'day').every((s) => s.period !== undefined)).toBe(true);

    const ledger = new UsageLedger({}, 100);
    expect(rebuildLedger(reader, ledger)).toBe(4);
    expect([...ledger.totals().values()].reduce((n, t) => n + t.requests, 0)).toBe(4);

    expect(reader.prune(Date.now() + 1)).toBe(5);
    expect(reader.count()).toBe(0);
    expect(reader.db.prepare('SELECT count(*) AS n FROM attempts').get()).toEqual({ n: 0 });
    reader.close();
  });

  it('flushes what is queued on dispose, even when batches are large', async () => {
    const a = app();
    const factory = await logFactory(a, { alpha: mock('alpha') }, { ...oneAttempt, log: { batchSize: 64, flushIntervalMs: 60_000 } });
    const provider = await factory.createProvider('alpha');
    await Promise.all(Array.from({ length: 300 }, (_, i) => provider.complete([{ role: 'user', content: `q${i}` }])));
    await factory.dispose();
    const reader = CallLogReader.open(a.logPath);
    expect(reader.count()).toBe(300);
    reader.close();
  });
});

function fileBytes(path: string): string {
  return ['', '-wal', '-shm'].map((s) => (existsSync(path + s) ? readFileSync(path + s).toString('latin1') : '')).join('');
}

