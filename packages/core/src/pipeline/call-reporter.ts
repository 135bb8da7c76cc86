import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMResponse, Usage } from '../contract/response.js';
import { makeUsage } from '../contract/response.js';
import { LLMError } from '../errors/llm-error.js';
import type { Logger } from '../logging/logger.js';
import type { CallEvent, CallListener } from './call-event.js';
import { estimateTokens } from './estimate-tokens.js';
import { newCallId } from './new-call-id.js';
import type { ResponseCache } from './response-cache.js';
import type { LedgerEntry, UsageLedger } from './usage-ledger.js';

/**
 * What the pipeline does once a call is over, for calls and streams alike: the ledger entry, the
 * cached answer, and the event to listeners (a listener that throws is logged, never fails the call).
 */
export class CallReporter {
  readonly listeners = new Set<CallListener>();
  readonly ledger: UsageLedger;
  readonly cache: ResponseCache | undefined;
  readonly #logger: Logger;
  readonly #chain: () => readonly string[];

  constructor(ledger: UsageLedger, cache: ResponseCache | undefined, logger: Logger, chain: () => readonly string[] = () => []) {
    this.ledger = ledger;
    this.cache = cache;
    this.#logger = logger;
    this.#chain = chain;
  }

  /** Whether anyone listens (events are built only then). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** The ledger entry of an answer (usage as reported, or estimated from the text). */
  record(response: LLMResponse, streamed: boolean, cached: boolean): LedgerEntry {
    const usage: Usage = response.usage ?? makeUsage(0, estimateTokens(response.content), 'estimated');
    const entry = this.ledger.record({
      provider: response.provider,
      model: response.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      usageSource: usage.source,
      streamed,
      cached,
    });
    // The caller sees what the call cost on the answer itself (a cached replay carries its own).
    if (entry.cost !== undefined && !cached) response.cost = { amount: entry.cost, currency: entry.currency ?? 'USD', source: usage.source };
    return entry;
  }

  /** Keeps a non-streamed answer for replay (as one chunk, when streamed later). */
  cacheAnswer(cacheKey: string, response: LLMResponse): void {
    this.cache?.set(cacheKey, { response, chunks: response.content ? [response.content] : [], toolCalls: response.toolCalls ?? [] });
  }

  success(response: LLMResponse, started: number, streamed: boolean, messages: readonly LLMMessage[], options: ResolvedCallOptions): CallEvent {
    const durationMs = performance.now() - started;
    return {
      id: newCallId(),
      startedAt: performance.timeOrigin + started,
      chain: this.#chain(),
      error: undefined,
      messages,
      options,
      response,
      partialText: undefined,
      provider: response.provider,
      model: response.model,
      outcome: 'success',
      errorCode: undefined,
      durationMs,
      firstChunkMs: undefined,
      streamed,
      cached: false,
      coalesced: false,
      usage: response.usage,
      ledger: undefined,
      attempts: [],
      route: response.route,
    };
  }

  failure(
    error: unknown,
    provider: string,
    started: number,
    streamed: boolean,
    attempts: CallEvent['attempts'],
    messages: readonly LLMMessage[],
    options: ResolvedCallOptions,
  ): CallEvent {
    return {
      id: newCallId(),
      startedAt: performance.timeOrigin + started,
      chain: this.#chain(),
      error,
      messages,
      options,
      response: undefined,
      partialText: undefined,
      provider: LLMError.isInstance(error) && error.provider ? error.provider : provider,
      model: options.model,
      outcome: 'error',
      errorCode: LLMError.isInstance(error) ? error.code : undefined,
      durationMs: performance.now() - started,
      firstChunkMs: undefined,
      streamed,
      cached: false,
      coalesced: false,
      usage: undefined,
      ledger: undefined,
      attempts,
      route: undefined,
    };
  }

  emit(event: CallEvent): void {
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A failing listener must not fail the call it reports on.
        this.#logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'call listener threw');
      }
    }
  }
}
