import { MalformedResponseError, parseStructuredOutput, type LLMResponse, type ResolvedCallOptions, type StreamEvent, type StreamEventIterator } from '@autoarr-llm/core';
import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { AnthropicStreamAccumulator } from './anthropic-stream-accumulator.js';
import { SseMessageReader, type SseMessage } from './sse-message-reader.js';
import { readTextDelta } from './text-delta.js';

type Step = IteratorResult<StreamEvent, LLMResponse | undefined>;
type RequestOptions = NonNullable<Parameters<Anthropic['messages']['create']>[1]>;

const DONE: Step = Object.freeze({ done: true, value: undefined }) as Step;

/** The cancellation the stream's request follows: when it is aborted, its reason is the stream's outcome. */
export interface StreamCancel {
  readonly aborted: boolean;
  readonly reason: unknown;
}

/**
 * The streamed Messages API call as core events. The SDK sends the request (auth, headers, typed
 * HTTP errors); the event-stream body is read here, as a hand-written iterator that drains every
 * event a network read brought before awaiting the next read: one promise per core event, where
 * the SDK's stream spends two async generators per API event. A class, not closures: one object
 * per stream in flight.
 */
export class ClaudeEventStream implements StreamEventIterator {
  readonly #provider: string;
  readonly #client: Anthropic;
  readonly #params: MessageCreateParamsStreaming;
  readonly #requestOptions: RequestOptions;
  readonly #options: ResolvedCallOptions;
  readonly #cancel: StreamCancel;
  readonly #release: { release(): void } | undefined;
  // The parser and the accumulator are made when the response arrives: a stream waiting for its
  // answer holds only what it needs to send the request.
  #acc: AnthropicStreamAccumulator | undefined;
  #sse: SseMessageReader | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** The next body read, started as soon as the previous one was parsed (see `next`). */
  #pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | undefined;
  #headers: Headers | undefined;
  #bodyDone = false;
  #ended = false;

  constructor(
    provider: string,
    client: Anthropic,
    params: MessageCreateParamsStreaming,
    requestOptions: RequestOptions,
    options: ResolvedCallOptions,
    cancel: StreamCancel,
    release: { release(): void } | undefined,
  ) {
    this.#provider = provider;
    this.#client = client;
    this.#params = params;
    this.#requestOptions = requestOptions;
    this.#options = options;
    this.#cancel = cancel;
    this.#release = release;
  }

  next(): Promise<Step> {
    if (this.#ended) return Promise.resolve(DONE);
    if (this.#reader) return this.#read(this.#reader);
    // The first step sends the request and waits for the answer as a continuation, not as a
    // suspended async function: every stream in flight holds what it waits with, and most of a
    // stream's life is that wait.
    let answer: Promise<Response>;
    try {
      answer = this.#client.messages.create(this.#params, this.#requestOptions).asResponse();
    } catch (error) {
      return Promise.reject(this.#failed(error));
    }
    return answer.then(
      (response) => this.#answered(response),
      (error: unknown) => {
        throw this.#failed(error);
      },
    );
  }

  #answered(response: Response): Promise<Step> {
    if (this.#ended) {
      // The consumer left while the request was on its way: do not leave the answer open.
      response.body?.cancel().catch(ignore);
      return Promise.resolve(DONE);
    }
    this.#headers = response.headers;
    if (!response.body) return Promise.reject(this.#failed(new MalformedResponseError(`${this.#provider}: the streamed answer has no body`, { provider: this.#provider })));
    const reader = response.body.getReader();
    this.#reader = reader;
    this.#sse = new SseMessageReader();
    this.#acc = new AnthropicStreamAccumulator(this.#provider, this.#params.model);
    return this.#read(reader);
  }

  /** Hands out the events of the body, reading more of it when those read so far are used up. */
  async #read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Step> {
    if (this.#ended) return DONE;
    const sse = this.#sse as SseMessageReader;
    const acc = this.#acc as AnthropicStreamAccumulator;
    try {
      for (;;) {
        const message = sse.take();
        if (message) {
          const delta = message.event === 'content_block_delta' ? readTextDelta(message.data) : undefined;
          const event = delta ? acc.textDelta(delta.index, delta.text) : acc.push(this.#eventData(message));
          if (event) return { done: false, value: event };
          continue;
        }
        if (acc.stopped || this.#bodyDone) return this.#finish(acc);
        const pending = this.#pending;
        this.#pending = undefined;
        const chunk = await (pending ?? reader.read());
        if (chunk.done) {
          this.#bodyDone = true;
          sse.end();
        } else {
          sse.push(chunk.value);
          // Ask for the next bytes now, while the events of this read are handed out: the body
          // keeps flowing instead of the socket pausing until the consumer comes back for more.
          if (!acc.stopped) {
            this.#pending = reader.read();
            this.#pending.catch(ignore);
          }
        }
      }
    } catch (error) {
      throw this.#failed(error);
    }
  }

  /** Ends the stream after a failure, and says what to throw. */
  #failed(error: unknown): unknown {
    this.#close(true);
    // An abort surfaces as whatever the body read threw; the abort's reason is the real outcome.
    if (this.#cancel.aborted && this.#cancel.reason !== undefined) return this.#cancel.reason;
    return error;
  }

  async return(): Promise<Step> {
    if (!this.#ended) this.#close(true);
    return DONE;
  }

  #close(cancel: boolean): void {
    this.#ended = true;
    this.#release?.release();
    // A stream that ends early (error, consumer gone, cut) must not leave the HTTP request open.
    if (cancel && this.#reader && !this.#bodyDone) this.#reader.cancel().catch(ignore);
  }

  #finish(acc: AnthropicStreamAccumulator): Step {
    // The body's end usually arrives with message_stop: one more read lets the connection be
    // reused; anything but the end means the server went on talking, and the request is cancelled.
    if (acc.stopped && this.#reader && !this.#bodyDone) {
      const r = this.#reader;
      const pending = this.#pending;
      this.#pending = undefined;
      (pending ?? r.read()).then((step) => (step.done ? undefined : r.cancel()), ignore).catch(ignore);
    }
    this.#close(!acc.stopped);
    if (!acc.stopped) return DONE;
    const response = acc.response();
    if (this.#options.responseFormat?.type === 'json') parseStructuredOutput(response.content, this.#options.responseFormat.schema, this.#provider, response.model);
    return { done: true, value: response };
  }

  /** One event-stream message as the API event it carries; `undefined` for pings; API errors thrown as the SDK types them. */
  #eventData(message: SseMessage): unknown {
    if (message.event === 'ping' || message.event === null || message.data.length === 0) return undefined;
    if (message.event === 'error') {
      let body: unknown = message.data;
      try {
        body = JSON.parse(message.data);
      } catch {
        // Not JSON: the raw text is the error's body.
      }
      const type = (body as { error?: { type?: unknown } } | undefined)?.error?.type;
      throw new APIError(undefined, body as object, undefined, this.#headers ?? new Headers(), (typeof type === 'string' ? type : undefined) as ConstructorParameters<typeof APIError>[4]);
    }
    try {
      return JSON.parse(message.data);
    } catch {
      throw new MalformedResponseError(`${this.#provider}: malformed stream: the data of a ${message.event} event is not JSON`, { provider: this.#provider });
    }
  }
}

function ignore(): undefined {
  return undefined;
}
