/**
 * No command ends with no output (an unsettled top-level await exits 13 silently) or hangs,
 * whatever a plugin, a config file or the terminal does: every command prints its result or a
 * typed error naming the plugin and the stage that did not answer, within the documented bounds.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTempApp, killStragglers, runCli, startCli, type TempApp } from './cli-harness.js';

const fixture = fileURLToPath(new URL('../../core/test/fixtures/plugins/fault', import.meta.url));

const BOUND = 300;
const DEADLINE = 800;
const GRACE = 150;
/** The longest any command may take here: a few bounds in a row, process start-up, a loaded machine. */
const WORST_MS = 10_000;

const apps: TempApp[] = [];
afterEach(killStragglers);
afterAll(() => {
  for (const app of apps) app.remove();
});

/** An app whose only plugin is the fault plugin, with small bounds. */
function faultApp(config: object = {}): TempApp {
  const app = createTempApp();
  apps.push(app);
  app.write('package.json', JSON.stringify({ name: 'fault-app', private: true, type: 'module', dependencies: { 'autoarr-llm-provider-fault': '1.0.0' } }));
  app.write(
    'autoarr-llm.config.json',
    JSON.stringify({
      fallback: { order: ['fault'] },
      pluginTimeouts: { importMs: BOUND, createMs: BOUND, isAvailableMs: BOUND, healthCheckMs: BOUND, getModelsMs: BOUND, disposeMs: BOUND, abortGraceMs: GRACE },
      pipeline: { deadlineMs: DEADLINE, defaults: { maxAttempts: 1 } },
      ...config,
    }),
  );
  mkdirSync(join(app.dir, 'node_modules/autoarr-llm-provider-fault'), { recursive: true });
  cpSync(fixture, join(app.dir, 'node_modules/autoarr-llm-provider-fault'), { recursive: true });
  return app;
}

const COMMANDS: string[][] = [['complete', 'hi'], ['doctor'], ['doctor', '--ask', 'hi'], ['providers'], ['models'], ['models', 'fault'], ['config']];

/** Which commands must fail at this stage, and with what in their error. */
const FAILS: Record<string, { commands: string[]; mentions: string }> = {
  import: { commands: ['complete', 'doctor', 'doctor --ask', 'models fault'], mentions: 'did not finish importing' },
  create: { commands: ['complete', 'doctor', 'doctor --ask', 'models fault'], mentions: 'did not answer create()' },
  isAvailable: { commands: ['complete', 'doctor --ask'], mentions: 'did not answer isAvailable()' },
  healthCheck: { commands: ['complete', 'doctor', 'doctor --ask'], mentions: 'did not answer healthCheck()' },
  getModels: { commands: ['models fault'], mentions: 'did not answer getModels()' },
  dispose: { commands: [], mentions: '' },
  complete: { commands: ['complete', 'doctor --ask'], mentions: `deadline of ${DEADLINE} ms passed` },
  stream: { commands: ['complete', 'doctor --ask'], mentions: `deadline of ${DEADLINE} ms passed` },
  'ignores-abort': { commands: ['complete', 'doctor --ask'], mentions: `deadline of ${DEADLINE} ms passed` },
  'streams-forever': { commands: ['complete', 'doctor --ask'], mentions: `deadline of ${DEADLINE} ms passed` },
};

describe('every command with a plugin that misbehaves at one stage', () => {
  it.each(Object.keys(FAILS))('%s: each command ends in time, with its result or a typed error, its --json parsing', { timeout: 120_000 }, async (stage) => {
    const app = faultApp();
    const env = { AUTOARR_FAULT_STAGE: stage };
    // Every command as scripts run it (--json), and complete as people do.
    const todo = [...COMMANDS.map((args) => ({ args, json: true })), { args: ['complete', 'hi'], json: false }];
    const runs: Array<{ args: string[]; json: boolean; r: Awaited<ReturnType<typeof runCli>>; ms: number }> = [];
    // Two at a time: the machine's cores, not the bounds, would otherwise decide how long a run takes.
    const worker = async () => {
      for (let next = todo.shift(); next; next = todo.shift()) {
        const started = performance.now();
        const r = await runCli(next.json ? [...next.args, '--json'] : next.args, { cwd: app.dir, env, timeoutMs: WORST_MS + 5_000 });
        runs.push({ ...next, r, ms: performance.now() - started });
      }
    };
    await Promise.all([worker(), worker()]);
    for (const { args, json, r, ms } of runs) {
      const label = `${args.join(' ')}${json ? ' --json' : ''} (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
      expect(ms, label).toBeLessThan(WORST_MS);
      // Never the silent exit of an unsettled top-level await, never a crash.
      expect([0, 3, 4, 5], label).toContain(r.code);
      expect(r.stdout + r.stderr, label).not.toBe('');
      expect(r.stderr, label).not.toMatch(/\n\s+at /);
      if (json) expect(() => JSON.parse(r.stdout), label).not.toThrow();
      const command = args[0] === 'complete' ? 'complete' : args.filter((a) => a !== 'hi').join(' ');
      if (FAILS[stage]!.commands.includes(command)) {
        expect(r.code, label).not.toBe(0);
        expect(r.stdout + r.stderr, label).toContain(FAILS[stage]!.mentions);
      }
    }
  });

  it('a plugin writing to stdout cannot break --json: its chatter goes to stderr', async () => {
    const app = faultApp();
    const r = await runCli(['complete', 'hi', '--json'], { cwd: app.dir, env: { AUTOARR_FAULT_STAGE: 'chatty' } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ content: 'fault says hi', provider: 'fault' });
    expect(r.stderr).toContain('fault plugin: creating a provider');
    expect(r.stderr).toContain('fault plugin: raw stdout');
  });
});

describe('the terminal and the config file', () => {
  it('complete … | head: the reader leaving ends the command quietly (no EPIPE crash)', async () => {
    const app = faultApp({ pipeline: { deadlineMs: 60_000, defaults: { maxAttempts: 1 } } });
    const run = startCli(['complete', 'stream for ever'], { cwd: app.dir, env: { AUTOARR_FAULT_STAGE: 'streams-forever' } });
    await run.waitForStdout('xxx');
    // What `head` does once it has its lines: close its end of the pipe.
    run.child.stdout?.destroy();
    const r = await run.done;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(141);
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  });

  it('a config module whose top-level await never settles: CONFIG_INVALID after the bound, exit 3', async () => {
    const app = faultApp();
    app.write('autoarr-llm.config.json', '');
    app.write('autoarr-llm.config.mjs', 'await new Promise(() => {});\nexport default {};\n');
    const r = await runCli(['config', '--config', 'autoarr-llm.config.mjs', '--json'], { cwd: app.dir, env: { AUTOARR_LLM_CONFIG_TIMEOUT: '500' } });
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('did not finish loading within 500 ms') });
  });

  it('a FIFO as the config file, given or found: CONFIG_INVALID, no hang', async () => {
    const app = faultApp();
    execFileSync('mkfifo', [join(app.dir, 'pipe.json')]);
    const given = await runCli(['config', '--config', 'pipe.json'], { cwd: app.dir, timeoutMs: 10_000 });
    expect(given.code, given.stderr).toBe(3);
    expect(given.stderr).toContain('is not a regular file');
    const other = faultApp();
    execFileSync('rm', [join(other.dir, 'autoarr-llm.config.json')]);
    execFileSync('mkfifo', [join(other.dir, 'autoarr-llm.config.json')]);
    const found = await runCli(['doctor'], { cwd: other.dir, timeoutMs: 10_000 });
    expect(found.code, found.stderr).toBe(3);
    expect(found.stderr).toContain('is not a regular file');
  });
});
