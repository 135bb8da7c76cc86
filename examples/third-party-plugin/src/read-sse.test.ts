import { describe, expect, it } from 'vitest';
import { readSse, type ServerSentEvent } from './read-sse.js';

function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const out: ServerSentEvent[] = [];
  for await (const e of readSse(stream)) out.push(e);
  return out;
}

describe('readSse', () => {
  it('splits events on blank lines, whatever the line ending, and across chunk boundaries', async () => {
    const events = await all(body('data: {"a":1}\r\n\r', '\ndata: {"b"', ':2}\n\ndata: [DONE]\r\r'));
    expect(events.map((e) => e.data)).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
  });

  it('skips comments (keep-alive pings), joins multi-line data and reads event names', async () => {
    const events = await all(body(': ping\n\nevent: error\ndata: line one\ndata:line two\n\n'));
    expect(events).toEqual([{ event: 'error', data: 'line one\nline two' }]);
  });

  it('splits a multi-byte character across chunks without mangling it', async () => {
    const bytes = new TextEncoder().encode('data: héllo\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 8));
        c.enqueue(bytes.slice(8));
        c.close();
      },
    });
    expect((await all(stream)).map((e) => e.data)).toEqual(['héllo']);
  });

  it('drops a last event that no blank line closed (a cut stream yields no half event)', async () => {
    const events = await all(body('data: {"whole":true}\n\ndata: {"half'));
    expect(events.map((e) => e.data)).toEqual(['{"whole":true}']);
  });

  it('cancels the body when the reader stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new TextEncoder().encode('data: x\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _ of readSse(stream)) break;
    expect(cancelled).toBe(true);
  });
});
