import type { LLMResponse, ToolCall } from '../contract/response.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { LLMStreamEvent, StreamEvent } from '../contract/stream-event.js';
import { AbortedError } from '../errors/aborted-error.js';
import { IncompleteStreamError } from '../errors/incomplete-stream-error.js';
import { LLMError } from '../errors/llm-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { copyResponse } from '../provider/with-signal.js';
import { markCallScoped } from './call-scoped-signal.js';

/**
 * A provider's stream: an async generator of events that *returns* the final response. Returning
 * nothing means the backend never said it was done, which is treated as a cut stream.
 */
export type StreamSource = (signal: AbortSignal) => StreamEventIterator;

/** What a stream source returns: an async generator, or a hand-written iterator (cheaper per chunk). */
export type StreamEventIterator = AsyncIterator<StreamEvent, LLMResponse | undefined, undefined>;

export interface CreateLLMStreamOptions {
  provider: string;
  /** The events; given the stream's signal (the caller's `signal` and the consumer leaving early, merged). */
  source: StreamSource;
  /** Cancels the stream; also given (merged with the stream's own) to the source. */
  signal?: AbortSignal | undefined;
  /** Turns what the source threw into the typed error (deadlines, caller aborts, SDK errors). */
  mapError?: ((error: unknown) => unknown) | undefined;
  /** Runs once when the stream is over, however it ended. */
  onSettled?: (() => void) | undefined;
  /** Sees every event as it passes (after empty text chunks are dropped). */
  onEvent?: ((event: StreamEvent) => void) | undefined;
  /** Sees the source's final result (the response, or undefined when it never said it was done). */
  onSourceDone?: ((response: LLMResponse | undefined) => void) | undefined;
}

/** Builds an `LLMStream` from a provider's event source, enforcing the stream contract. */
export function createLLMStream(options: CreateLLMStreamOptions): LLMStream {
  return new LLMStreamImpl(options, undefined);
}

/** What the pipeline's stream drives itself with (see `createLLMStreamOver`). */
export interface LLMStreamDriver extends Omit<CreateLLMStreamOptions, 'source'> {
  /** Opens the source when the consumer first reads. */
  open(): StreamEventIterator;
  /** The consumer stopped reading before the end. */
  onClose(): void;
  /** The stream's outcome, once: its response, or its error and the text received before it. */
  onOutcome(response: LLMResponse | undefined, error: unknown, partialText: string): void;
  /**
   * Why the stream must end now although its source goes on (the call's deadline passed, or it was
   * aborted), else `undefined`: asked after every step, so a source that keeps yielding is cut.
   */
  halted?(): unknown;
  /** Receives the stream's `interrupt`, which ends a step its source does not answer. */
  attach?(interrupt: (reason: unknown) => void): void;
}

/**
 * An `LLMStream` over a source that handles the caller's signal itself and stops its backend when
 * its iterator is returned (the pipeline's chain): no controller of the stream's own. The driver
 * is called as an object (its methods keep their `this`): one object per stream, not a closure
 * per hook.
 */
export function createLLMStreamOver(driver: LLMStreamDriver): LLMStream {
  const stream = new LLMStreamImpl(driver, driver);
  driver.attach?.((reason) => stream.interrupt(reason));
  return stream;
}

const DONE: IteratorReturnResult<void> = Object.freeze({ done: true, value: undefined });

const ignore = (): void => undefined;

class LLMStreamImpl implements LLMStream, AsyncIterator<string, void, undefined> {
  #provider: string;
  readonly #options: CreateLLMStreamOptions;
  readonly #driver: LLMStreamDriver | undefined;
  #consumed = false;
  #textOnly = true;
  #settled = false;
  #done = false;
  #cleaned = false;
  #text = '';
  #toolCalls: ToolCall[] | undefined;
  // The outcome, and the promise of it, created only when someone reads `response`.
  #result: LLMResponse | undefined;
  #error: unknown;
  #response: Promise<LLMResponse> | undefined;
  #resolve: ((r: LLMResponse) => void) | undefined;
  #reject: ((e: unknown) => void) | undefined;
  /** Only for a `source` that takes a signal: created when the stream starts. */
  #controller: AbortController | undefined;
  #source: StreamEventIterator | undefined;
  #onOuterAbort: (() => void) | undefined;
  /** Rejects the step being waited for (see `interrupt`). */
  #interrupt: ((reason: unknown) => void) | undefined;
  #pending: Promise<IteratorResult<StreamEvent, LLMResponse | undefined>> | undefined;
  #raceStep:
    | ((resolve: (step: IteratorResult<StreamEvent, LLMResponse | undefined>) => void, reject: (reason: unknown) => void) => void)
    | undefined;

  constructor(options: Omit<CreateLLMStreamOptions, 'source'> & { source?: StreamSource }, driver: LLMStreamDriver | undefined) {
    this.#options = options as CreateLLMStreamOptions;
    this.#driver = driver;
    this.#provider = options.provider;
  }

  /** Settles when the stream ends (a promise built on first read: most consumers never ask). */
  get response(): Promise<LLMResponse> {
    if (!this.#response) {
      if (this.#settled) this.#response = this.#result ? Promise.resolve(this.#result) : Promise.reject(this.#error);
      else {
        this.#response = new Promise<LLMResponse>((resolve, reject) => {
          this.#resolve = resolve;
          this.#reject = reject;
        });
      }
      // Nobody has to await `response`; its rejection must not crash the process as unhandled.
      this.#response.catch(ignore);
    }
    return this.#response;
  }

  get text(): string {
    return this.#text;
  }

  get provider(): string {
    return this.#provider;
  }

  // The stream is its own text iterator, and the iterators are written by hand rather than as
  // async generators: every stream passes through them per chunk, and a generator costs more
  // promise hops than one async `next`.
  [Symbol.asyncIterator](): AsyncIterator<string, void, undefined> {
    this.#claim();
    return this;
  }

  next(): Promise<IteratorResult<string, void>> {
    return this.#pull(this.#textOnly) as Promise<IteratorResult<string, void>>;
  }

  async return(): Promise<IteratorResult<string, void>> {
    await this.#close();
    return { value: undefined, done: true };
  }

  events(): AsyncIterable<LLMStreamEvent> {
    this.#claim();
    this.#textOnly = false;
    const iterator: AsyncIterator<LLMStreamEvent, void, undefined> = {
      next: () => this.#pull(false) as Promise<IteratorResult<LLMStreamEvent, void>>,
      return: async () => {
        await this.#close();
        return { value: undefined, done: true };
      },
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }

  async collect(): Promise<LLMResponse> {
    for await (const _ of this.events()) {
      // Draining: the final response settles `response`.
    }
    return this.response;
  }

  /**
   * Ends the step being waited for with `reason` (the driver's host-enforced end of a call whose
   * source does not answer), as if the source had thrown it.
   */
  interrupt(reason: unknown): void {
    const interrupt = this.#interrupt;
    this.#interrupt = undefined;
    interrupt?.(reason);
  }

  /** The source's next step; with a driver, one that `interrupt` can end. */
  #step(source: StreamEventIterator): Promise<IteratorResult<StreamEvent, LLMResponse | undefined>> {
    const pending = source.next();
    if (!this.#driver?.attach) return pending;
    this.#pending = pending;
    // One executor per stream, not a closure per step: this is on the path of every chunk.
    return new Promise((this.#raceStep ??= (resolve, reject) => {
      this.#interrupt = reject;
      (this.#pending as Promise<IteratorResult<StreamEvent, LLMResponse | undefined>>).then(resolve, reject);
    }));
  }

  #claim(): void {
    if (this.#consumed) throw new ProviderError('This stream has already been consumed', { provider: this.#provider });
    this.#consumed = true;
  }

  /**
   * The next event, then the final `finish` event, then done; with `textOnly`, the next text chunk
   * (as the string) and then done. One method for both so that each chunk costs one promise.
   */
  async #pull(textOnly: boolean): Promise<IteratorResult<LLMStreamEvent | string, void>> {
    if (this.#done) return DONE;
    if (!this.#source) {
      const outer = this.#options.signal;
      if (outer?.aborted) return this.#fail(new AbortedError(`${this.#provider}: the call was aborted`, { provider: this.#provider, cause: outer.reason }));
      try {
        if (this.#driver) this.#source = this.#driver.open();
        else {
          const controller = new AbortController();
          this.#controller = controller;
          markCallScoped(controller.signal);
          if (outer) {
            // Linked by hand: AbortSignal.any allocates weak references per call.
            this.#onOuterAbort = () => controller.abort(outer.reason);
            outer.addEventListener('abort', this.#onOuterAbort, { once: true });
          }
          this.#source = this.#options.source(controller.signal);
        }
      } catch (error) {
        return this.#fail(this.#classify(error));
      }
    }
    for (;;) {
      let step: IteratorResult<StreamEvent, LLMResponse | undefined>;
      const source = this.#source;
      try {
        step = await this.#step(source);
      } catch (error) {
        // Interrupted by the host: the source never answered, and is stopped without waiting.
        if (this.#interrupt === undefined && this.#driver?.attach) this.#stop(source);
        this.#interrupt = undefined;
        return this.#fail(this.#classify(error));
      }
      this.#interrupt = undefined;
      const halted = this.#driver?.halted?.();
      if (halted !== undefined) {
        // The call is over (deadline, abort) but the source went on yielding: the host cuts it.
        this.#stop(source);
        return this.#fail(this.#classify(halted));
      }
      if (step.done) {
        this.#options.onSourceDone?.(step.value);
        if (!step.value) {
          return this.#fail(
            new IncompleteStreamError(`${this.#provider}: the stream ended without the backend saying it was complete`, {
              provider: this.#provider,
              partialText: this.#text,
              partialToolCalls: this.#toolCalls ?? [],
            }),
          );
        }
        const toolCalls = step.value.toolCalls ?? this.#toolCalls;
        // The chunks are the truth: the final content is exactly what the consumer was given.
        const response: LLMResponse = copyResponse(step.value, this.#text, toolCalls);
        this.#provider = response.provider;
        this.#done = true;
        this.#settle(response);
        this.#cleanup();
        return textOnly ? DONE : { done: false, value: { type: 'finish', response } };
      }
      const event = step.value;
      if (event.type === 'text') {
        if (event.text.length === 0) continue;
        this.#text += event.text;
      } else {
        (this.#toolCalls ??= []).push(event.toolCall);
      }
      this.#options.onEvent?.(event);
      if (!textOnly) return { done: false, value: event };
      if (event.type === 'text') return { done: false, value: event.text };
    }
  }

  /** Stops a source the host gave up on, without waiting for it (it may never answer). */
  #stop(source: StreamEventIterator): void {
    try {
      void source.return?.(undefined)?.catch(ignore);
    } catch {
      // A source that throws on return is stopped as far as the host is concerned.
    }
  }

  #fail(error: unknown): never {
    this.#done = true;
    this.#settle(undefined, error);
    this.#cleanup();
    throw error;
  }

  /** The consumer stopped reading: stop the backend and say so to anyone awaiting `response`. */
  async #close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (!this.#settled) {
      this.#controller?.abort(new AbortedError('the stream consumer stopped reading'));
      this.#driver?.onClose();
      this.#settle(undefined, new AbortedError(`${this.#provider}: the stream was closed by its consumer before it ended`, { provider: this.#provider }));
    }
    if (this.#source?.return) await this.#source.return(undefined).catch(() => undefined);
    this.#cleanup();
  }

  #cleanup(): void {
    if (this.#cleaned) return;
    this.#cleaned = true;
    if (this.#onOuterAbort) this.#options.signal?.removeEventListener('abort', this.#onOuterAbort);
    this.#options.onSettled?.();
  }

  #classify(error: unknown): unknown {
    const mapped = this.#options.mapError ? this.#options.mapError(error) : error;
    // A structured-output failure comes after the whole answer arrived: the stream is not incomplete.
    if (LLMError.isInstance(mapped) && (mapped.code === 'INCOMPLETE_STREAM' || mapped.code === 'ABORTED' || mapped.code === 'STRUCTURED_OUTPUT_INVALID')) return mapped;
    const started = this.#text.length > 0 || this.#toolCalls !== undefined;
    if (!started) {
      return LLMError.isInstance(mapped)
        ? mapped
        : new ProviderError(`${this.#provider}: ${mapped instanceof Error ? mapped.message : String(mapped)}`, { provider: this.#provider, cause: mapped });
    }
    const reason = mapped instanceof Error ? mapped.message : String(mapped);
    return new IncompleteStreamError(`${this.#provider}: the stream failed after ${this.#text.length} characters: ${reason}`, {
      provider: this.#provider,
      partialText: this.#text,
      partialToolCalls: this.#toolCalls ?? [],
      cause: mapped,
      status: LLMError.isInstance(mapped) ? mapped.status : undefined,
    });
  }

  #settle(response: LLMResponse | undefined, error?: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#result = response;
    this.#error = error;
    if (response) this.#resolve?.(response);
    else this.#reject?.(error);
    this.#driver?.onOutcome(response, error, this.#text);
  }
}
