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
    return this.#next();
  }

  async #next(): Promise<Step> {
    if (this.#finished) return DONE;
    const p = this.#p;
    for (;;) {
      if (!this.#ctl) {
        this.#attempt++;
        const admitted = p.admit(this.#options, this.#estimate, this.#attempt);
        if (admitted) await admitted;
        this.#ctl = new AttemptController(p.name, this.#signal);
        this.#ctl.arm('first-chunk', p.o.policy.firstChunkTimeoutMs);
        this.#started = performance.now();
        this.#chunks = 0;
      }
      const ctl = this.#ctl;
      let step: Step;
      try {
        if (!this.#events) this.#open(ctl);
        try {
          step = await (this.#events as StreamEventIterator).next();
        } catch (raw) {
          throw this.#opened ? this.#opened.fail(raw) : raw;
        }
        // Ended without the backend saying it was done, before any output: a failed attempt.
        if (step.done && step.value === undefined && this.#chunks === 0) throw new ServerError(`${p.name}: the stream ended before any output`, { provider: p.name });
      } catch (caught) {
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
      if (step.done) {
        this.onDone(step.value);
        return step;
      }
      this.#chunks++;
      ctl.arm('idle', p.o.policy.idleTimeoutMs);
      if (this.#chunks === 1 && this.#context?.streamHooks === null) {
        // Started: from here the consumer calls the hooks, and each step is the provider's own
        // (no promise of this layer per chunk).
        this.#context.streamHooks = this;
        this.#direct = this.#events;
      }
      return step;
    }
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
