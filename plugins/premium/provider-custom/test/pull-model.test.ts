import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LLMError } from '@autoarr-llm/core';
import { writeGgufModel } from '@autoarr-llm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomModel } from '../src/create-custom-model.js';
import { makeTestLicensing } from '../src/test-support/test-license.js';

// A model server on 127.0.0.1 that serves the TinyStories model with range requests, as
// Hugging Face and any static file server do, and breaks off mid-file the first time each file
// is transferred from its start.
const fixture = fileURLToPath(new URL('./fixtures/stories260K.gguf', import.meta.url));
const lic = makeTestLicensing();
let served: Buffer;
/** A generated model of ~13 MB: the downloader resumes in 5 MiB chunks, so a break after the first one shows. */
let big: Buffer;
let sha: string;
let server: Server;
let base: string;
let dir: string;
const requests: Array<{ url: string; range: string | undefined }> = [];
const brokenOnce = new Set<string>();

function serve(req: IncomingMessage, res: import('node:http').ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  requests.push({ url: url.pathname, range: req.headers.range });
  const body = url.pathname.endsWith('/big.gguf') ? big : url.pathname.endsWith('/stories260K.gguf') ? served : undefined;
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Number(range[2]) : body.length - 1;
  const headers = { 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream', 'content-length': String(end - start + 1), etag: '"stories260K"' };
  if (req.method === 'HEAD') {
    res.writeHead(200, { ...headers, 'content-length': String(body.length) }).end();
    return;
  }
  if (range) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${body.length}` });
  else res.writeHead(200, headers);
  // node-llama-cpp's downloader (ipull) first probes with a plain GET it drops after the headers;
  // the transfer proper asks for a range, and that is what breaks once.
  if (range && start === 0 && !brokenOnce.has(url.pathname)) {
    brokenOnce.add(url.pathname);
    // Seven tenths of the file, then the connection drops.
    res.write(body.subarray(0, Math.floor(body.length * 0.7)), () => setTimeout(() => res.destroy(), 50));
    return;
  }
  res.end(body.subarray(start, end + 1));
}

beforeAll(async () => {
  served = await readFile(fixture);
  sha = createHash('sha256').update(served).digest('hex');
  dir = await mkdtemp(join(tmpdir(), 'autoarr-pull-'));
  await writeGgufModel(join(dir, 'big.gguf'), { fileType: 'Q8_0', embeddingLength: 512, blockCount: 4, vocabSize: 8000, seed: 3 });
  big = await readFile(join(dir, 'big.gguf'));
  server = createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

async function pullUntilDone(p: Awaited<ReturnType<typeof createCustomModel>>, uri: string, endpoint?: string): Promise<{ path: string; attempts: number; progress: number[] }> {
  const progress: number[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const { path } = await p.pullModel(uri, { onProgress: (s) => progress.push(s.completed), ...(endpoint ? { huggingFaceEndpoint: endpoint } : {}) });
      return { path, attempts: attempt, progress };
    } catch (error) {
      expect(LLMError.isInstance(error), String(error)).toBe(true);
      if (attempt >= 3) throw error;
    }
  }
}

describe('pulling GGUF models (node-llama-cpp downloader, local server with ranges)', () => {
  it('pulls an http URL into the cache dir, resumes after the connection breaks mid-file, checks the sha256, lists and removes it', async () => {
    const cacheDir = join(dir, 'cache-http');
    const p = await createCustomModel({ modelPath: fixture, allowedDirs: [dir, fileURLToPath(new URL('./fixtures/', import.meta.url))], cacheDir, modelSha256: sha, device: 'cpu', threads: 1, license: lic.issue() }, { licensePublicKey: lic.publicKey });
    try {
      const { path, progress } = await pullUntilDone(p, `${base}/files/stories260K.gguf`);
      expect(path.startsWith(cacheDir)).toBe(true);
      expect(createHash('sha256').update(await readFile(path)).digest('hex')).toBe(sha);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toBe(served.length);
      expect(requests.filter((r) => r.url === '/files/stories260K.gguf' && r.range).length).toBeGreaterThanOrEqual(2);
      // A larger file: the break is followed by a ranged request continuing after the chunks already written.
      const q = await createCustomModel({ modelPath: fixture, allowedDirs: [dir, fileURLToPath(new URL('./fixtures/', import.meta.url))], cacheDir: join(dir, 'cache-big'), device: 'cpu', threads: 1, license: lic.issue() }, { licensePublicKey: lic.publicKey });
      try {
        const bigPull = await pullUntilDone(q, `${base}/files/big.gguf`);
        expect((await readFile(bigPull.path)).equals(big)).toBe(true);
        expect(await q.removeModel('big')).toBe(true);
      } finally {
        await q.dispose();
      }
      const fileRequests = requests.filter((r) => r.url === '/files/big.gguf');
      expect(fileRequests.some((r) => r.range !== undefined && !/^bytes=0-/.test(r.range)), JSON.stringify(fileRequests)).toBe(true);
      const listed = await p.getModels();
      expect(listed.map((m) => m.id)).toEqual(['stories260K', expect.stringContaining('stories260K')]);
      expect(listed[1]!.details).toMatchObject({ cached: true, sizeBytes: served.length });
      expect(await p.removeModel(listed[1]!.id)).toBe(true);
      expect((await readdir(cacheDir)).filter((f) => f.endsWith('.gguf'))).toEqual([]);
      expect(await p.removeModel(listed[1]!.id)).toBe(false);
      await expect(p.removeModel('../escape')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    } finally {
      await p.dispose();
    }
  });

  it('resolves hf:<user>/<repo>/<file> through the Hugging Face endpoint (pointed at the local server)', async () => {
    const cacheDir = join(dir, 'cache-hf');
    const p = await createCustomModel({ modelPath: fixture, allowedDirs: [dir, fileURLToPath(new URL('./fixtures/', import.meta.url))], cacheDir, device: 'cpu', threads: 1, license: lic.issue() }, { licensePublicKey: lic.publicKey });
    try {
      const { path } = await pullUntilDone(p, 'hf:karpathy/tinyllamas/stories260K.gguf', `${base}/`);
      expect(requests.some((r) => r.url === '/karpathy/tinyllamas/resolve/main/stories260K.gguf')).toBe(true);
      expect((await readFile(path)).equals(served)).toBe(true);
      await expect(p.pullModel('hf:karpathy/tinyllamas:Q4_K_M')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      await expect(p.pullModel('ftp://example.com/x.gguf')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    } finally {
      await p.dispose();
    }
  });

  it('a pulled file whose sha256 differs is deleted and refused', async () => {
    const cacheDir = join(dir, 'cache-bad');
    const p = await createCustomModel({ modelPath: fixture, allowedDirs: [dir, fileURLToPath(new URL('./fixtures/', import.meta.url))], cacheDir, modelSha256: 'c'.repeat(64), device: 'cpu', threads: 1, license: lic.issue() }, { licensePublicKey: lic.publicKey });
    try {
      brokenOnce.add('/bad/stories260K.gguf');
      const e = await p.pullModel(`${base}/bad/stories260K.gguf`).catch((x: unknown) => x);
      expect((e as LLMError).code).toBe('MALFORMED_RESPONSE');
      expect((await readdir(cacheDir)).filter((f) => f.endsWith('.gguf'))).toEqual([]);
    } finally {
      await p.dispose();
    }
  });
});
