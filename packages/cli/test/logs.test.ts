import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLogWriter } from '@autoarr-llm/call-log';
import { loadConfig, ProviderFactory, silentLogger } from '@autoarr-llm/core';
import { MockProvider } from '@autoarr-llm/testkit';
import { runCli } from '../src/run-cli.js';
import type { CliIO } from '../src/cli-io.js';

let dir: string;
let logPath: string;

function io(): CliIO & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out(t: string) {
      o.stdout += t;
    },
    err(t: string) {
      o.stderr += t;
    },
    env: { AUTOARR_LLM_LOG_PATH: logPath },
    cwd: dir,
    errIsTTY: false,
    errColumns: 80,
    readStdin: async () => '',
    onInterrupt: () => () => undefined,
  };
  return o;
}

async function cli(...argv: string[]) {
  const o = io();
  const code = await runCli(argv, o);
  return { code, out: o.stdout, err: o.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'autoarr-cli-logs-'));
  logPath = join(dir, 'logs.db');
  const config = await loadConfig({ cwd: dir, configFile: false, env: {}, overrides: { fallback: { enabled: false }, pipeline: { defaults: { maxAttempts: 1 } } } });
  const writer = new CallLogWriter({ path: logPath, logger: silentLogger, appRoot: dir, defaultContent: 'full', pluginOf: () => undefined, queueSize: 10_000, batchSize: 100, flushIntervalMs: 50, exitHooks: false });
  const factory = new ProviderFactory({ config, discover: false, sinks: [writer] });
  factory.registerProvider('alpha', () => new MockProvider({ name: 'alpha', model: 'alpha-1', script: [{ type: 'error', error: 'server' }] }));
  factory.registerProvider('beta', () => new MockProvider({ name: 'beta', model: 'beta-1', defaultResponse: 'Lidarr manages music' }));
  const alpha = await factory.createProvider('alpha');
  await alpha.complete([{ role: 'user', content: 'first question' }], { model: 'alpha-1', tags: { feature: 'audit' } }).catch(() => undefined);
  await alpha.complete([{ role: 'user', content: 'second question' }], { model: 'alpha-1', tags: { feature: 'audit' } });
  const beta = await factory.createProvider('beta');
  for await (const _ of beta.streamComplete([{ role: 'user', content: 'what is Lidarr?' }], { tags: { feature: 'chat' } }));
  await factory.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('autoarr-llm logs', () => {
  it('logs path prints the configured file', async () => {
    expect(await cli('logs', 'path')).toMatchObject({ code: 0, out: `${logPath}\n` });
  });

  it('lists recent calls, newest first, with -n and filters', async () => {
    const all = await cli('logs', '--json');
    expect(all.code).toBe(0);
    const calls = JSON.parse(all.out) as Array<{ provider: string; outcome: string; streamed: boolean }>;
    expect(calls.map((c) => c.provider)).toEqual(['beta', 'alpha', 'alpha']);
    expect(JSON.parse((await cli('logs', '--json', '-n', '1')).out)).toHaveLength(1);
    expect(JSON.parse((await cli('logs', '--json', '--outcome', 'error')).out)).toMatchObject([{ provider: 'alpha', errorCode: 'SERVER_ERROR' }]);
    expect(JSON.parse((await cli('logs', '--json', '--tag', 'feature=audit')).out)).toHaveLength(2);
    expect(JSON.parse((await cli('logs', '--json', '--provider', 'beta', '--model', 'beta-1')).out)).toHaveLength(1);
    expect(JSON.parse((await cli('logs', '--json', '--since', '1h')).out)).toHaveLength(3);
    expect(JSON.parse((await cli('logs', '--json', '--until', '1h')).out)).toHaveLength(0);
    const text = await cli('logs');
    expect(text.out).toMatch(/beta\/beta-1 {2}ok .*\[stream\]/);
    expect(text.out).toMatch(/alpha\/alpha-1 {2}SERVER_ERROR/);
  });

  it('-q searches prompts and answers', async () => {
    expect(JSON.parse((await cli('logs', '--json', '-q', 'Lidarr')).out)).toMatchObject([{ provider: 'beta' }]);
    expect(JSON.parse((await cli('logs', '--json', '-q', 'second')).out)).toMatchObject([{ provider: 'alpha', outcome: 'success' }]);
  });

  it('logs show <id> prints every attempt and the content', async () => {
    const [latest] = JSON.parse((await cli('logs', '--json', '--provider', 'beta')).out) as Array<{ id: string }>;
    const shown = await cli('logs', 'show', latest!.id.slice(-12));
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(latest!.id);
    expect(shown.out).toMatch(/beta#1 success/);
    expect(shown.out).toContain('Lidarr manages music');
    expect((await cli('logs', 'show', 'nope')).code).toBe(2);
  });

  it('logs stats per provider and model, and by period', async () => {
    const stats = JSON.parse((await cli('logs', 'stats', '--json')).out) as Array<{ provider: string; model: string; calls: number; errorRate: number; latencyP50Ms: number }>;
    expect(stats.find((s) => s.provider === 'alpha')).toMatchObject({ model: 'alpha-1', calls: 2, errorRate: 0.5 });
    expect(stats.find((s) => s.provider === 'beta')).toMatchObject({ calls: 1, errorRate: 0 });
    const text = await cli('logs', 'stats', '--by', 'day');
    expect(text.out).toMatch(/period\s+provider\/model\s+calls\s+errors\s+p50\s+p95/);
    expect((await cli('logs', 'stats', '--by', 'year')).code).toBe(2);
  });

  it('logs prune --before deletes old calls', async () => {
    expect(JSON.parse((await cli('logs', 'prune', '--before', '1h', '--json')).out)).toEqual({ deleted: 0 });
    expect((await cli('logs', 'prune')).code).toBe(2);
    expect(JSON.parse((await cli('logs', 'prune', '--before', new Date(Date.now() + 60_000).toISOString(), '--json')).out)).toEqual({ deleted: 3 });
    expect(JSON.parse((await cli('logs', '--json')).out)).toEqual([]);
  });
});
