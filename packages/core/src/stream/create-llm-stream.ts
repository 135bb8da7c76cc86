import type { LLMResponse, ToolCall } from '../contract/response.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { LLMStreamEvent, StreamEvent } from '../contract/stream-event.js';
import { AbortedError } from '../errors/aborted-error.js';
import { IncompleteStreamError } from '../errors/incomplete-stream-error.js';
import { LLMError } from '../errors/llm-error.js';
import { ProviderError } from '../errors/provider-error.js';

/**
 * A provider's stream: an async generator of events that *returns* the final response. Returning
 * nothing means the backend never said it was done, which is treated as a cut stream.
 */
export type StreamSource = (signal: AbortSignal) => AsyncGenerator<StreamEvent, LLMResponse | undefined, void>;

export interface CreateLLMStreamOptions {
  provider: string;
  source: StreamSource;
  /** Cancels the stream; also given (merged with the stream's own) to the source. */
  signal?: AbortSignal | undefined;
  /** Turns what the source threw into the typed error (deadlines, caller aborts, SDK errors). */
  mapError?: ((error: unknown) => unknown) | undefined;
  /** Runs once when the stream is over, however it ended. */
  onSettled?: (() => void) | undefined;
}

/** Builds an `LLMStream` from a provider's event source, enforcing the stream contract. */
export function createLLMStream(options: CreateLLMStreamOptions): LLMStream {
  return new LLMStreamImpl(options);
}

class LLMStreamImpl implements LLMStream {
  readonly response: Promise<LLMResponse>;
  #provider: string;
  #options: CreateLLMStreamOptions;
  #consumed = false;
  #settled = false;
  #text = '';
  #toolCalls: ToolCall[] = [];
  #resolve!: (r: LLMResponse) => void;
  #reject!: (e: unknown) => void;
  #controller = new AbortController();

  constructor(options: CreateLLMStreamOptions) {
    this.#options = options;
    this.#provider = options.provider;
    this.response = new Promise<LLMResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Nobody has to await `response`; its rejection must not crash the process as unhandled.
    this.response.catch(() => undefined);
  }

  get text(): string {
    return this.#text;
  }

  get provider(): string {
    return this.#provider;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    for await (const event of this.events()) {
      if (event.type === 'text') yield event.text;
    }
  }

  events(): AsyncIterable<LLMStreamEvent> {
    if (this.#consumed) throw new ProviderError('This stream has already been consumed', { provider: this.#provider });
    this.#consumed = true;
    return this.#run();
  }

  async collect(): Promise<LLMResponse> {
    for await (const _ of this.events()) {
      // Draining: the final response settles `response`.
    }
    return this.response;
  }

  async *#run(): AsyncGenerator<LLMStreamEvent, void, undefined> {
    const outer = this.#options.signal;
    // Linked by hand: AbortSignal.any allocates weak references per call, a measurable cost on
    // every stream at every layer.
    const signal = this.#controller.signal;
    const onOuterAbort = () => this.#controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    let source: AsyncGenerator<StreamEvent, LLMResponse | undefined, void> | undefined;
    try {
      if (outer?.aborted) throw new AbortedError(`${this.#provider}: the call was aborted`, { provider: this.#provider, cause: outer.reason });
      source = this.#options.source(signal);
      for (;;) {
        let step: IteratorResult<StreamEvent, LLMResponse | undefined>;
        try {
          step = await source.next();
        } catch (error) {
          throw this.#classify(error);
        }
        if (step.done) {
          if (!step.value) {
            throw new IncompleteStreamError(`${this.#provider}: the stream ended without the backend saying it was complete`, {
              provider: this.#provider,
              partialText: this.#text,
              partialToolCalls: this.#toolCalls,
            });
          }
          const toolCalls = step.value.toolCalls ?? (this.#toolCalls.length > 0 ? this.#toolCalls : undefined);
          // The chunks are the truth: the final content is exactly what the consumer was given.
          const response: LLMResponse = { ...step.value, content: this.#text, ...(toolCalls ? { toolCalls } : {}) };
          this.#provider = response.provider;
          this.#settle(response);
          yield { type: 'finish', response };
          return;
        }
        const event = step.value;
        if (event.type === 'text') {
          if (event.text.length === 0) continue;
          this.#text += event.text;
        } else {
          this.#toolCalls.push(event.toolCall);
        }
        yield event;
      }
    } catch (error) {
      this.#settle(undefined, error);
      throw error;
    } finally {
      if (!this.#settled) {
        // The consumer left the loop early: stop the backend and say so to anyone awaiting `response`.
        this.#controller.abort(new AbortedError('the stream consumer stopped reading'));
        this.#settle(undefined, new AbortedError(`${this.#provider}: the stream was closed by its consumer before it ended`, { provider: this.#provider }));
      }
      if (source) await source.return(undefined).catch(() => undefined);
      outer?.removeEventListener('abort', onOuterAbort);
      this.#options.onSettled?.();
    }
  }

  #classify(error: unknown): unknown {
    const mapped = this.#options.mapError ? this.#options.mapError(error) : error;
    if (LLMError.isInstance(mapped) && (mapped.code === 'INCOMPLETE_STREAM' || mapped.code === 'ABORTED')) return mapped;
    const started = this.#text.length > 0 || this.#toolCalls.length > 0;
    if (!started) {
      return LLMError.isInstance(mapped)
        ? mapped
        : new ProviderError(`${this.#provider}: ${mapped instanceof Error ? mapped.message : String(mapped)}`, { provider: this.#provider, cause: mapped });
    }
    const reason = mapped instanceof Error ? mapped.message : String(mapped);
    return new IncompleteStreamError(`${this.#provider}: the stream failed after ${this.#text.length} characters: ${reason}`, {
      provider: this.#provider,
      partialText: this.#text,
      partialToolCalls: this.#toolCalls,
      cause: mapped,
      status: LLMError.isInstance(mapped) ? mapped.status : undefined,
    });
  }

  #settle(response: LLMResponse | undefined, error?: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    if (response) this.#resolve(response);
    else this.#reject(error);
  }
}
