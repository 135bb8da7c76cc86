import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOllama } from './create-ollama.js';
import type { OllamaProvider } from './ollama-provider.js';

// Runs only when a real Ollama answers at OLLAMA_URL (default localhost:11434); skipped otherwise.
const baseUrl = process.env['OLLAMA_URL'] ?? 'http://localhost:11434';
let reachable = false;
try {
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/api/version`, { signal: AbortSignal.timeout(1_000) });
  reachable = res.ok;
} catch {
  reachable = false;
}

describe.skipIf(!reachable)(`real Ollama at ${baseUrl}`, () => {
  let provider: OllamaProvider;
  let model: string | undefined;
  beforeAll(async () => {
    // Use what is installed (never pull gigabytes in a test), preferring OLLAMA_MODEL.
    provider = createOllama({ baseUrl, autoDownload: false, ...(process.env['OLLAMA_MODEL'] ? { model: process.env['OLLAMA_MODEL'] } : {}) });
    const models = await provider.getModels();
    model = models.find((m) => m.id === provider.model)?.id ?? models[0]?.id;
  });
  afterAll(() => provider?.dispose());

  it('is available and healthy', async () => {
    await expect(provider.isAvailable()).resolves.toBe(true);
    expect((await provider.healthCheck()).reachable).toBe(true);
  });

  it('completes and streams with an installed model', async (ctx) => {
    if (!model) ctx.skip();
    const r = await provider.complete([{ role: 'user', content: 'Reply with the single word: pong' }], { model, maxTokens: 16, temperature: 0 });
    expect(r.content.length).toBeGreaterThan(0);
    expect(r.usage?.source).toBe('reported');
    const stream = provider.streamComplete([{ role: 'user', content: 'Count: 1, 2, 3' }], { model, maxTokens: 16 });
    const chunks: string[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.join('')).toBe((await stream.response).content);
  }, 300_000);

  it('an unknown model is MODEL_NOT_FOUND with auto-download off', async () => {
    await expect(provider.complete([{ role: 'user', content: 'x' }], { model: 'autoarr-no-such-model:0b' })).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});
