import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CallLogReader, openCallLog } from '../src/index.js';
import { startLogWorker, type RunningWorker } from './run-log-worker.js';
import { tempLogApp, type TempLogApp } from './temp-log-app.js';

const apps: TempLogApp[] = [];
const workers: RunningWorker[] = [];
afterEach(() => {
  for (const w of workers.splice(0)) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  apps.splice(0).forEach((a) => a.cleanup());
});
function app(): TempLogApp {
  const a = tempLogApp();
  apps.push(a);
  return a;
}
function start(...args: Parameters<typeof startLogWorker>): RunningWorker {
  const w = startLogWorker(...args);
  workers.push(w);
  return w;
}
async function until(w: RunningWorker, test: (line: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = w.lines.find(test);
    if (hit) return hit;
    if (w.child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not report in time: ${JSON.stringify(w.lines.slice(-3))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
function rows(path: string): number {
  const reader = CallLogReader.open(path);
  try {
    expect(reader.db.pragma('integrity_check', { simple: true })).toBe('ok');
    return reader.count();
  } finally {
    reader.close();
  }
}

describe('call log across processes', () => {
  it('two processes writing one log file lose nothing: 2 × 5,000 calls → 10,000 rows', async () => {
    const a = app();
    // Create the schema first, as the first process of an app would.
    openCallLog(a.logPath).close();
    const w1 = start({ appDir: a.dir, logPath: a.logPath, calls: 5_000, concurrency: 50, tag: 'one' });
    const w2 = start({ appDir: a.dir, logPath: a.logPath, calls: 5_000, concurrency: 50, tag: 'two' });
    const [e1, e2] = await Promise.all([w1.exited, w2.exited]);
    expect([e1.code, e2.code]).toEqual([0, 0]);
    for (const w of [w1, w2]) expect(w.lines.at(-1)).toMatchObject({ finished: 5_000, failed: 0, stats: { written: 5_000, dropped: 0 } });
    expect(rows(a.logPath)).toBe(10_000);
    const reader = CallLogReader.open(a.logPath);
    expect(reader.count({ tags: { worker: 'one' } })).toBe(5_000);
    expect(reader.count({ tags: { worker: 'two' } })).toBe(5_000);
    reader.close();
  }, 120_000);

  it('kill -9 while 200 concurrent streams are logging leaves a readable log, missing at most the last unflushed batch', async () => {
    const a = app();
    const batchSize = 500;
    const w = start({ appDir: a.dir, logPath: a.logPath, calls: 1e9, concurrency: 200, stream: true, latencyMs: 1, reportMs: 20, log: { batchSize } });
    await until(w, (l) => typeof l['done'] === 'number' && (l['done'] as number) >= 3_000);
    const lastReported = Math.max(...w.lines.map((l) => (typeof l['done'] === 'number' ? (l['done'] as number) : 0)));
    w.child.kill('SIGKILL');
    expect((await w.exited).signal).toBe('SIGKILL');
    const n = rows(a.logPath);
    expect(n).toBeGreaterThan(0);
    // Calls that ended before the last report are on file, except at most one batch (and the
    // streams that ended in the same turn of the event loop) not yet written.
    expect(lastReported - n).toBeLessThanOrEqual(batchSize + 200);
  }, 120_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: everything queued is written before the process ends`, async () => {
      const a = app();
      // Nothing is written by timer or by batch size: only the signal handler can write these.
      const w = start({ appDir: a.dir, logPath: a.logPath, calls: 700, concurrency: 20, exit: 'wait', log: { batchSize: 100_000, queueSize: 100_000, flushIntervalMs: 600_000 } });
      await until(w, (l) => l['finished'] === 700);
      w.child.kill(signal);
      expect((await w.exited).signal).toBe(signal);
      expect(rows(a.logPath)).toBe(700);
    }, 60_000);
  }

  it('normal exit without dispose: the exit hook writes what is queued', async () => {
    const a = app();
    const w = start({ appDir: a.dir, logPath: a.logPath, calls: 300, concurrency: 10, exit: 'natural', log: { batchSize: 100_000, flushIntervalMs: 600_000 } });
    expect((await w.exited).code).toBe(0);
    expect(rows(a.logPath)).toBe(300);
  }, 60_000);

  it('a read-only log file does not fail calls: one warning, and every unrecorded call counted', async () => {
    const a = app();
    openCallLog(a.logPath).close();
    // Root may write anything: the writer runs as an unprivileged user, as most apps do.
    const asRoot = process.getuid?.() === 0;
    chmodSync(a.dir, 0o755);
    chmodSync(a.logPath, 0o444);
    chmodSync(dirname(a.logPath), 0o555);
    try {
      const w = start({ appDir: a.dir, logPath: a.logPath, calls: 20, concurrency: 4 }, asRoot ? 65534 : undefined);
      expect((await w.exited).code).toBe(0);
      expect(w.lines.at(-1)).toMatchObject({ finished: 20, failed: 0, stats: { written: 0, dropped: 20 } });
      const warnings = w.lines.filter((l) => typeof l['warn'] === 'string');
      expect(warnings.filter((l) => /cannot be written/.test(l['warn'] as string))).toHaveLength(1);
    } finally {
      chmodSync(dirname(a.logPath), 0o755);
      chmodSync(a.logPath, 0o644);
    }
    expect(rows(a.logPath)).toBe(0);
  }, 60_000);
});
