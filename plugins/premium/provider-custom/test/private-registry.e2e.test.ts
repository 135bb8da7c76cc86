import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestLicensing } from '../src/test-support/test-license.js';
import { writeTinyModel } from '../src/test-support/tiny-model.js';
import { closedPort, packPackage } from '@autoarr-llm/testkit';

/**
 * End to end through a private registry: verdaccio on 127.0.0.1 (no uplinks), core,
 * provider-claude and the premium plugin published to it, then installed with npm into a fresh
 * app whose .npmrc maps only the @autoarr-llm and @autoarr-premium scopes to it (their public
 * dependencies — zod, @anthropic-ai/sdk, node-llama-cpp — come from the public registry).
 *
 * Publishing: each package is packed with `pnpm pack` (which turns `workspace:` ranges into
 * versions) and the tarball published with `npm publish --registry`. Not `pnpm publish`: pnpm
 * 12 lets the premium package's `publishConfig.registry` (the production private registry) win
 * over `--registry`; npm lets the command line win. Not `changeset publish`: it runs `pnpm
 * publish` (same problem) and would publish every public package of the workspace.
 */
const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const PACKAGES = ['packages/core', 'plugins/provider-claude', 'plugins/premium/provider-custom'];
const claudeBuilt = await readdir(join(repo, 'plugins/provider-claude/dist')).then((f) => f.includes('plugin.js'), () => false);

let work: string;
let registry: string;
let verdaccio: ChildProcess | undefined;
let app: string;
const lic = makeTestLicensing();


async function waitForRegistry(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`verdaccio did not start at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runApp(env: Record<string, string> = {}): Promise<Record<string, any>> {
  const { stdout } = await run(process.execPath, ['app.mjs'], { cwd: app, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, any>;
}

describe.skipIf(!claudeBuilt)('private registry end to end (verdaccio)', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'autoarr-registry-e2e-'));
    const port = await closedPort();
    registry = `http://127.0.0.1:${port}/`;
    await writeFile(
      join(work, 'verdaccio.yaml'),
      [
        `storage: ${join(work, 'storage')}`,
        'auth:',
        '  htpasswd:',
        `    file: ${join(work, 'htpasswd')}`,
        '    max_users: 10',
        'uplinks: {}',
        'packages:',
        "  '@*/*':",
        '    access: $all',
        '    publish: $authenticated',
        "  '**':",
        '    access: $all',
        '    publish: $authenticated',
        'log: { type: stdout, format: pretty, level: warn }',
        '',
      ].join('\n'),
    );
    const bin = join(dirname(createRequire(join(repo, 'package.json')).resolve('verdaccio/package.json')), 'bin', 'verdaccio');
    verdaccio = spawn(process.execPath, [bin, '--config', join(work, 'verdaccio.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
    await waitForRegistry(registry, 60_000);

    // A throw-away user: verdaccio requires an authenticated publish, npm requires a token.
    const user = await fetch(`${registry}-/user/org.couchdb.user:e2e`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e', password: 'e2e-password-1' }) });
    const { token } = (await user.json()) as { token: string };
    const auth = `//127.0.0.1:${port}/:_authToken=${token}\n`;
    await writeFile(join(work, 'publish.npmrc'), auth);

    const packs: string[] = [];
    for (const pkg of PACKAGES) packs.push(await packPackage(join(repo, pkg), join(work, 'packs')));
    for (const tgz of packs) {
      await run('npm', ['publish', tgz, '--registry', registry, '--access', 'public', '--no-audit'], { env: { ...process.env, NPM_CONFIG_USERCONFIG: join(work, 'publish.npmrc') }, timeout: 120_000 });
    }

    app = join(work, 'app');
    await mkdir(join(app, 'models'), { recursive: true });
    await writeTinyModel(join(app, 'models'), 'Q4_0', 'autoarr-premium-v1.0');
    await writeFile(join(app, '.npmrc'), `@autoarr-llm:registry=${registry}\n@autoarr-premium:registry=${registry}\n${auth}`);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'fresh-app', private: true, type: 'module', dependencies: { '@autoarr-llm/core': '0.1.0', '@autoarr-llm/provider-claude': '0.1.0', '@autoarr-premium/provider-custom': '0.1.0' } }, null, 2),
    );
    await writeFile(join(app, 'license-public-key.pem'), lic.publicPem);
    // The app hands the (test) verification key to the premium plugin in code, through services.
    await writeFile(
      join(app, 'app.mjs'),
      `import { readFileSync } from 'node:fs';
import { loadConfig, ProviderFactory } from '@autoarr-llm/core';
const config = await loadConfig({ cwd: process.cwd(), env: process.env });
const services = new Map([['autoarr-premium.licensePublicKey', readFileSync('license-public-key.pem', 'utf8')]]);
const factory = new ProviderFactory({ config, services });
const out = {
  providers: factory.providerNames(),
  plan: factory.plan().order,
  report: factory.loadReport().map((r) => ({ package: r.package, status: r.status, tier: r.tier, reason: r.reason })),
};
try {
  const llm = await factory.createProvider();
  const r = await llm.complete([{ role: 'user', content: 'Which quality profile?' }], { maxTokens: 6 });
  out.result = { provider: r.provider, model: r.model, usage: r.usage, finishReason: r.finishReason };
} catch (e) {
  out.error = { code: e.code, message: e.message, attempts: (e.attempts ?? []).map((a) => ({ provider: a.provider, code: a.code, reason: a.reason })) };
}
await factory.dispose();
console.log(JSON.stringify(out));
`,
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, timeout: 420_000 });
  }, 600_000);

  afterAll(async () => {
    if (verdaccio?.pid) process.kill(verdaccio.pid);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('installs the premium plugin from the private registry, finds it only when allowlisted, skips it without a license and answers locally with one', async () => {
    const env = { CUSTOM_MODEL_PATH: 'models/autoarr-premium-v1.0.gguf', CUSTOM_MODEL_THREADS: '1', CUSTOM_MODEL_DEVICE: 'cpu' };

    // 1. Not allowlisted: the private-scope package is installed but not a plugin candidate.
    const hidden = await runApp(env);
    expect(hidden.providers).toContain('claude');
    expect(hidden.providers).not.toContain('custom');
    expect(hidden.plan).toEqual(['ollama', 'claude']);

    // 2. Allowlisted, no license: found (premium chain) but skipped with the reason.
    await writeFile(join(app, 'autoarr-llm.config.json'), JSON.stringify({ allowScopes: ['@autoarr-premium'] }));
    const unlicensed = await runApp(env);
    expect(unlicensed.providers).toEqual(expect.arrayContaining(['claude', 'custom']));
    expect(unlicensed.plan).toEqual(['custom', 'claude']);
    expect(unlicensed.report).toContainEqual(expect.objectContaining({ package: '@autoarr-premium/provider-custom', tier: 'premium' }));
    expect(unlicensed.error.attempts[0]).toMatchObject({ provider: 'custom', code: 'LICENSE_INVALID', reason: expect.stringMatching(/license/i) });
    expect(unlicensed.error.attempts.map((a: { provider: string }) => a.provider)).toContain('claude');

    // 3. Licensed (signed by the key the app passes in code): custom → claude answers from the local model.
    const token = lic.issue();
    const licensed = await runApp({ ...env, AUTOARR_LICENSE: token });
    expect(licensed.error).toBeUndefined();
    expect(licensed.result).toMatchObject({ provider: 'custom', model: 'autoarr-premium-v1.0', finishReason: 'length', usage: { outputTokens: 6 } });
    expect(JSON.stringify(licensed)).not.toContain(token);
  }, 300_000);
});
