import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import { makeUsage, type LLMResponse, type ToolCall } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import { AbortedError } from '../errors/aborted-error.js';
import { LLMError } from '../errors/llm-error.js';
import type { FallbackProvider } from '../factory/fallback-provider.js';
import { markValidated } from '../provider/validate-call.js';
import type { LLMStreamDriver, StreamEventIterator } from '../stream/create-llm-stream.js';
import { attachCallContext } from './call-context.js';
import type { CallReporter } from './call-reporter.js';
import { estimateMessageTokens, estimateTokens } from './estimate-tokens.js';
import { PipelineCall } from './pipeline-call.js';

/**
 * One streamed call through the pipeline, as the driver of its `LLMStream`: opens the chain's
 * stream under the call's overall deadline and cancellation, calls the started member's hooks per
 * chunk, records chunks for the cache, and reports the outcome (ledger, cache, event). One object
 * per stream in flight instead of a closure per hook.
 */
export class PipelineStream implements LLMStreamDriver {
  readonly provider: string;
  readonly signal: AbortSignal | undefined;
  readonly #chain: FallbackProvider;
  readonly #reporter: CallReporter;
  readonly #messages: LLMMessage[];
  readonly #options: ResolvedCallOptions;
  /** What the chain is handed (see `forwardable`). */
  readonly #forwarded: ResolvedCallOptions;
  readonly #deadlineMs: number;
  readonly #cacheKey: string | undefined;
  readonly #started: number;
  readonly #timed: boolean;
  /** Kept only for the cache. */
  #chunks: string[] | undefined;
  #toolCalls: ToolCall[] | undefined;
  #firstChunkAt: number | undefined;
  #call: PipelineCall | undefined;
  readonly #graceMs: number;
  #interrupt: ((reason: unknown) => void) | undefined;

  constructor(
    provider: string,
    chain: FallbackProvider,
    reporter: CallReporter,
    call: { messages: LLMMessage[]; options: ResolvedCallOptions; forwarded: ResolvedCallOptions },
    deadlineMs: number,
    cacheKey: string | undefined,
    started: number,
    graceMs: number,
  ) {
    this.#graceMs = graceMs;
    this.provider = provider;
    this.signal = call.options.signal;
    this.#chain = chain;
    this.#reporter = reporter;
    this.#messages = call.messages;
    this.#options = call.options;
    this.#forwarded = call.forwarded;
    this.#deadlineMs = deadlineMs;
    this.#cacheKey = cacheKey;
    this.#started = started;
    this.#timed = reporter.listening;
    if (cacheKey) this.#chunks = [];
  }

  open(): StreamEventIterator {
    const chain = this.#chain;
    const call = new PipelineCall(chain.name, this.#deadlineMs, this.signal);
    this.#call = call;
    // This stream calls the started member's hooks (see CallContext.streamHooks).
    call.context.streamHooks = null;
    // A member that ignores the call's end is not waited for past the grace (see PipelineCall.bailAfter).
    call.bailAfter(this.#graceMs, (reason) => this.#interrupt?.(reason));
    // No AbortSignal for the call itself: the chain's members take its scope (see CallAbortScope).
    const forwarded = this.#forwarded;
    markValidated(this.#messages, forwarded);
    attachCallContext(forwarded, call.context);
    return chain.streamEvents(this.#messages, forwarded, call);
  }

  attach(interrupt: (reason: unknown) => void): void {
    this.#interrupt = interrupt;
  }

  halted(): unknown {
    const call = this.#call;
    return call?.aborted ? call.reason : undefined;
  }

  onClose(): void {
    const name = this.#chain.name;
    this.#call?.abort(new AbortedError(`${name}: the stream consumer stopped reading`, { provider: name }));
  }

  onEvent(event: StreamEvent): void {
    this.#call?.context.streamHooks?.onChunk();
    if (event.type === 'text') {
      if (this.#timed) this.#firstChunkAt ??= performance.now();
      this.#chunks?.push(event.text);
    } else (this.#toolCalls ??= []).push(event.toolCall);
  }

  onSourceDone(response: LLMResponse | undefined): void {
    this.#call?.context.streamHooks?.onDone(response);
  }

  mapError(error: unknown): unknown {
    const call = this.#call;
    if (!call) return error;
    const hooks = call.context.streamHooks;
    return call.translate(hooks ? hooks.mapError(error) : error);
  }

  onSettled(): void {
    this.#call?.dispose();
  }

  onOutcome(response: LLMResponse | undefined, error: unknown, partialText: string): void {
    const reporter = this.#reporter;
    const attempts = this.#call?.context.attempts ?? [];
    const firstChunkMs = this.#firstChunkAt === undefined ? undefined : this.#firstChunkAt - this.#started;
    if (response) {
      if (this.#cacheKey && this.#chunks) reporter.cache?.set(this.#cacheKey, { response, chunks: this.#chunks, toolCalls: this.#toolCalls ?? [] });
      const ledger = reporter.record(response, true, false);
      if (reporter.listening) reporter.emit(Object.assign(reporter.success(response, this.#started, true, this.#messages, this.#options), { firstChunkMs, attempts, ledger }));
      return;
    }
    // A cut stream still cost tokens: record an estimate, never zero.
    const provider = LLMError.isInstance(error) && error.provider ? error.provider : this.provider;
    const ledger =
      partialText.length > 0
        ? reporter.ledger.record({
            provider,
            model: this.#options.model ?? 'unknown',
            inputTokens: estimateMessageTokens(this.#messages),
            outputTokens: estimateTokens(partialText),
            usageSource: 'estimated',
            streamed: true,
            cached: false,
          })
        : undefined;
    if (!reporter.listening) return;
    reporter.emit({
      ...reporter.failure(error, this.provider, this.#started, true, attempts, this.#messages, this.#options),
      firstChunkMs,
      partialText: partialText.length > 0 ? partialText : undefined,
      ledger,
      usage: ledger ? makeUsage(ledger.inputTokens, ledger.outputTokens, 'estimated') : undefined,
    });
  }
}

