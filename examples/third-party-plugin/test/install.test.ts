/**
 * The install test: what a user of this plugin gets. Core and this package are packed with
 * `pnpm pack`, installed with npm into a fresh app outside the workspace (public dependencies come
 * from the registry), and a plain `node app.mjs` there finds the plugin through core's discovery,
 * configures it from environment variables or a config file, and answers through the chain from the
 * stand-in server. Nothing here imports the plugin directly.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackage } from '@autoarr-llm/testkit';
import { startOpenAICompatibleStandIn, type OpenAICompatibleStandIn } from '../src/test-support/openai-compatible-stand-in.js';

const run = promisify(execFile);
const example = fileURLToPath(new URL('..', import.meta.url));
const core = join(example, '../../packages/core');
const PLUGIN = '@acme/autoarr-llm-provider-openai-compatible';
const KEY = 'sk-install-test-key-0123456789';

const APP_SCRIPT = `
import { createProvider, loadConfig, ProviderFactory } from '@autoarr-llm/core';
const out = {};
const provider = await createProvider();
out.name = provider.name;
out.chain = provider.chain;
out.answer = await provider.complete([{ role: 'user', content: 'ping' }]);
const stream = provider.streamComplete([{ role: 'user', content: 'stream please' }]);
out.chunks = [];
for await (const chunk of stream) out.chunks.push(chunk);
out.streamed = await stream.response;
await provider.dispose();
// The load report, as \`autoarr-llm doctor\` prints it, from a factory on the same configuration.
const factory = new ProviderFactory({ config: await loadConfig() });
await factory.createProvider();
out.report = factory.loadReport().map((r) => ({ package: r.package, provider: r.provider, status: r.status, source: r.source, warnings: r.warnings, reason: r.reason }));
await factory.dispose();
console.log(JSON.stringify(out));
`;

let work: string;
let app: string;
let standIn: OpenAICompatibleStandIn;
let pluginTarball: string;

const pack = (dir: string) => packPackage(dir, join(work, 'tarballs'));

/** Runs the app with a clean environment: the developer's own LLM_* and OPENAI_COMPATIBLE_* variables must not leak in. */
async function runApp(env: Record<string, string>): Promise<any> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LLM_|AUTOARR_LLM|OPENAI_COMPATIBLE_|OLLAMA_|CLAUDE_|ANTHROPIC_)/.test(k)));
  const { stdout } = await run('node', ['app.mjs'], { cwd: app, env: { ...clean, ...env } });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  for (const dir of [core, example]) {
    if (!existsSync(join(dir, 'dist/index.js'))) throw new Error(`${dir} is not built: run \`pnpm exec tsc -b examples/third-party-plugin\` first`);
  }
  work = mkdtempSync(join(tmpdir(), 'autoarr-llm-third-party-'));
  mkdirSync(join(work, 'tarballs'));
  const coreTarball = await pack(core);
  pluginTarball = await pack(example);
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'acme-app', private: true, type: 'module', dependencies: { '@autoarr-llm/core': `file:${coreTarball}`, [PLUGIN]: `file:${pluginTarball}` } }, null, 2),
  );
  writeFileSync(join(app, 'app.mjs'), APP_SCRIPT);
  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app });
  standIn = await startOpenAICompatibleStandIn({ apiKey: KEY });
}, 180_000);

afterAll(async () => {
  await standIn?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('installed from its tarball into a fresh app', () => {
  it('ships the built plugin only: no tests, no test support', async () => {
    const { stdout } = await run('tar', ['-tzf', pluginTarball]);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toContain('package/dist/plugin.js');
    expect(files).toContain('package/README.md');
    expect(files.filter((f) => /\.test\.|test-support|\/src\//.test(f))).toEqual([]);
  });

  it('configured by environment variables: discovered, loaded, and answering through the chain', async () => {
    standIn.arrange({ type: 'text', chunks: ['pong'], usage: { inputTokens: 3, outputTokens: 1 } }, { type: 'text', chunks: ['str', 'eamed'] });
    const out = await runApp({ OPENAI_COMPATIBLE_BASE_URL: standIn.url, OPENAI_COMPATIBLE_API_KEY: KEY, LLM_FALLBACK_ORDER: 'openai-compatible' });

    expect(out.name).toBe('openai-compatible');
    expect(out.chain).toEqual(['openai-compatible']);
    expect(out.answer).toMatchObject({ content: 'pong', provider: 'openai-compatible', model: 'qwen2.5-7b-instruct', usage: { inputTokens: 3, outputTokens: 1 } });
    expect(out.chunks).toEqual(['str', 'eamed']);
    expect(out.streamed).toMatchObject({ content: 'streamed', provider: 'openai-compatible', finishReason: 'stop' });
    // Found among the app's dependencies by its third-party name, its manifest accepted without warnings.
    expect(out.report).toEqual([{ package: PLUGIN, provider: 'openai-compatible', status: 'loaded', source: 'dependency', warnings: [] }]);
    // The key from OPENAI_COMPATIBLE_API_KEY went out as a bearer token; no model was configured, so the served one was asked for.
    const chat = standIn.requests.filter((r) => r.path === '/v1/chat/completions').at(-2)!;
    expect(chat.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(chat.body).toMatchObject({ model: 'qwen2.5-7b-instruct', messages: [{ role: 'user', content: 'ping' }], temperature: 0.7, stream: false });
  }, 60_000);

  it('configured by a config file beside the app: the same plugin, its settings from the file', async () => {
    writeFileSync(
      join(app, 'autoarr-llm.config.json'),
      JSON.stringify({ fallback: { order: ['openai-compatible'] }, providers: { 'openai-compatible': { baseUrl: standIn.url, model: 'from-the-file' } } }, null, 2),
    );
    try {
      standIn.arrange({ type: 'text', chunks: ['from config'] }, { type: 'text', chunks: ['x'] });
      // The key stays in the environment, where secrets belong.
      const out = await runApp({ OPENAI_COMPATIBLE_API_KEY: KEY });
      expect(out.answer).toMatchObject({ content: 'from config', provider: 'openai-compatible', model: 'from-the-file' });
      expect(out.report).toEqual([expect.objectContaining({ package: PLUGIN, status: 'loaded' })]);
    } finally {
      rmSync(join(app, 'autoarr-llm.config.json'));
    }
  }, 60_000);
});
