import { afterEach, describe, expect, it } from 'vitest';
import type { PullProgress } from './pull-progress.js';
import { ollamaHarness, type OllamaHarness } from './test-support/ollama-harness.js';

const LLAMA = { name: 'llama3.2:1b', size: 1_300_000_000, family: 'llama', parameterSize: '1.2B', quantization: 'Q8_0', capabilities: ['completion', 'tools'], contextLength: 131_072 };

describe('Ollama model management', () => {
  let h: OllamaHarness;
  afterEach(() => h?.close());

  it('getModels lists installed tags with size, family, quantization, capabilities and context from /api/show', async () => {
    h = await ollamaHarness({ installed: [{ name: 'qwen2.5:7b', family: 'qwen2', quantization: 'Q4_K_M', size: 4_683_087_332, capabilities: ['completion', 'tools'], contextLength: 32_768 }, { name: 'llava:7b', family: 'llava', capabilities: ['completion', 'vision'] }] });
    const models = await h.provider().getModels();
    expect(models).toEqual([
      expect.objectContaining({
        id: 'qwen2.5:7b',
        provider: 'ollama',
        contextLength: 32_768,
        capabilities: { streaming: true, tools: true, vision: false, json: true },
        details: expect.objectContaining({ size: 4_683_087_332, family: 'qwen2', quantization: 'Q4_K_M' }),
      }),
      expect.objectContaining({ id: 'llava:7b', capabilities: { streaming: true, tools: false, vision: true, json: true } }),
    ]);
    expect(h.standIn.requests.filter((r) => r.path === '/api/show').map((r) => (r.body as { model: string }).model)).toEqual(['qwen2.5:7b', 'llava:7b']);
  });

  it('pulls with progress (callback and async iterable) ending in success, then the model is installed', async () => {
    h = await ollamaHarness({ pullable: [LLAMA], pullSteps: 4 });
    const provider = h.provider();
    const seen: PullProgress[] = [];
    await provider.pullModel('llama3.2:1b', { onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ status: 'pulling manifest' });
    const downloads = seen.filter((p) => p.total !== undefined);
    expect(downloads.map((p) => p.completed)).toEqual([0, 325_000_000, 650_000_000, 975_000_000, 1_300_000_000]);
    expect(downloads.every((p) => p.total === 1_300_000_000)).toBe(true);
    expect(seen.at(-1)).toEqual({ status: 'success' });
    expect(h.standIn.requests.find((r) => r.path === '/api/pull')?.body).toMatchObject({ name: 'llama3.2:1b', stream: true });
    await expect(provider.hasModel('llama3.2:1b')).resolves.toBe(true);

    h.standIn.state.installed.delete('llama3.2:1b');
    const statuses: string[] = [];
    for await (const p of provider.pullProgress('llama3.2:1b')) statuses.push(p.status);
    expect(statuses.at(-1)).toBe('success');
  });

  it('pulling a name the registry does not have is MODEL_NOT_FOUND', async () => {
    h = await ollamaHarness();
    await expect(h.provider().pullModel('no-such-model:1b')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', model: 'no-such-model:1b' });
  });

  it('ensureModelAvailable: present → no pull; missing → pulled; missing with auto-download off → MODEL_NOT_FOUND naming `ollama pull`', async () => {
    h = await ollamaHarness({ pullable: [LLAMA] });
    await expect(h.provider().ensureModelAvailable()).resolves.toBe('present');
    expect(h.standIn.requests.some((r) => r.path === '/api/pull')).toBe(false);

    const off = h.provider({ autoDownload: false });
    const err = await off.ensureModelAvailable('llama3.2:1b').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MODEL_NOT_FOUND', model: 'llama3.2:1b', message: expect.stringContaining('ollama pull llama3.2:1b') });
    expect(h.standIn.requests.some((r) => r.path === '/api/pull')).toBe(false);

    await expect(h.provider().ensureModelAvailable('llama3.2:1b')).resolves.toBe('pulled');
    expect(h.standIn.state.installed.has('llama3.2:1b')).toBe(true);
  });

  it('a call for a missing model pulls it first when auto-download is on, then answers', async () => {
    h = await ollamaHarness({ pullable: [LLAMA] });
    h.arrange({ type: 'text', chunks: ['pulled and ready'] });
    const r = await h.provider().complete([{ role: 'user', content: 'hi' }], { model: 'llama3.2:1b' });
    expect(r.content).toBe('pulled and ready');
    expect(h.standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /api/chat', 'POST /api/show', 'POST /api/pull']),
    );
    expect(h.standIn.requests.filter((r) => r.path === '/api/chat')).toHaveLength(2);
  });

  it('a streamed call for a missing model pulls it too (before the first chunk)', async () => {
    h = await ollamaHarness({ pullable: [LLAMA] });
    h.arrange({ type: 'text', chunks: ['stream', 'ed'] });
    await expect(h.provider().streamComplete([{ role: 'user', content: 'hi' }], { model: 'llama3.2:1b' }).collect()).resolves.toMatchObject({ content: 'streamed' });
    expect(h.standIn.state.installed.has('llama3.2:1b')).toBe(true);
  });

  it('with auto-download off a missing model is MODEL_NOT_FOUND with the pull command, and nothing is pulled', async () => {
    h = await ollamaHarness({ pullable: [LLAMA] });
    const err = await h.provider({ autoDownload: false }).complete([{ role: 'user', content: 'hi' }], { model: 'llama3.2:1b' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MODEL_NOT_FOUND', model: 'llama3.2:1b', retryable: false, status: 404 });
    expect((err as Error).message).toContain('`ollama pull llama3.2:1b`');
    expect(h.standIn.requests.some((r) => r.path === '/api/pull')).toBe(false);
  });

  it('deleteModel removes the tag; deleting it again is MODEL_NOT_FOUND', async () => {
    h = await ollamaHarness({ installed: [LLAMA] });
    const provider = h.provider({ model: 'llama3.2:1b' });
    await provider.deleteModel('llama3.2:1b');
    expect(h.standIn.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/delete', body: { name: 'llama3.2:1b' } });
    expect(h.standIn.state.installed.size).toBe(0);
    await expect(provider.deleteModel('llama3.2:1b')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });

  it('healthCheck: a missing model is degraded with a reason; present but not loaded is ok and marked cold', async () => {
    h = await ollamaHarness({ loaded: [] });
    const cold = await h.provider().healthCheck();
    expect(cold).toMatchObject({ status: 'ok', reachable: true, model: { id: 'qwen2.5:7b', present: true, loaded: false }, details: { version: '0.12.6', cold: true } });
    const missing = await h.provider({ model: 'mistral:7b', autoDownload: false }).healthCheck();
    expect(missing).toMatchObject({ status: 'degraded', model: { present: false, loaded: false }, reason: expect.stringContaining('ollama pull mistral:7b') });
  });
});
