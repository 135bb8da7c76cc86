/**
 * The host keeps its promises whatever a plugin does: a plugin that never settles at one stage
 * (import, create, isAvailable, healthCheck, getModels, dispose, complete, stream), one that ignores
 * abort and one that streams for ever. Each scenario runs in a fresh Node process inside an app
 * where the fault plugin is installed, as an application would use core: every call settles within
 * its documented bound with a typed error, nothing is rejected unhandled (Node would end the
 * process with an error), and nothing is left running (the process ends by itself, no exit call).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { linkWorkspacePackages, tempApp } from '../src/test-support/temp-app.js';

const fixture = fileURLToPath(new URL('./fixtures/plugins/fault', import.meta.url));

/** The bounds every scenario runs with (small, so that the suite is quick). */
const BOUND = 300;
const DEADLINE = 800;
const GRACE = 150;
/** What a loaded machine may add to a bound (process start-up is not counted: each step is timed inside). */
const SLACK = 700;

const PROBE = `
import { createProvider, loadConfig, ProviderFactory } from '@autoarr-llm/core';
const out = { steps: {} };
const messages = [{ role: 'user', content: 'hi' }];
async function step(name, fn) {
  const started = performance.now();
  try {
    out.steps[name] = { ok: true, value: await fn() };
  } catch (e) {
    out.steps[name] = { ok: false, code: e?.code, stage: e?.stage, message: e?.message, cause: e?.cause?.code, attempts: e?.attempts?.map((a) => ({ code: a.code, reason: a.reason })) };
  }
  out.steps[name].ms = performance.now() - started;
}
let provider;
await step('createProvider', async () => (provider = await createProvider()).name);
if (provider) {
  await step('complete', async () => (await provider.complete(messages)).content);
  await step('stream', async () => {
    let chunks = 0;
    for await (const _ of provider.streamComplete(messages)) chunks++;
    return chunks;
  });
  await step('abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    return (await provider.complete(messages, { signal: controller.signal })).content;
  });
  await step('getModels', async () => (await provider.getModels()).length);
  await step('dispose', () => provider.dispose());
}
const factory = new ProviderFactory({ config: await loadConfig() });
let single;
await step('createSingle', async () => (single = await factory.createSingle('fault')).name);
if (single) {
  await step('isAvailable', () => single.isAvailable());
  await step('healthCheck', async () => {
    const h = await single.healthCheck();
    return { status: h.status, reason: h.reason, code: h.details?.code };
  });
  await step('singleModels', async () => (await single.getModels()).length);
}
await step('factoryDispose', () => factory.dispose());
process.stdout.write(JSON.stringify(out));
`;

interface Step {
  ok: boolean;
  value?: unknown;
  code?: string;
  stage?: string;
  message?: string;
  cause?: string;
  attempts?: Array<{ code?: string; reason: string }>;
  ms: number;
}

const apps: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of apps) cleanup();
});

/** Runs the probe with the plugin faulty at `stage`; resolves with its steps and how long the process lingered after its output. */
function run(stage: string): Promise<{ steps: Record<string, Step>; lingeredMs: number; stderr: string }> {
  const app = tempApp({
    'package.json': { name: 'fault-app', private: true, type: 'module', dependencies: { 'autoarr-llm-provider-fault': '1.0.0' } },
    'autoarr-llm.config.json': {
      fallback: { order: ['fault'] },
      pluginTimeouts: { importMs: BOUND, createMs: BOUND, isAvailableMs: BOUND, healthCheckMs: BOUND, getModelsMs: BOUND, disposeMs: BOUND, abortGraceMs: GRACE },
      pipeline: { deadlineMs: DEADLINE, defaults: { maxAttempts: 1 } },
    },
    'probe.mjs': PROBE,
  });
  apps.push(app.cleanup);
  linkWorkspacePackages(app.dir);
  mkdirSync(join(app.dir, 'node_modules/autoarr-llm-provider-fault'), { recursive: true });
  cpSync(fixture, join(app.dir, 'node_modules/autoarr-llm-provider-fault'), { recursive: true });
  return new Promise((resolve, reject) => {
    let outputAt = 0;
    const child = execFile(process.execPath, ['probe.mjs'], { cwd: app.dir, env: { PATH: process.env['PATH'] ?? '', AUTOARR_FAULT_STAGE: stage }, timeout: 30_000 }, (error, stdout, stderr) => {
      const exitedAt = performance.now();
      if (error) return reject(new Error(`probe (${stage}) failed: ${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
      try {
        resolve({ ...(JSON.parse(stdout) as { steps: Record<string, Step> }), lingeredMs: exitedAt - outputAt, stderr });
      } catch {
        reject(new Error(`probe (${stage}) printed no result:\nstdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
    child.stdout?.on('data', () => (outputAt = performance.now()));
  });
}

function expectWithin(step: Step | undefined, ms: number): Step {
  expect(step).toBeDefined();
  expect(step!.ms).toBeLessThan(ms + SLACK);
  return step!;
}

/** A well-behaved run ends on its own at once: nothing the host started is left to wait for. */
function expectClean(result: { lingeredMs: number; stderr: string }): void {
  expect(result.stderr).not.toMatch(/unhandled|Unhandled/);
  expect(result.lingeredMs).toBeLessThan(1_000);
}

describe('a plugin that never settles at one stage', () => {
  it.each(['import', 'create', 'isAvailable'])('%s: createProvider() ends with NO_PROVIDER_AVAILABLE naming the plugin, the stage and the bound', async (stage) => {
    const r = await run(stage);
    const created = expectWithin(r.steps['createProvider'], BOUND);
    expect(created).toMatchObject({ ok: false, code: 'NO_PROVIDER_AVAILABLE', attempts: [{ code: 'PLUGIN_TIMEOUT' }] });
    const verb = stage === 'import' ? 'finish importing' : `answer ${stage}()`;
    expect(created.message).toContain(`Plugin autoarr-llm-provider-fault (provider "fault") did not ${verb} within ${BOUND} ms`);
    // The plugin on its own fails the same way, as a PluginTimeoutError.
    if (stage === 'isAvailable') expect(r.steps['isAvailable']).toMatchObject({ ok: true, value: false });
    else expect(expectWithin(r.steps['createSingle'], BOUND)).toMatchObject({ ok: false, code: 'PLUGIN_TIMEOUT', stage });
    expectClean(r);
  });

  it('healthCheck: the chain skips it with the reason, and its health report is "down" naming the stage', async () => {
    const r = await run('healthCheck');
    const created = expectWithin(r.steps['createProvider'], BOUND);
    expect(created).toMatchObject({ ok: false, code: 'NO_PROVIDER_AVAILABLE' });
    expect(created.message).toContain('did not answer healthCheck()');
    expect(expectWithin(r.steps['healthCheck'], BOUND).value).toMatchObject({ status: 'down', code: 'PLUGIN_TIMEOUT', reason: expect.stringContaining('healthCheck()') });
    expectClean(r);
  });

  it('getModels: the chain lists none after the bound, the plugin on its own fails with PLUGIN_TIMEOUT', async () => {
    const r = await run('getModels');
    expect(r.steps['complete']).toMatchObject({ ok: true, value: 'fault says hi' });
    expect(expectWithin(r.steps['getModels'], BOUND)).toMatchObject({ ok: true, value: 0 });
    expect(expectWithin(r.steps['singleModels'], BOUND)).toMatchObject({ ok: false, code: 'PLUGIN_TIMEOUT', stage: 'getModels' });
    expectClean(r);
  });

  it('dispose: disposing gives up after the bound and resolves', async () => {
    const r = await run('dispose');
    expect(r.steps['complete']).toMatchObject({ ok: true });
    expect(expectWithin(r.steps['dispose'], BOUND)).toMatchObject({ ok: true });
    expect(expectWithin(r.steps['factoryDispose'], BOUND)).toMatchObject({ ok: true });
    expectClean(r);
  });

  it.each(['complete', 'stream'])('%s: the call ends with TIMEOUT at its deadline (plus the grace), however the plugin ignores it', async (stage) => {
    const r = await run(stage);
    expect(r.steps['createProvider']).toMatchObject({ ok: true, value: 'fault' });
    expect(expectWithin(r.steps['stream'], DEADLINE + GRACE)).toMatchObject({ ok: false, code: 'TIMEOUT' });
    if (stage === 'complete') expect(expectWithin(r.steps['complete'], DEADLINE + GRACE)).toMatchObject({ ok: false, code: 'TIMEOUT' });
    else expect(r.steps['complete']).toMatchObject({ ok: true });
    // The caller's abort is honoured by the host, not only passed on.
    if (stage === 'complete') expect(expectWithin(r.steps['abort'], 100 + GRACE)).toMatchObject({ ok: false, code: 'ABORTED' });
    expectClean(r);
  });
});

describe('a plugin that ignores abort, and one that streams for ever', () => {
  it('ignores-abort: the caller\'s abort and the deadline end the call on time; the late answer is discarded', async () => {
    const r = await run('ignores-abort');
    expect(expectWithin(r.steps['complete'], DEADLINE + GRACE)).toMatchObject({ ok: false, code: 'TIMEOUT' });
    expect(expectWithin(r.steps['stream'], DEADLINE + GRACE)).toMatchObject({ ok: false, code: 'TIMEOUT' });
    expect(expectWithin(r.steps['abort'], 100 + GRACE)).toMatchObject({ ok: false, code: 'ABORTED' });
    expectClean(r);
  });

  it('streams-forever: the host cuts the stream at the deadline with INCOMPLETE_STREAM (cause TIMEOUT)', async () => {
    const r = await run('streams-forever');
    const stream = expectWithin(r.steps['stream'], DEADLINE + GRACE);
    expect(stream).toMatchObject({ ok: false, code: 'INCOMPLETE_STREAM', cause: 'TIMEOUT' });
    expectClean(r);
  });
});
