import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getLlama, LlamaChat, LlamaLogLevel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, packPackage } from '@autoarr-llm/testkit';

/**
 * The vendor's workflow end to end, as a premium user gets it: a throw-away key pair from the
 * vendor license tool, the premium package packed with that public key embedded (`prepack`) and
 * published with core, the CLI and the public plugins to a private registry (verdaccio on
 * 127.0.0.1, no uplinks), installed with npm into a fresh app whose .npmrc maps only the
 * @autoarr-llm and @autoarr-premium scopes to it (zod, the SDKs and node-llama-cpp come from the
 * public registry). The app's CLI then answers from the real model (TinyStories 260K) with a
 * license signed by the tool — the same tokens raw node-llama-cpp gives — and refuses tampered,
 * expired, foreign-key and wrong-feature licenses. No key is passed in code anywhere.
 *
 * Publishing: each package is packed with `pnpm pack` (which turns `workspace:` ranges into
 * versions and runs `prepack`) and the tarball published with `npm publish --registry`. Not
 * `pnpm publish`: pnpm 12 lets the premium package's `publishConfig.registry` (the production
 * private registry) win over `--registry`; npm lets the command line win.
 */
const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, '..');
const repo = resolve(here, '../../../..');
const fixture = join(here, 'fixtures', 'stories260K.gguf');
const tool = join(pkgDir, 'dist', 'vendor', 'license-tool.js');
/** `npm_config_nodedir` for native builds: the running Node's install prefix, when it ships headers. */
function nodeHeadersEnv(): Record<string, string> {
  if (process.env['npm_config_nodedir']) return {};
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

const PUBLIC = ['packages/core', 'packages/call-log', 'packages/cli', 'plugins/provider-claude', 'plugins/provider-ollama'];
const built = await Promise.all([...PUBLIC, 'plugins/premium/provider-custom'].map((p) => readdir(join(repo, p, 'dist')).then((f) => f.length > 0, () => false)));
const PROMPT = 'Once upon a time';
const MAX_TOKENS = 24;

let work: string;
let registry: string;
let verdaccio: ChildProcess | undefined;
let app: string;
let vendorKey: string;

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

async function vendor(...args: string[]): Promise<string> {
  return (await run(process.execPath, [tool, ...args], { timeout: 30_000 })).stdout.trim();
}

/** Runs the installed CLI in the app; never throws (the exit code is part of the result). */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = join(app, 'node_modules', '@autoarr-llm', 'cli', 'dist', 'bin.js');
  const base = { PATH: process.env['PATH'] ?? '', HOME: app, CUSTOM_MODEL_PATH: 'models/stories260K.gguf', CUSTOM_MODEL_DEVICE: 'cpu', CUSTOM_MODEL_THREADS: '1', OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}` };
  return run(process.execPath, [bin, ...args], { cwd: app, env: { ...base, ...env }, timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );
}

/** What raw node-llama-cpp answers on the fixture at temperature 0. */
async function rawAnswer(): Promise<string> {
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error, progressLogs: false });
  const model = await llama.loadModel({ modelPath: fixture, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 512, sequences: 1, threads: 1 });
  try {
    const chat = new LlamaChat({ contextSequence: context.getSequence() });
    return (await chat.generateResponse([{ type: 'user', text: PROMPT }, { type: 'model', response: [] }], { maxTokens: MAX_TOKENS, temperature: 0 })).response;
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

describe.skipIf(built.includes(false))('the vendor license workflow end to end (verdaccio, installed CLI, real model)', () => {
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

    // The vendor's side: a key pair (private key outside any repository), the public half embedded at pack time.
    vendorKey = join(work, 'vendor-signing-key.pem');
    await vendor('keygen', '--private-key', vendorKey, '--public-key', join(work, 'vendor-signing-key.pub'));
    await vendor('keygen', '--private-key', join(work, 'foreign-key.pem'));
    const packs = await Promise.all(PUBLIC.map((p) => packPackage(join(repo, p), join(work, 'packs'))));
    const premiumDest = join(work, 'packs', 'premium');
    await mkdir(premiumDest, { recursive: true });
    await run('pnpm', ['pack', '--pack-destination', premiumDest], { cwd: pkgDir, env: { ...process.env, AUTOARR_LICENSE_PUBLIC_KEYS_FILE: join(work, 'vendor-signing-key.pub') }, timeout: 120_000 });
    packs.push(join(premiumDest, (await readdir(premiumDest))[0]!));

    await waitForRegistry(registry, 60_000);
    // A throw-away user: verdaccio requires an authenticated publish, npm requires a token.
    const user = await fetch(`${registry}-/user/org.couchdb.user:e2e`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e', password: 'e2e-password-1' }) });
    const { token } = (await user.json()) as { token: string };
    const auth = `//127.0.0.1:${port}/:_authToken=${token}\n`;
    await writeFile(join(work, 'publish.npmrc'), auth);
    for (const tgz of packs) {
      await run('npm', ['publish', tgz, '--registry', registry, '--access', 'public', '--no-audit'], { env: { ...process.env, NPM_CONFIG_USERCONFIG: join(work, 'publish.npmrc') }, timeout: 120_000 });
    }

    app = join(work, 'app');
    await mkdir(join(app, 'models'), { recursive: true });
    await copyFile(fixture, join(app, 'models', 'stories260K.gguf'));
    await writeFile(join(app, '.npmrc'), `@autoarr-llm:registry=${registry}\n@autoarr-premium:registry=${registry}\n${auth}`);
    const deps = { '@autoarr-llm/core': '0.1.0', '@autoarr-llm/cli': '0.1.0', '@autoarr-llm/provider-claude': '0.1.0', '@autoarr-llm/provider-ollama': '0.1.0', '@autoarr-premium/provider-custom': '0.1.0' };
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module', dependencies: deps }, null, 2));
    // The CLI brings the call log, whose better-sqlite3 builds from source where no prebuilt binary can be
    // fetched: against the running Node's own headers, never downloaded ones.
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, timeout: 420_000, env: { ...process.env, ...nodeHeadersEnv() } });
  }, 600_000);

  afterAll(async () => {
    if (verdaccio?.pid) process.kill(verdaccio.pid);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the published package carries the vendor’s public key and nothing of the vendor tooling', async () => {
    const installed = join(app, 'node_modules', '@autoarr-premium', 'provider-custom');
    const embedded = JSON.parse(await readFile(join(installed, 'dist', 'license-keys.json'), 'utf8')) as { keys: Array<{ publicKey: string }> };
    expect(embedded.keys.map((k) => k.publicKey)).toEqual([await readFile(join(work, 'vendor-signing-key.pub'), 'utf8')]);
    const files = await readdir(join(installed, 'dist'), { recursive: true });
    expect(files.filter((f) => /vendor|test-support|\.test\./.test(String(f)))).toEqual([]);
    // The workspace copy is back to a development build (postpack took the key out again).
    await expect(readFile(join(pkgDir, 'dist', 'license-keys.json'))).rejects.toThrow();
  });

  it('with a license signed by the vendor key, the installed CLI answers from the real model (complete, doctor --ask)', async () => {
    await writeFile(join(app, 'autoarr-llm.config.json'), JSON.stringify({ allowScopes: ['@autoarr-premium'] }));
    const license = await vendor('sign', '--private-key', vendorKey, '--licensee', 'Fresh App Ltd', '--expires', '+30d');
    const expected = await rawAnswer();
    expect(expected.length).toBeGreaterThan(20);

    const completed = await cli(['complete', PROMPT, '--temperature', '0', '--max-tokens', String(MAX_TOKENS), '--json'], { AUTOARR_LICENSE: license });
    expect(completed.code, completed.stderr).toBe(0);
    const response = JSON.parse(completed.stdout) as { provider: string; model: string; content: string; usage: { outputTokens: number } };
    expect(response).toMatchObject({ provider: 'custom', model: 'stories260K', content: expected, usage: { outputTokens: MAX_TOKENS } });

    // doctor --ask sets no maxTokens: the provider's default cap (here lowered by the env) ends it.
    const doctor = await cli(['doctor', '--ask', PROMPT], { AUTOARR_LICENSE: license, CUSTOM_MODEL_MAX_TOKENS: '12' });
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/answered by custom, model stories260K/);
    // llama.cpp's own lines never reach stdout (the answer channel).
    expect(doctor.stdout).not.toMatch(/llama\.cpp|load: |special token/i);
    expect(`${completed.stdout}${completed.stderr}${doctor.stdout}${doctor.stderr}`).not.toContain(license);
  });

  it('pull puts GGUF models (http URL, hf: URI) into the cache with progress; models lists them; models --remove deletes one', async () => {
    await writeFile(join(app, 'autoarr-llm.config.json'), JSON.stringify({ allowScopes: ['@autoarr-premium'] }));
    const license = await vendor('sign', '--private-key', vendorKey, '--licensee', 'Fresh App Ltd', '--expires', '+30d');
    const body = await readFile(fixture);
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.range ?? ''}`);
      if (!req.url?.includes('stories260K.gguf')) return void res.writeHead(404).end();
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Number(range[2]) : body.length - 1;
      const headers = { 'accept-ranges': 'bytes', 'content-length': String(end - start + 1) };
      res.writeHead(range ? 206 : 200, range ? { ...headers, 'content-range': `bytes ${start}-${end}/${body.length}` } : headers);
      res.end(body.subarray(start, end + 1));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const env = { AUTOARR_LICENSE: license, CUSTOM_MODEL_CACHE_DIR: 'model-cache' };
      const http = await cli(['pull', '--provider', 'custom', `${origin}/files/stories260K.gguf`], env);
      expect(http.code, http.stderr).toBe(0);
      expect(http.stdout).toBe(`pulled ${origin}/files/stories260K.gguf (custom)\n`);
      expect(http.stderr).toContain('100%');
      // HF_ENDPOINT: node-llama-cpp's own setting, pointing hf: URIs at a mirror (here the local server).
      const hf = await cli(['pull', '--provider', 'custom', 'hf:karpathy/tinyllamas/stories260K.gguf'], { ...env, HF_ENDPOINT: `${origin}/` });
      expect(hf.code, hf.stderr).toBe(0);
      expect(seen.some((l) => l.includes('/karpathy/tinyllamas/resolve/main/stories260K.gguf'))).toBe(true);
      const listed = await cli(['models', 'custom', '--json'], env);
      expect(listed.code, listed.stderr).toBe(0);
      const cached = (JSON.parse(listed.stdout) as { models: Array<{ id: string; details: { cached?: boolean } }> }).models.filter((m) => m.details.cached);
      expect(cached.length).toBe(2);
      const removed = await cli(['models', 'custom', '--remove', cached[0]!.id], env);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toBe(`removed ${cached[0]!.id} (custom)\n`);
      const again = await cli(['models', 'custom', '--remove', cached[0]!.id], env);
      expect(again.stderr).toContain('MODEL_NOT_FOUND');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('tampered, expired, foreign-key and wrong-feature licenses are refused by the installed package', async () => {
    await writeFile(join(app, 'autoarr-llm.config.json'), JSON.stringify({ allowScopes: ['@autoarr-premium'] }));
    const good = await vendor('sign', '--private-key', vendorKey, '--licensee', 'Fresh App Ltd', '--expires', '+30d');
    const [body, sig] = good.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${Buffer.from(JSON.stringify({ ...payload, licensee: 'Someone Else' })).toString('base64url')}.${sig}`;
    const cases: Array<[string, string, RegExp]> = [
      ['tampered', tampered, /signature does not verify/],
      ['expired', await vendor('sign', '--private-key', vendorKey, '--licensee', 'x', '--not-before', '2020-01-01', '--expires', '2021-01-01'), /expired/],
      ['foreign key', await vendor('sign', '--private-key', join(work, 'foreign-key.pem'), '--licensee', 'x', '--expires', '+30d'), /which this build does not accept/],
      ['wrong feature', await vendor('sign', '--private-key', vendorKey, '--licensee', 'x', '--expires', '+30d', '--features', 'reports'), /does not include the "custom-model" feature/],
    ];
    for (const [what, license, reason] of cases) {
      const r = await cli(['complete', PROMPT, '--temperature', '0', '--max-tokens', '4', '--provider', 'custom'], { AUTOARR_LICENSE: license });
      expect(r.code, `${what}: ${r.stderr}`).not.toBe(0);
      expect(r.stdout, what).toBe('');
      expect(r.stderr, what).toMatch(/LICENSE_INVALID|license/i);
      expect(r.stderr, what).toMatch(reason);
      expect(r.stderr, what).not.toContain(license);
    }
  });
});
