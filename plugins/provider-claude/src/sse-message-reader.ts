/** One server-sent event: its `event` name (null when the block named none) and its joined `data` lines. */
export interface SseMessage {
  event: string | null;
  data: string;
}

/**
 * An incremental server-sent-events parser (the WHATWG event-stream format): bytes in, whole
 * messages out, with no promise per message. The provider reads the HTTP body itself and drains
 * every message a network read brought before it awaits the next read; the SDK's own stream runs
 * each message through two async generators, which is most of a streamed call's client-side cost.
 *
 * Lines end in LF, CRLF or CR (also when the CR and the LF arrive in different reads); `data`
 * lines are joined with LF; comments, `id` and `retry` are ignored; a UTF-8 sequence split across
 * reads is decoded whole; a block the body ends in without its blank line is dropped, as the
 * format requires.
 */
export class SseMessageReader {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #queue: SseMessage[] = [];
  #head = 0;
  #text = '';
  /** The previous read ended in CR: a LF starting the next one belongs to that line ending. */
  #pendingCR = false;
  #event: string | null = null;
  #data: string | undefined;
  #ended = false;

  /** Parses a chunk of the body; the messages it completes become available to `take`. */
  push(chunk: Uint8Array): void {
    this.#lines(this.#decoder.decode(chunk, { stream: true }));
  }

  /** The body ended: flushes the decoder (a half line left over is no message). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const rest = this.#decoder.decode();
    if (rest) this.#lines(rest);
    // A last line without its line ending, and a block without its blank line, are no message.
    this.#text = '';
    this.#event = null;
    this.#data = undefined;
  }

  /** The next complete message, or undefined until more of the body is pushed. */
  take(): SseMessage | undefined {
    if (this.#head === this.#queue.length) return undefined;
    const message = this.#queue[this.#head++] as SseMessage;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    return message;
  }

  #lines(decoded: string): void {
    const text = this.#text.length > 0 ? this.#text + decoded : decoded;
    let start = 0;
    if (this.#pendingCR) {
      this.#pendingCR = false;
      if (text.charCodeAt(0) === 0x0a) start = 1;
    }
    const length = text.length;
    if (text.indexOf('\r', start) === -1) {
      // Lines that end in LF only (what the API sends): the native search finds each end.
      for (let i = text.indexOf('\n', start); i !== -1; i = text.indexOf('\n', start)) {
        this.#line(text, start, i);
        start = i + 1;
      }
      this.#text = start === 0 ? text : text.slice(start);
      return;
    }
    for (let i = start; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      this.#line(text, start, i);
      if (c === 0x0d) {
        if (i + 1 === length) this.#pendingCR = true;
        else if (text.charCodeAt(i + 1) === 0x0a) i++;
      }
      start = i + 1;
    }
    this.#text = start === 0 ? text : text.slice(start);
  }

  // Fields are read in place in the decoded text: only a value is sliced out, never the line.
  #line(text: string, start: number, end: number): void {
    if (start === end) {
      this.#dispatch();
      return;
    }
    let colon = text.indexOf(':', start);
    if (colon >= end) colon = -1;
    if (colon === start) return; // a comment
    const nameEnd = colon === -1 ? end : colon;
    const nameLength = nameEnd - start;
    let value = '';
    if (colon !== -1) value = text.slice(text.charCodeAt(colon + 1) === 0x20 && colon + 1 < end ? colon + 2 : colon + 1, end);
    if (nameLength === 4 && text.startsWith('data', start)) this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
    else if (nameLength === 5 && text.startsWith('event', start)) this.#event = value;
    // id, retry and unknown fields mean nothing to this API.
  }

  #dispatch(): void {
    if (this.#data !== undefined || this.#event !== null) this.#queue.push({ event: this.#event, data: this.#data ?? '' });
    this.#event = null;
    this.#data = undefined;
  }
}
