/**
 * Discovery is real, not an in-process registry: core, testkit and fixture plugins are packed with
 * `pnpm pack`, installed into fresh apps outside the workspace (npm's hoisted layout and pnpm's
 * strict one), and a plain Node script in each app discovers, reports and answers.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const packages = join(here, '../..');
const fixtures = join(here, 'fixtures/plugins');

const APP_SCRIPT = `
import { ProviderFactory, loadConfig } from '@autoarr-llm/core';
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
const out = {};
// Could core find the plugin from its own folder? (Under pnpm it cannot: resolution must start at the app.)
const coreRequire = createRequire(realpathSync('node_modules/@autoarr-llm/core/package.json'));
try { coreRequire.resolve('@acme/autoarr-llm-provider-parrot/package.json'); out.visibleFromCore = true; } catch { out.visibleFromCore = false; }
const factory = new ProviderFactory({ config: await loadConfig() });
try {
  const provider = await factory.createProvider();
  out.chain = provider.chain;
  out.answer = await provider.complete([{ role: 'user', content: 'ping' }]);
} catch (e) {
  out.error = { code: e.code, message: e.message };
}
try {
  await factory.createSingle('ghost');
} catch (e) {
  out.ghost = { code: e.code, problem: e.problem, message: e.message };
}
out.report = Object.fromEntries(factory.loadReport().map((r) => [r.package, { provider: r.provider, status: r.status, reason: r.reason, source: r.source }]));
await factory.dispose();
console.log(JSON.stringify(out));
`;

let work: string;
const tarballs: Record<string, string> = {};

async function pack(dir: string): Promise<string> {
  const dest = join(work, 'tarballs');
  const before = new Set(readdirSync(dest));
  await run('pnpm', ['pack', '--pack-destination', dest], { cwd: dir });
  const created = readdirSync(dest).find((f) => !before.has(f));
  if (!created) throw new Error(`pnpm pack produced nothing in ${dir}`);
  return join(dest, created);
}

function makeApp(name: string, deps: string[], config: object, pnpmSettings = ''): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  // Our packages are not on the public registry: point every reference to them at the tarballs.
  const overrides = Object.entries(tarballs).map(([pkg, file]) => `  '${pkg}': 'file:${file}'`);
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), `${pnpmSettings}overrides:\n${overrides.join('\n')}\n`);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, private: true, type: 'module', dependencies: Object.fromEntries(deps.map((d) => [d, `file:${tarballs[d]}`])) }, null, 2),
  );
  writeFileSync(join(dir, 'autoarr-llm.config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'app.mjs'), APP_SCRIPT);
  return dir;
}

async function runApp(dir: string): Promise<any> {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('LLM_') || k.startsWith('AUTOARR_LLM')) delete env[k];
  const { stdout } = await run('node', ['app.mjs'], { cwd: dir, env });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'autoarr-llm-e2e-'));
  mkdirSync(join(work, 'tarballs'));
  tarballs['@autoarr-llm/core'] = await pack(join(packages, 'core'));
  tarballs['@autoarr-llm/testkit'] = await pack(join(packages, 'testkit'));
  for (const [dir, name] of [
    ['echo', 'autoarr-llm-provider-echo'],
    ['echo2', 'autoarr-llm-provider-echo2'],
    ['parrot', '@acme/autoarr-llm-provider-parrot'],
    ['throws', 'autoarr-llm-provider-throws'],
    ['badmanifest', 'autoarr-llm-provider-badmanifest'],
    ['future', 'autoarr-llm-provider-future'],
  ] as const) {
    tarballs[name] = await pack(join(fixtures, dir));
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('plugin discovery from a real install', () => {
  it('npm (hoisted layout): finds only what is installed, reports every broken plugin, and the chain still answers', async () => {
    const dir = makeApp(
      'npm-app',
      ['@autoarr-llm/core', '@autoarr-llm/testkit', 'autoarr-llm-provider-echo', 'autoarr-llm-provider-echo2', '@acme/autoarr-llm-provider-parrot', 'autoarr-llm-provider-throws', 'autoarr-llm-provider-badmanifest', 'autoarr-llm-provider-future'],
      { plugins: ['autoarr-llm-provider-ghost'], fallback: { order: ['throws', 'future', 'echo', 'parrot'] } },
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir });
    const out = await runApp(dir);

    expect(out.answer).toMatchObject({ content: 'echo: ping', provider: 'echo' });
    expect(out.chain).toEqual(['echo', 'parrot']);
    const r = out.report;
    expect(Object.keys(r).sort()).toEqual([
      '@acme/autoarr-llm-provider-parrot',
      'autoarr-llm-provider-badmanifest',
      'autoarr-llm-provider-echo',
      'autoarr-llm-provider-echo2',
      'autoarr-llm-provider-future',
      'autoarr-llm-provider-ghost',
      'autoarr-llm-provider-throws',
    ]);
    expect(r['autoarr-llm-provider-echo']).toMatchObject({ status: 'loaded', provider: 'echo' });
    // Two packages claim "echo": the documented rule (third-party vs third-party: alphabetical) picks echo.
    expect(r['autoarr-llm-provider-echo2']).toMatchObject({ status: 'duplicate' });
    expect(r['autoarr-llm-provider-echo2'].reason).toMatch(/served by autoarr-llm-provider-echo instead/);
    // Found but never imported: it was not needed.
    expect(r['@acme/autoarr-llm-provider-parrot']).toMatchObject({ status: 'discovered' });
    expect(r['autoarr-llm-provider-throws']).toMatchObject({ status: 'failed' });
    expect(r['autoarr-llm-provider-throws'].reason).toMatch(/broken at import time/);
    expect(r['autoarr-llm-provider-badmanifest']).toMatchObject({ status: 'failed' });
    expect(r['autoarr-llm-provider-badmanifest'].reason).toMatch(/invalid "autoarr-llm-plugin" manifest/);
    expect(r['autoarr-llm-provider-future']).toMatchObject({ status: 'failed' });
    expect(r['autoarr-llm-provider-future'].reason).toMatch(/provider API v2/);
    expect(r['autoarr-llm-provider-ghost']).toMatchObject({ status: 'not-installed', source: 'config' });
    expect(out.ghost).toMatchObject({ code: 'PLUGIN_LOAD_FAILED', problem: 'not-installed' });
    expect(out.ghost.message).toMatch(/autoarr-llm-provider-ghost.*not installed.*npm install autoarr-llm-provider-ghost/);
  }, 180_000);

  it('npm: a config-listed package wins a duplicate provider name', async () => {
    const dir = makeApp('npm-app-listed', ['@autoarr-llm/core', 'autoarr-llm-provider-echo', 'autoarr-llm-provider-echo2'], {
      plugins: ['autoarr-llm-provider-echo2'],
      fallback: { order: ['echo'] },
    });
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir });
    const out = await runApp(dir);
    expect(out.answer).toMatchObject({ content: 'echo2: ping', provider: 'echo' });
    expect(out.report['autoarr-llm-provider-echo']).toMatchObject({ status: 'duplicate' });
  }, 180_000);

  it("pnpm (strict layout): core cannot see the app's plugins from its own folder, yet discovery finds exactly them", async () => {
    const dir = makeApp('pnpm-app', ['@autoarr-llm/core', '@acme/autoarr-llm-provider-parrot'], { fallback: { order: ['ollama', 'parrot'] } },
      // The strictest layout: nothing hoisted, and the packages kept outside the app (as pnpm's global
      // virtual store does), so walking up from core's folder never reaches the app's node_modules.
      'hoist: false\nvirtualStoreDir: ../pnpm-virtual-store\n');
    const env = { ...process.env, npm_config_frozen_lockfile: 'false' };
    await run('pnpm', ['install', '--ignore-scripts', '--no-frozen-lockfile', '--reporter=silent', '--config.confirmModulesPurge=false'], { cwd: dir, env });
    const out = await runApp(dir);
    expect(out.visibleFromCore).toBe(false);
    expect(out.answer).toMatchObject({ content: 'squawk', provider: 'parrot' });
    expect(Object.keys(out.report)).toEqual(['@acme/autoarr-llm-provider-parrot']);
    expect(out.ghost.message).toMatch(/No plugin provides "ghost" \(available: parrot\)/);
  }, 180_000);
});
