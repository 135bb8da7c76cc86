import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LLMError } from '@autoarr-llm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeModelDir, writeTinyModel } from './test-support/tiny-model.js';
import { CustomModelSettingsSchema } from './custom-model-settings.js';
import { downloadModel, type DownloadProgress } from './download-model.js';
import { resolveModelFile } from './resolve-model-file.js';

let dir: string;
let cleanup: () => Promise<void>;
let body: Buffer;
let sha: string;
let server: Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  ({ dir, cleanup } = await makeModelDir());
  body = await readFile(await writeTinyModel(dir, 'Q4_0', 'served'));
  sha = createHash('sha256').update(body).digest('hex');
  server = createServer((req, res) => {
    hits++;
    if (req.url?.startsWith('/models/premium.q4_0.gguf')) {
      res.writeHead(200, { 'content-length': body.length });
      // Two writes so progress is reported more than once.
      res.write(body.subarray(0, body.length >> 1));
      setTimeout(() => res.end(body.subarray(body.length >> 1)), 5);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await cleanup();
});

describe('model download', () => {
  it('downloads into the cache with progress, verifies the sha256, reuses the cached file, and resolves it as the model', async () => {
    const cacheDir = join(dir, 'cache-ok');
    const progress: DownloadProgress[] = [];
    const url = `${base}/models/premium.q4_0.gguf?token=abc`;
    const path = await downloadModel(url, { cacheDir, sha256: sha, onProgress: (p) => progress.push(p) });
    expect(await readFile(path)).toEqual(body);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ url: `${base}/models/premium.q4_0.gguf`, receivedBytes: body.length, totalBytes: body.length });
    const before = hits;
    expect(await downloadModel(url, { cacheDir, sha256: sha })).toBe(path);
    expect(hits).toBe(before);
    const resolved = await resolveModelFile(CustomModelSettingsSchema.parse({ modelPath: url, modelSha256: sha, cacheDir, quantization: '4bit' }));
    expect(resolved.selected.path).toBe(path);
    expect(resolved.selected.precision).toBe('4bit');
  });

  it('a checksum mismatch is a typed error and leaves nothing in the cache', async () => {
    const cacheDir = join(dir, 'cache-bad');
    const e = await downloadModel(`${base}/models/premium.q4_0.gguf`, { cacheDir, sha256: 'a'.repeat(64) }).catch((x: unknown) => x);
    expect(LLMError.isInstance(e)).toBe(true);
    expect((e as LLMError).code).toBe('MALFORMED_RESPONSE');
    expect((e as LLMError).message).toContain(sha);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('a missing file on the server is MODEL_NOT_FOUND', async () => {
    const e = await downloadModel(`${base}/models/nope.gguf`, { cacheDir: join(dir, 'cache-404') }).catch((x: unknown) => x);
    expect((e as LLMError).code).toBe('MODEL_NOT_FOUND');
  });
});

describe('a provider whose model URL fails', () => {
  it('downloads a refused (wrong sha256) or missing model once per provider, however many times it is asked', async () => {
    const { makeTestLicensing } = await import('./test-support/test-license.js');
    const { createCustomModel } = await import('./create-custom-model.js');
    const lic = makeTestLicensing();
    for (const [path, sha256, code] of [['/models/premium.q4_0.gguf', 'b'.repeat(64), 'MALFORMED_RESPONSE'], ['/models/gone.gguf', undefined, 'MODEL_NOT_FOUND']] as const) {
      const p = await createCustomModel(
        { modelPath: `${base}${path}`, ...(sha256 ? { modelSha256: sha256 } : {}), cacheDir: join(dir, `cache-once-${code}`), device: 'cpu', threads: 1, license: lic.issue() },
        { licensePublicKey: lic.publicKey },
      );
      const before = hits;
      expect(await p.isAvailable()).toBe(false);
      expect((await p.healthCheck()).status).toBe('down');
      const e = await p.complete([{ role: 'user', content: 'hi' }], { maxTokens: 2 }).catch((x: unknown) => x);
      expect((e as LLMError).code).toBe(code);
      expect(hits - before).toBe(1);
      await p.dispose();
    }
  });
});
