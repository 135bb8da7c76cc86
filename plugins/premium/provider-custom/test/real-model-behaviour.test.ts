import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConfigValidationError, LLMError, type LLMMessage } from '@autoarr-llm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomModel } from '../src/create-custom-model.js';
import type { CustomModelGeneration } from '../src/custom-model-provider.js';
import { DEFAULT_MAX_TOKENS } from '../src/custom-model-settings.js';
import { makeTestLicensing } from '../src/test-support/test-license.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/stories260K.gguf', import.meta.url));
const pkg = fileURLToPath(new URL('..', import.meta.url));
const lic = makeTestLicensing();
const user: LLMMessage[] = [{ role: 'user', content: 'Once upon a time' }];
let dir: string;
let modelPath: string;

async function caught(p: Promise<unknown>): Promise<LLMError> {
  const e = await p.then(() => undefined, (error: unknown) => error);
  expect(LLMError.isInstance(e), `expected a typed error, got ${String(e)}`).toBe(true);
  return e as LLMError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autoarr-custom-behaviour-'));
  modelPath = join(dir, 'stories260K.gguf');
  await copyFile(fixture, modelPath);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const settings = (extra: Record<string, unknown> = {}) => ({ modelPath, device: 'cpu' as const, threads: 1, sequences: 1, contextSize: 1024, license: lic.issue(), cacheDir: dir, ...extra });

describe('the provider on a real model: limits, lifecycle and files', () => {
  it('caps output by default (not the whole context) and honours CUSTOM_MODEL_MAX_TOKENS', async () => {
    const seen: CustomModelGeneration[] = [];
    const p = await createCustomModel(settings(), { licensePublicKey: lic.publicKey, onGenerate: (g) => seen.push(g) });
    const q = await createCustomModel(settings({ maxTokens: '7' }), { licensePublicKey: lic.publicKey });
    try {
      await p.complete(user, { temperature: 0 });
      expect(seen[0]!.maxTokens).toBe(DEFAULT_MAX_TOKENS);
      expect(DEFAULT_MAX_TOKENS).toBeLessThan(1024);
      const r = await q.complete(user, { temperature: 0 });
      expect(r.usage!.outputTokens).toBeLessThanOrEqual(7);
    } finally {
      await p.dispose();
      await q.dispose();
    }
  });

  it('a disposed provider refuses calls with a typed error instead of loading the model again', async () => {
    const p = await createCustomModel(settings(), { licensePublicKey: lic.publicKey });
    await p.complete(user, { maxTokens: 2 });
    await p.dispose();
    for (const call of [p.complete(user, { maxTokens: 2 }), p.warmUp(), p.getModels()]) {
      const e = await caught(call);
      expect(e.code).toBe('PROVIDER_UNAVAILABLE');
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/disposed/);
    }
    expect((await p.healthCheck()).status).not.toBe('ok');
  });

  it('knows the tools capability before loading, and it agrees with the loaded model', async () => {
    const p = await createCustomModel(settings(), { licensePublicKey: lic.publicKey });
    try {
      const before = await p.getModels();
      await p.warmUp();
      const after = await p.getModels();
      expect(before[0]!.details).toMatchObject({ loaded: false });
      expect(after[0]!.details).toMatchObject({ loaded: true });
      expect(before[0]!.capabilities).toEqual(after[0]!.capabilities);
    } finally {
      await p.dispose();
    }
  });

  it.skipIf(platform() === 'darwin')('a device that is not there (metal off macOS) is PROVIDER_UNAVAILABLE, not a silent CPU run', async () => {
    const p = await createCustomModel(settings({ device: 'metal' }), { licensePublicKey: lic.publicKey });
    try {
      const e = await caught(p.complete(user, { maxTokens: 2 }));
      expect(e.code).toBe('PROVIDER_UNAVAILABLE');
      expect(e.message).toMatch(/CUSTOM_MODEL_DEVICE=metal/);
    } finally {
      await p.dispose();
    }
  });

  it('a truncated or hostile GGUF header fails fast with a typed error, in bounded memory', async () => {
    // 24 bytes: magic, version 3, then 2^62 tensors and 2^62 metadata entries.
    const hostile = Buffer.alloc(24);
    hostile.write('GGUF', 0, 'latin1');
    hostile.writeUInt32LE(3, 4);
    hostile.writeBigUInt64LE(1n << 52n, 8);
    hostile.writeBigUInt64LE(1n << 52n, 16);
    await writeFile(join(dir, 'hostile.gguf'), hostile);
    const real = await import('node:fs/promises').then((fs) => fs.readFile(fixture));
    await writeFile(join(dir, 'truncated.gguf'), real.subarray(0, 4000));
    await writeFile(join(dir, 'cut-data.gguf'), real.subarray(0, real.length - 1000));
    for (const name of ['hostile.gguf', 'truncated.gguf', 'cut-data.gguf']) {
      const p = await createCustomModel(settings({ modelPath: join(dir, name) }), { licensePublicKey: lic.publicKey });
      const rss = process.memoryUsage().rss;
      const started = performance.now();
      const e = await caught(p.complete(user, { maxTokens: 2 }));
      expect(ConfigValidationError.isInstance(e), `${name}: ${e.code} ${e.message}`).toBe(true);
      expect(e.message).toMatch(/not a valid GGUF file/);
      expect(performance.now() - started).toBeLessThan(5000);
      expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
      await p.dispose();
    }
  });

  it('llama.cpp’s own log lines go to the logger, never to stdout, even with providers created and disposed side by side', async () => {
    const script = `
import { createCustomModel } from './dist/index.js';
const lines = [];
const logger = { debug: (_, m) => lines.push(m), info: (_, m) => lines.push(m), warn: (_, m) => lines.push(m), error: (_, m) => lines.push(m), child() { return logger; } };
const opts = { licensePublicKey: process.env.KEY, logger };
const s = { modelPath: process.env.MODEL, device: 'cpu', threads: 1, license: process.env.LICENSE };
for (let i = 0; i < 2; i++) {
  const a = await createCustomModel(s, opts);
  await a.healthCheck();
  const b = await createCustomModel(s, opts);
  await b.complete([{ role: 'user', content: 'Hi' }], { maxTokens: 2 });
  await a.dispose();
  await b.complete([{ role: 'user', content: 'Hi' }], { maxTokens: 2 });
  await b.dispose();
}
process.stderr.write(JSON.stringify(lines));
`;
    await writeFile(join(pkg, '.log-probe.mjs'), script);
    try {
      const { stdout, stderr } = await run(process.execPath, ['.log-probe.mjs'], { cwd: pkg, env: { ...process.env, KEY: lic.publicPem, MODEL: modelPath, LICENSE: lic.issue() }, timeout: 60_000 });
      expect(stdout).toBe('');
      const lines = JSON.parse(stderr.trim().split('\n').at(-1)!) as string[];
      expect(lines.some((l) => l.startsWith('llama.cpp: '))).toBe(true);
    } finally {
      await rm(join(pkg, '.log-probe.mjs'), { force: true });
    }
  });
});
