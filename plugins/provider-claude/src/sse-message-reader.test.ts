import { describe, expect, it } from 'vitest';
import { SseMessageReader, type SseMessage } from './sse-message-reader.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function readAll(chunks: Array<string | Uint8Array>, end = true): SseMessage[] {
  const reader = new SseMessageReader();
  const out: SseMessage[] = [];
  for (const chunk of chunks) {
    reader.push(typeof chunk === 'string' ? bytes(chunk) : chunk);
    for (let m = reader.take(); m; m = reader.take()) out.push(m);
  }
  if (end) reader.end();
  for (let m = reader.take(); m; m = reader.take()) out.push(m);
  return out;
}

describe('SseMessageReader', () => {
  it('parses named events with their data', () => {
    expect(readAll(['event: message_start\ndata: {"a":1}\n\nevent: ping\ndata: {}\n\n'])).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: 'ping', data: '{}' },
    ]);
  });

  it('gives a message out as soon as its blank line arrives, not before', () => {
    const reader = new SseMessageReader();
    reader.push(bytes('event: a\ndata: 1\n'));
    expect(reader.take()).toBeUndefined();
    reader.push(bytes('\n'));
    expect(reader.take()).toEqual({ event: 'a', data: '1' });
    expect(reader.take()).toBeUndefined();
  });

  it('accepts CRLF and CR line endings, also when CR and LF arrive in different reads', () => {
    expect(readAll(['event: a\r\ndata: 1\r\n\r\n', 'event: b\rdata: 2\r\r'])).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
    expect(readAll(['event: a\r', '\ndata: 1\r', '\n\r', '\nevent: b\r', 'data: 2\r\r'])).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
    // A read of LF-only lines after one that ended in CR: its first LF still belongs to that CR.
    expect(readAll(['event: a\r', '\ndata: 1\n\nevent: b\ndata: 2\n', '\n'])).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
    expect(readAll(['data: 1\r', '\n\n', 'data: 2\r\n', '\n'])).toEqual([
      { event: null, data: '1' },
      { event: null, data: '2' },
    ]);
  });

  it('joins several data lines with LF and keeps a value without a space after the colon', () => {
    expect(readAll(['data: line one\ndata:line two\ndata\n\n'])).toEqual([{ event: null, data: 'line one\nline two\n' }]);
  });

  it('ignores comments, id, retry and unknown fields', () => {
    expect(readAll([': keep-alive\n\nid: 7\nretry: 100\nevent: a\nfoo: bar\ndata: x\n\n'])).toEqual([{ event: 'a', data: 'x' }]);
  });

  it('decodes a UTF-8 character split across reads, and fields split anywhere', () => {
    const all = bytes('event: content_block_delta\ndata: {"text":"héllo ✓"}\n\n');
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += 3) chunks.push(all.subarray(i, i + 3));
    expect(readAll(chunks)).toEqual([{ event: 'content_block_delta', data: '{"text":"héllo ✓"}' }]);
  });

  it('strips a leading byte order mark', () => {
    expect(readAll([new Uint8Array([0xef, 0xbb, 0xbf]), 'event: a\ndata: 1\n\n'])).toEqual([{ event: 'a', data: '1' }]);
  });

  it('drops a message the body ends in before its blank line', () => {
    expect(readAll(['event: a\ndata: 1\n\nevent: b\ndata: 2\n'])).toEqual([{ event: 'a', data: '1' }]);
    expect(readAll(['event: a\ndata: 1\n\nevent: b\ndata: 2'])).toEqual([{ event: 'a', data: '1' }]);
  });

  it('skips blank lines that close no message', () => {
    expect(readAll(['\n\n\nevent: a\ndata: 1\n\n\n\n'])).toEqual([{ event: 'a', data: '1' }]);
  });
});
