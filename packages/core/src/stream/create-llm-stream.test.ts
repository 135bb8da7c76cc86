import { describe, expect, it } from 'vitest';
import { createLLMStream } from './create-llm-stream.js';
import { ServerError } from '../errors/server-error.js';
import { LLMError } from '../errors/llm-error.js';
import type { LLMResponse } from '../contract/response.js';

const done = (over: Partial<LLMResponse> = {}): LLMResponse => ({ content: '', model: 'm', provider: 'p', finishReason: 'stop', ...over });

describe('createLLMStream', () => {
  it('yields chunks and resolves the final response with content equal to the chunks', async () => {
    const stream = createLLMStream({
      provider: 'p',
      async *source() {
        yield { type: 'text', text: 'a' };
        yield { type: 'text', text: '' };
        yield { type: 'text', text: 'b' };
        return done({ content: 'ignored' });
      },
    });
    const chunks: string[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks).toEqual(['a', 'b']);
    await expect(stream.response).resolves.toMatchObject({ content: 'ab', finishReason: 'stop' });
  });

  it('a source that ends without a final response is an incomplete stream, not a clean end', async () => {
    const stream = createLLMStream({
      provider: 'p',
      async *source() {
        yield { type: 'text', text: 'half' };
        return undefined;
      },
    });
    const err = await stream.collect().catch((e: unknown) => e);
    expect(LLMError.isInstance(err) && err.code).toBe('INCOMPLETE_STREAM');
    expect((err as { partialText: string }).partialText).toBe('half');
  });

  it('an error before the first chunk stays the typed error; after it, it becomes INCOMPLETE_STREAM with the cause', async () => {
    const before = createLLMStream({
      provider: 'p',
      // eslint-disable-next-line require-yield
      async *source() {
        throw new ServerError('boom', { provider: 'p' });
      },
    });
    await expect(before.collect()).rejects.toMatchObject({ code: 'SERVER_ERROR' });

    const after = createLLMStream({
      provider: 'p',
      async *source() {
        yield { type: 'text', text: 'x' };
        throw new ServerError('boom', { provider: 'p' });
      },
    });
    const err = (await after.collect().catch((e: unknown) => e)) as LLMError & { partialText: string };
    expect(err.code).toBe('INCOMPLETE_STREAM');
    expect(err.partialText).toBe('x');
    expect((err.cause as LLMError).code).toBe('SERVER_ERROR');
  });

  it('breaking out of the loop aborts the source and rejects response with ABORTED', async () => {
    let sawAbort = false;
    let finalized = false;
    const stream = createLLMStream({
      provider: 'p',
      async *source(signal) {
        signal.addEventListener('abort', () => (sawAbort = true));
        try {
          yield { type: 'text', text: '1' };
          yield { type: 'text', text: '2' };
          return done();
        } finally {
          finalized = true;
        }
      },
    });
    for await (const _ of stream) break;
    expect(sawAbort).toBe(true);
    expect(finalized).toBe(true);
    await expect(stream.response).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('can be consumed only once', async () => {
    const stream = createLLMStream({ provider: 'p', async *source() { return done(); } });
    await stream.collect();
    expect(() => stream.events()).toThrow(/already been consumed/);
  });

  it('an unawaited failing response does not raise an unhandled rejection', async () => {
    const stream = createLLMStream({
      provider: 'p',
      // eslint-disable-next-line require-yield
      async *source() {
        throw new ServerError('x');
      },
    });
    await expect((async () => { for await (const _ of stream); })()).rejects.toThrow();
  });

  it('response is the same promise however often it is read, before or after the stream ends', async () => {
    const early = createLLMStream({ provider: 'p', async *source() { yield { type: 'text', text: 'a' }; return done(); } });
    const before = early.response;
    expect(early.response).toBe(before);
    for await (const _ of early);
    expect(early.response).toBe(before);
    await expect(before).resolves.toMatchObject({ content: 'a' });

    // Read only after the end: settled with the same outcome.
    const late = createLLMStream({ provider: 'p', async *source() { yield { type: 'text', text: 'b' }; return done(); } });
    for await (const _ of late);
    await expect(late.response).resolves.toMatchObject({ content: 'b' });
  });

  it('a failed stream rejects response with the very error the loop threw, whenever response is read', async () => {
    const failing = () =>
      createLLMStream({
        provider: 'p',
        async *source() {
          yield { type: 'text', text: 'x' };
          throw new ServerError('boom', { provider: 'p' });
        },
      });
    const readFirst = failing();
    const response = readFirst.response;
    const thrown = await (async () => { for await (const _ of readFirst); })().catch((e: unknown) => e);
    await expect(response).rejects.toBe(thrown);

    const readAfter = failing();
    const thrownAfter = await (async () => { for await (const _ of readAfter); })().catch((e: unknown) => e);
    await expect(readAfter.response).rejects.toBe(thrownAfter);
  });

  it('a response read but never awaited, on a stream that fails, raises no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const readBefore of [true, false]) {
        const stream = createLLMStream({
          provider: 'p',
          // eslint-disable-next-line require-yield
          async *source() {
            throw new ServerError('x');
          },
        });
        if (readBefore) void stream.response;
        await (async () => { for await (const _ of stream); })().catch(() => undefined);
        if (!readBefore) void stream.response;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('collects tool calls into the final response', async () => {
    const stream = createLLMStream({
      provider: 'p',
      async *source() {
        yield { type: 'tool-call', toolCall: { id: '1', name: 't', input: { a: 1 } } };
        return done({ finishReason: 'tool-calls' });
      },
    });
    const events = [];
    for await (const e of stream.events()) events.push(e.type);
    expect(events).toEqual(['tool-call', 'finish']);
    await expect(stream.response).resolves.toMatchObject({ toolCalls: [{ id: '1', name: 't', input: { a: 1 } }] });
  });
});
