import type { CallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import { ServerError } from '../errors/server-error.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { hasOpenEvents, streamEventsOf, type OpenedEvents } from '../stream/stream-event-source.js';
import { withSignal } from '../provider/with-signal.js';
import { AttemptController } from './attempt-controller.js';
import type { CallAbort } from './call-abort-scope.js';
import { callContextOf, type CallContext, type StreamHooks } from './call-context.js';
import { codeOf, type MemberPolicy } from './member-policy.js';

type Step = IteratorResult<StreamEvent, LLMResponse | undefined>;

const DONE: Step = Object.freeze({ done: true, value: undefined }) as Step;

/** Marks "no failure yet" where `undefined` could be a thrown value. */
const NO_FAILURE: unique symbol = Symbol('no failure');

function isCutBeforeOutput(step: Step, chunks: number): boolean {
  return step.done === true && step.value === undefined && chunks === 0;
}

/**
 * One chain member's stream: attempts (breaker, rate limit, retries before the first chunk),
 * per-attempt deadlines (first chunk, idle) and the attempt records, over the provider's own event
 * iterator. A class rather than closures: every stream in flight holds one, and one object with
 * fields is a fraction of the memory of a dozen closures and their contexts (memory the garbage
 * collector copies for every stream alive at a scavenge).
 *
 * Once the first chunk is out and the pipeline's stream takes the hooks (see
 * `CallContext.streamHooks`), `next` is the provider's own.
 */
export class MemberStream implements StreamEventIterator, StreamHooks {
  readonly #p: MemberPolicy;
  readonly #inner: LLMProvider;
  readonly #messages: LLMMessage[];
  readonly #options: CallOptions;
  readonly #signal: CallAbort;
  readonly #estimate: number;
  readonly #context: CallContext | undefined;
  #attempt = 0;
  #ctl: AttemptController | undefined;
  #events: StreamEventIterator | undefined;
  #opened: OpenedEvents | undefined;
  /** The provider's iterator, once the pipeline's stream calls the hooks: `next` goes straight to it. */
  #direct: StreamEventIterator | undefined;
  #started = 0;
  #chunks = 0;
  #finished = false;

  constructor(policy: MemberPolicy, inner: LLMProvider, messages: LLMMessage[], options: CallOptions, signal: CallAbort) {
    this.#p = policy;
    this.#inner = inner;
    this.#messages = messages;
    this.#options = options;
    this.#signal = signal;
    this.#estimate = policy.estimate(messages, options.maxTokens);
    this.#context = callContextOf(options);
  }

  next(): Promise<Step> {
    if (this.#direct) return this.#finished ? Promise.resolve(DONE) : this.#direct.next();
    if (this.#attempt === 0 && !this.#finished) return this.#first();
    return this.#next(undefined, NO_FAILURE);
  }

  /**
   * The first attempt. Admitted at once (the common case), its first step is awaited as a
   * continuation rather than a suspended async function: every stream in flight holds what it
   * waits with, and most of a stream's life is waiting for its answer. Anything else goes to the
   * general loop (`#next`).
   */
  #first(): Promise<Step> {
    this.#attempt = 1;
    let admitted: Promise<void> | undefined;
    try {
      admitted = this.#p.admit(this.#options, this.#estimate, 1);
    } catch (error) {
      // Refused (an open breaker): an iterator's `next` rejects, it never throws.
      return Promise.reject(error);
    }
    if (admitted) return this.#next(admitted, NO_FAILURE);
    const ctl = this.#begin();
    try {
      this.#open(ctl);
    } catch (error) {
      return this.#next(undefined, error);
    }
    let step: Promise<Step>;
    try {
      step = (this.#events as StreamEventIterator).next();
    } catch (raw) {
      return this.#next(undefined, this.#typed(raw));
    }
    return step.then(
      (first) => (isCutBeforeOutput(first, this.#chunks) ? this.#next(undefined, this.#cut()) : this.#accept(first, ctl)),
      (raw: unknown) => this.#next(undefined, this.#typed(raw)),
    );
  }

  /**
   * Attempts until one gives a step: `admitted` is the first attempt's admission still to wait
   * for, `failure` what the current attempt already failed with (`NO_FAILURE` if nothing).
   */
  async #next(admitted: Promise<void> | undefined, failure: unknown): Promise<Step> {
    if (this.#finished) {
      // Ended, or the consumer left while the first step was on its way: a failure arriving now
      // is not retried for anyone.
      if (failure === NO_FAILURE) return DONE;
      throw failure;
    }
    const p = this.#p;
    for (;;) {
      if (!this.#ctl && failure === NO_FAILURE) {
        if (admitted) await admitted;
        else {
          this.#attempt++;
          const waiting = p.admit(this.#options, this.#estimate, this.#attempt);
          if (waiting) await waiting;
        }
        admitted = undefined;
        this.#begin();
      }
      const ctl = this.#ctl as AttemptController;
      let step: Step;
      try {
        if (failure !== NO_FAILURE) throw failure;
        if (!this.#events) this.#open(ctl);
        try {
          step = await (this.#events as StreamEventIterator).next();
        } catch (raw) {
          throw this.#typed(raw);
        }
        if (isCutBeforeOutput(step, this.#chunks)) throw this.#cut();
      } catch (caught) {
        failure = NO_FAILURE;
        const error = ctl.translate(caught);
        p.record(this.#options, this.#attempt, 'error', codeOf(error), this.#started);
        this.#opened?.settle();
        this.#close();
        // After the first chunk the caller has text from this attempt: never retry, never hide it.
        if (this.#chunks > 0) {
          this.#finished = true;
          p.o.breaker.recordFailure(error);
          throw error;
        }
        try {
          await p.afterFailure(error, this.#attempt, this.#options);
        } catch (final) {
          this.#finished = true;
          throw final;
        }
        continue;
      }
      return this.#accept(step, ctl);
    }
  }

  /** Starts an attempt: its controller, linked to the call, with the first-chunk deadline armed. */
  #begin(): AttemptController {
    const p = this.#p;
    const ctl = new AttemptController(p.name, this.#signal);
    ctl.arm('first-chunk', p.o.policy.firstChunkTimeoutMs);
    this.#ctl = ctl;
    this.#started = performance.now();
    this.#chunks = 0;
    return ctl;
  }

  /** A step the provider gave: the end, or a chunk (after which the consumer may call the hooks). */
  #accept(step: Step, ctl: AttemptController): Step {
    if (step.done) {
      this.onDone(step.value);
      return step;
    }
    this.#chunks++;
    // A consumer that left while this step was on its way disposed the attempt: arm nothing.
    if (!this.#finished) ctl.arm('idle', this.#p.o.policy.idleTimeoutMs);
    if (this.#chunks === 1 && this.#context?.streamHooks === null) {
      // Started: from here the consumer calls the hooks, and each step is the provider's own
      // (no promise of this layer per chunk).
      this.#context.streamHooks = this;
      this.#direct = this.#events;
    }
    return step;
  }

  /** What the provider's iterator threw, as the provider types it. */
  #typed(raw: unknown): unknown {
    return this.#opened ? this.#opened.fail(raw) : raw;
  }

  /** Ended without the backend saying it was done, before any output: a failed attempt. */
  #cut(): ServerError {
    return new ServerError(`${this.#p.name}: the stream ended before any output`, { provider: this.#p.name });
  }

  #open(ctl: AttemptController): void {
    const inner = this.#inner;
    const options = this.#options;
    if (hasOpenEvents(inner)) {
      // The attempt itself is the cancellation: a provider that links its request to it
      // (doStreamWith) needs no AbortSignal; any other builds the attempt's. Options the pipeline
      // forwards carry no signal or timeout of their own, and go down as they are.
      this.#opened = inner.openEvents(this.#messages, options.signal === undefined && options.timeout === undefined ? options : withSignal(options, undefined), ctl);
      this.#events = this.#opened.iterator;
    } else this.#events = streamEventsOf(inner, this.#messages, withSignal(options, ctl.signal), ctl.signal);
  }

  async return(): Promise<Step> {
    this.#finished = true;
    const open = this.#events;
    // The consumer left: stop the backend (the member's iterator does not abort on return).
    this.#ctl?.abort();
    this.#opened?.settle();
    this.#close();
    await open?.return?.(undefined)?.catch(() => undefined);
    return DONE;
  }

  /** Every chunk the consumer reads (hook): refreshes the idle deadline. */
  onChunk(): void {
    this.#ctl?.arm('idle', this.#p.o.policy.idleTimeoutMs);
  }

  /** The provider's iterator finished (hook, and this layer's own end). */
  onDone(response: LLMResponse | undefined): void {
    const p = this.#p;
    this.#finished = true;
    this.#opened?.settle();
    if (response) {
      p.succeeded(this.#estimate, response.usage?.totalTokens);
      p.record(this.#options, this.#attempt, 'success', undefined, this.#started);
    } else {
      // Cut after some output: the pipeline's stream reports it as incomplete.
      p.o.breaker.recordFailure(new ServerError(`${p.name}: stream cut`, { provider: p.name }));
      p.record(this.#options, this.#attempt, 'error', 'INCOMPLETE_STREAM', this.#started);
    }
    this.#close();
  }

  /** A failure after the first chunk (hook): never retried, never hidden. */
  mapError(raw: unknown): unknown {
    const typed = this.#opened ? this.#opened.fail(raw) : raw;
    const error = this.#ctl ? this.#ctl.translate(typed) : typed;
    this.#p.record(this.#options, this.#attempt, 'error', codeOf(error), this.#started);
    this.#finished = true;
    this.#close();
    this.#p.o.breaker.recordFailure(error);
    return error;
  }

  #close(): void {
    this.#ctl?.dispose();
    this.#ctl = undefined;
    this.#events = undefined;
    this.#opened = undefined;
  }
}
