import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ollamaHarness, type OllamaHarness } from './test-support/ollama-harness.js';

async function eventually(check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('per-request cancellation (ollama-js #274)', () => {
  let h: OllamaHarness;
  beforeAll(async () => {
    h = await ollamaHarness();
  });
  afterAll(() => h.close());

  it('aborting one stream stops it on the server while another stream on the same provider runs to completion', async () => {
    const provider = h.provider();
    h.arrange({ type: 'stall', chunks: ['doomed'] }, { type: 'text', chunks: ['one ', 'two ', 'three ', 'four'], delayMs: 60 });
    const controller = new AbortController();
    const doomed = provider.streamComplete([{ role: 'user', content: 'A' }], { signal: controller.signal });
    const doomedIt = doomed[Symbol.asyncIterator]();
    await doomedIt.next();

    const survivor = provider.streamComplete([{ role: 'user', content: 'B' }]);
    const survivorIt = survivor[Symbol.asyncIterator]();
    expect((await survivorIt.next()).value).toBe('one ');
    expect(h.inFlight()).toBe(2);

    controller.abort();
    await expect(doomedIt.next()).rejects.toMatchObject({ code: 'ABORTED' });
    // The aborted request's connection is gone; the other one is still being served.
    await eventually(() => h.inFlight() === 1);

    const rest: string[] = [];
    for (let r = await survivorIt.next(); !r.done; r = await survivorIt.next()) rest.push(r.value);
    expect(rest.join('')).toBe('two three four');
    await expect(survivor.response).resolves.toMatchObject({ content: 'one two three four', finishReason: 'stop' });
    await eventually(() => h.inFlight() === 0);
  });

  it('aborting a non-streamed call stops it on the server too (ollama-js passes no signal there)', async () => {
    const provider = h.provider();
    h.arrange({ type: 'hang' }, { type: 'text', chunks: ['still fine'], delayMs: 0 });
    const controller = new AbortController();
    const hung = provider.complete([{ role: 'user', content: 'A' }], { signal: controller.signal });
    await eventually(() => h.inFlight() === 1);
    const other = provider.complete([{ role: 'user', content: 'B' }]);
    controller.abort();
    await expect(hung).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(other).resolves.toMatchObject({ content: 'still fine' });
    await eventually(() => h.inFlight() === 0);
  });

  it('dispose ends the provider\'s open requests', async () => {
    const provider = h.provider();
    h.arrange({ type: 'stall', chunks: ['x'] });
    const stream = provider.streamComplete([{ role: 'user', content: 'A' }]);
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    await provider.dispose();
    await expect(it.next()).rejects.toBeDefined();
    await eventually(() => h.inFlight() === 0);
  });
});
