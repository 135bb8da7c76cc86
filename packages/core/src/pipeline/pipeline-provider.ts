import type { CallOptions, ResolvedCallOptions } from '../contract/call-options.js';
import type { HealthReport } from '../contract/health-report.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { ModelInfo } from '../contract/model-info.js';
import type { LLMResponse } from '../contract/response.js';
import { AbortedError } from '../errors/aborted-error.js';
import type { FallbackProvider } from '../factory/fallback-provider.js';
import type { PluginRecord } from '../discovery/plugin-record.js';
import type { Logger } from '../logging/logger.js';
import { markValidated, validateCall } from '../provider/validate-call.js';
import { copyResponse, forwardable } from '../provider/with-signal.js';
import { createLLMStream, createLLMStreamOver } from '../stream/create-llm-stream.js';
import type { CallSink } from '../sink/call-sink.js';
import { DEFAULT_PLUGIN_TIMEOUTS } from '../host/plugin-timeouts.js';
import type { CallListener } from './call-event.js';
import { attachCallContext } from './call-context.js';
import { CallReporter } from './call-reporter.js';
import { PipelineCall } from './pipeline-call.js';
import { PipelineStream } from './pipeline-stream.js';
import type { PipelineConfig } from './pipeline-config.js';
import { requestIdentity, requestKey } from './request-key.js';
import type { CachedAnswer, ResponseCache } from './response-cache.js';
import type { UsageLedger } from './usage-ledger.js';

export interface PipelineProviderOptions {
  chain: FallbackProvider;
  config: PipelineConfig;
  ledger: UsageLedger;
  cache: ResponseCache | undefined;
  logger: Logger;
  onDispose?: () => Promise<void>;
  /** Where every call's event goes besides `onCall` listeners (the call log, telemetry). */
  sinks?: readonly CallSink[];
  /** The factory's plugin load report. */
  loadReport?: () => readonly PluginRecord[];
  /**
   * Once a call's deadline passed or it was aborted, how long its provider has to stop before the
   * host ends the call itself (default 1000 ms; `pluginTimeouts.abortGraceMs`).
   */
  abortGraceMs?: number;
}

/** One request of `completeBatch`. */
export interface BatchRequest {
  messages: LLMMessage[];
  options?: CallOptions;
}

export type BatchResult = { status: 'fulfilled'; response: LLMResponse } | { status: 'rejected'; error: unknown };

interface Shared {
  /** The chain's answer as the call's first caller awaits it. */
  run: Promise<LLMResponse>;
  /** `run` with the call-level meaning of its error, for callers that join (built on the first join). */
  joined: Promise<LLMResponse> | undefined;
  /** Aborted when every caller waiting for it has left. */
  call: PipelineCall;
  waiters: number;
  /** The coalescing key, computed only once another call overlaps this one (see `#overlapKey`). */
  key: string | undefined;
  messages: LLMMessage[];
  options: ResolvedCallOptions;
  /** Neighbours in the list of unkeyed calls in flight (a list: no hashing per call). */
  prev: Shared | undefined;
  next: Shared | undefined;
}

/**
 * The provider applications get from the factory: the fallback chain behind the call-level part of
 * the pipeline — one overall deadline per call, the response cache (streams recorded and
 * replayed), coalescing of identical calls in flight, the usage and cost ledger, and an event after
 * every call. Per-provider policy (breaker, rate limit, retries, attempt deadlines) sits in each
 * chain member.
 */
export class PipelineProvider implements LLMProvider {
  readonly #o: PipelineProviderOptions;
  readonly #r: CallReporter;
  // Calls in flight, for coalescing: by key, and those whose key nobody has needed yet.
  readonly #inflight = new Map<string, Shared>();
  #unkeyed: Shared | undefined;
  #disposed = false;

  constructor(options: PipelineProviderOptions) {
    this.#o = options;
    this.#r = new CallReporter(options.ledger, options.cache, options.logger, () => options.chain.chain);
    for (const sink of options.sinks ?? []) this.#r.listeners.add((event) => sink.write(event));
  }

  /** The primary provider's name (the seed logs `provider_name`). */
  get name(): string {
    return this.#o.chain.name;
  }

  /** The providers this chain may use, in order. */
  get chain(): readonly string[] {
    return this.#o.chain.chain;
  }

  /** The selected (first available) provider itself. */
  get primary(): LLMProvider {
    return this.#o.chain.primary;
  }

  /** Tokens and cost per provider and model. */
  get ledger(): UsageLedger {
    return this.#o.ledger;
  }

  /** Every plugin candidate the factory considered and what became of it (what `doctor` prints). */
  loadReport(): readonly PluginRecord[] {
    return this.#o.loadReport?.() ?? [];
  }

  /** Subscribes to the event emitted after every call; returns the unsubscribe function. */
  onCall(listener: CallListener): () => void {
    this.#r.listeners.add(listener);
    return () => this.#r.listeners.delete(listener);
  }

  complete(messages: LLMMessage[], options: CallOptions = {}): Promise<LLMResponse> {
    // Not an async function: the common call returns the chain's promise as it is (one promise and
    // one resumption fewer per call); anything thrown here still becomes a rejection.
    try {
      return this.#complete(messages, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #complete(messages: LLMMessage[], options: CallOptions): Promise<LLMResponse> {
    const call = validateCall(this.name, messages, options);
    const started = performance.now();
    const cacheKey = this.#cacheable(call.options) ? requestKey(call.messages, call.options) : undefined;
    const hit = cacheKey ? this.#o.cache?.get(cacheKey) : undefined;
    if (hit) {
      const ledger = this.#r.record(hit.response, false, true);
      if (this.#r.listening) this.#r.emit(Object.assign(this.#r.success(hit.response, started, false, call.messages, call.options), { cached: true, ledger }));
      return Promise.resolve(copyResponse(hit.response));
    }
    const coalesce = this.#o.config.coalesce;
    const key = coalesce ? (cacheKey ?? (holdsCallerObjects(call.options) ? requestIdentity(call.messages, call.options) : this.#overlapKey(call.messages, call.options))) : undefined;
    const existing = key ? this.#inflight.get(key) : undefined;
    if (existing) return this.#completeJoined(existing, call, started);

    const pipelineCall = new PipelineCall(this.name, call.options.timeout ?? this.#o.config.deadlineMs, undefined);
    // The call's cancellation travels as its scope on the call context: no AbortSignal unless a
    // member needs one (see CallAbortScope, BaseLLMProvider.doCompleteWith).
    const forwarded = forwardable(call.options, options);
    markValidated(call.messages, forwarded);
    attachCallContext(forwarded, pipelineCall.context);
    if (!call.options.signal) return this.#completeDirect(call, forwarded, pipelineCall, coalesce, key, cacheKey, started);
    return this.#completeShared(call, forwarded, pipelineCall, coalesce, key, cacheKey, started);
  }

  /** An identical call is in flight: wait for its answer. */
  async #completeJoined(existing: Shared, call: { messages: LLMMessage[]; options: ResolvedCallOptions }, started: number): Promise<LLMResponse> {
    try {
      const response = await this.#join(existing, call.options.signal);
      if (this.#r.listening) this.#r.emit(Object.assign(this.#r.success(response, started, false, call.messages, call.options), { coalesced: true }));
      return copyResponse(response);
    } catch (error) {
      if (this.#r.listening) this.#r.emit(Object.assign(this.#r.failure(error, this.name, started, false, [], call.messages, call.options), { coalesced: true }));
      throw error;
    }
  }

  /** A call whose caller may leave early (it has a signal): other callers may share it, and it ends when the last one leaves. */
  async #completeShared(
    call: { messages: LLMMessage[]; options: ResolvedCallOptions },
    forwarded: ResolvedCallOptions,
    pipelineCall: PipelineCall,
    coalesce: boolean,
    key: string | undefined,
    cacheKey: string | undefined,
    started: number,
  ): Promise<LLMResponse> {
    const run = pipelineCall.bound(this.#o.chain.complete(call.messages, forwarded), this.#graceMs).then(
      (response) => {
        if (cacheKey) this.#r.cacheAnswer(cacheKey, response);
        return response;
      },
      (error: unknown) => {
        throw pipelineCall.translate(error);
      },
    );
    const shared: Shared = { run, joined: run, call: pipelineCall, waiters: 0, key, messages: call.messages, options: call.options, prev: undefined, next: undefined };
    if (coalesce) this.#enter(shared);
    const cleanup = () => {
      pipelineCall.dispose();
      if (coalesce) this.#leave(shared);
    };
    run.then(cleanup, cleanup);
    try {
      const response = await this.#join(shared, call.options.signal);
      const ledger = this.#r.record(response, false, false);
      if (this.#r.listening) this.#r.emit(Object.assign(this.#r.success(response, started, false, call.messages, call.options), { attempts: pipelineCall.context.attempts, ledger }));
      return response;
    } catch (error) {
      if (this.#r.listening) this.#r.emit(this.#r.failure(error, this.name, started, false, pipelineCall.context.attempts, call.messages, call.options));
      throw error;
    }
  }

  /**
   * A call whose caller cannot leave early (no signal), the common case: the call ends when its
   * answer does, so it awaits the chain directly, without the promise plumbing that lets a caller
   * leave a shared call. Identical calls arriving meanwhile still join it.
   */
  async #completeDirect(
    call: { messages: LLMMessage[]; options: ResolvedCallOptions },
    forwarded: ResolvedCallOptions,
    pipelineCall: PipelineCall,
    coalesce: boolean,
    key: string | undefined,
    cacheKey: string | undefined,
    started: number,
  ): Promise<LLMResponse> {
    // Bounded by the host: a provider that ignores the call's deadline cannot hold its caller past it.
    const run = pipelineCall.bound(this.#o.chain.complete(call.messages, forwarded), this.#graceMs);
    let shared: Shared | undefined;
    if (coalesce) {
      shared = { run, joined: undefined, call: pipelineCall, waiters: 1, key, messages: call.messages, options: call.options, prev: undefined, next: undefined };
      this.#enter(shared);
    }
    let response: LLMResponse;
    try {
      response = await run;
    } catch (error) {
      const typed = pipelineCall.translate(error);
      if (this.#r.listening) this.#r.emit(this.#r.failure(typed, this.name, started, false, pipelineCall.context.attempts, call.messages, call.options));
      throw typed;
    } finally {
      pipelineCall.dispose();
      if (shared) this.#leave(shared);
    }
    if (cacheKey) this.#r.cacheAnswer(cacheKey, response);
    const ledger = this.#r.record(response, false, false);
    if (this.#r.listening) this.#r.emit(Object.assign(this.#r.success(response, started, false, call.messages, call.options), { attempts: pipelineCall.context.attempts, ledger }));
    return response;
  }

  /**
   * The coalescing key of a call, or undefined when no other call is in flight: there is nothing to
   * join then, and the key is built only if an identical call arrives while this one runs. A call
   * that runs alone never pays for one. Only for calls made of validated copies (see
   * `holdsCallerObjects`): their request cannot change while they run.
   */
  #overlapKey(messages: LLMMessage[], options: ResolvedCallOptions): string | undefined {
    if (this.#unkeyed === undefined && this.#inflight.size === 0) return undefined;
    for (let shared = this.#unkeyed; shared; ) {
      const next: Shared | undefined = shared.next;
      shared.key = requestIdentity(shared.messages, shared.options);
      this.#inflight.set(shared.key, shared);
      shared.prev = shared.next = undefined;
      shared = next;
    }
    this.#unkeyed = undefined;
    return requestIdentity(messages, options);
  }

  #enter(shared: Shared): void {
    if (shared.key !== undefined) {
      this.#inflight.set(shared.key, shared);
      return;
    }
    shared.next = this.#unkeyed;
    if (this.#unkeyed) this.#unkeyed.prev = shared;
    this.#unkeyed = shared;
  }

  #leave(shared: Shared): void {
    if (shared.key !== undefined) {
      if (this.#inflight.get(shared.key) === shared) this.#inflight.delete(shared.key);
      return;
    }
    if (shared.prev) shared.prev.next = shared.next;
    else if (this.#unkeyed === shared) this.#unkeyed = shared.next;
    if (shared.next) shared.next.prev = shared.prev;
    shared.prev = shared.next = undefined;
  }

  streamComplete(messages: LLMMessage[], options: CallOptions = {}): LLMStream {
    const call = validateCall(this.name, messages, options);
    const started = performance.now();
    const cacheKey = this.#cacheable(call.options) ? requestKey(call.messages, call.options) : undefined;
    const hit = cacheKey ? this.#o.cache?.get(cacheKey) : undefined;
    if (hit) {
      const replay = replayStream(hit, call.options.signal);
      void replay.response.then(
        (r) => {
          const ledger = this.#r.record(r, true, true);
          if (this.#r.listening) this.#r.emit(Object.assign(this.#r.success(r, started, true, call.messages, call.options), { cached: true, ledger }));
        },
        () => undefined,
      );
      return replay;
    }

    const driver = new PipelineStream(this.name, this.#o.chain, this.#r, { messages: call.messages, options: call.options, forwarded: forwardable(call.options, options) }, call.options.timeout ?? this.#o.config.deadlineMs, cacheKey, started, this.#graceMs);
    return createLLMStreamOver(driver);
  }

  /**
   * Runs many requests with at most `concurrency` in flight, in order of the input; each result is
   * settled (one failure does not fail the batch). Identical requests share one backend call.
   */
  async completeBatch(requests: readonly BatchRequest[], options: { concurrency?: number } = {}): Promise<BatchResult[]> {
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const results: BatchResult[] = new Array(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        const request = requests[i] as BatchRequest;
        try {
          results[i] = { status: 'fulfilled', response: await this.complete(request.messages, request.options) };
        } catch (error) {
          results[i] = { status: 'rejected', error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
    return results;
  }

  isAvailable(): Promise<boolean> {
    return this.#o.chain.isAvailable();
  }

  healthCheck(): Promise<HealthReport> {
    return this.#o.chain.healthCheck();
  }

  getModels(): Promise<ModelInfo[]> {
    return this.#o.chain.getModels();
  }

  formatMessages(messages: LLMMessage[]): LLMMessage[] {
    return this.#o.chain.formatMessages(messages);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const shared of this.#inflight.values()) shared.call.abort(new AbortedError('the provider was disposed'));
    for (let shared = this.#unkeyed; shared; ) {
      const next: Shared | undefined = shared.next;
      shared.call.abort(new AbortedError('the provider was disposed'));
      shared.prev = shared.next = undefined;
      shared = next;
    }
    this.#inflight.clear();
    this.#unkeyed = undefined;
    this.#r.listeners.clear();
    await this.#o.chain.dispose();
    await this.#o.onDispose?.();
  }

  get #graceMs(): number {
    return this.#o.abortGraceMs ?? DEFAULT_PLUGIN_TIMEOUTS.abortGraceMs;
  }

  #cacheable(options: ResolvedCallOptions): boolean {
    const c = this.#o.config.cache;
    return c.enabled && this.#o.cache !== undefined && options.cache !== false && (options.temperature === 0 || c.nonZeroTemperature);
  }

  /** Waits for a shared request as one of its callers; the request is cancelled when all have left. */
  #join(shared: Shared, signal: AbortSignal | undefined): Promise<LLMResponse> {
    shared.waiters++;
    const call = shared.call;
    const promise = (shared.joined ??= shared.run.catch((error: unknown) => {
      throw call.translate(error);
    }));
    if (!signal) {
      // A caller that cannot abort simply waits: no listener, no extra promise to build.
      return promise.finally(() => {
        shared.waiters--;
      });
    }
    return new Promise<LLMResponse>((resolve, reject) => {
      let done = false;
      const leave = () => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        shared.waiters--;
      };
      const onAbort = () => {
        leave();
        if (shared.waiters === 0) shared.call.abandon(signal?.reason);
        reject(new AbortedError(`${this.name}: the call was aborted`, { provider: this.name, cause: signal?.reason }));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (r) => {
          if (done) return;
          leave();
          resolve(r);
        },
        (e: unknown) => {
          if (done) return;
          leave();
          reject(e);
        },
      );
    });
  }
}

/**
 * Whether a call's options hold objects the caller still owns (provider options, tool and format
 * schemas are passed through validation as they are): its coalescing key is then built at once,
 * since the caller may change those objects while the call runs.
 */
function holdsCallerObjects(options: ResolvedCallOptions): boolean {
  return options.providerOptions !== undefined || options.tools !== undefined || options.responseFormat !== undefined;
}

function replayStream(answer: CachedAnswer, signal: AbortSignal | undefined): LLMStream {
  return createLLMStream({
    provider: answer.response.provider,
    signal,
    async *source() {
      for (const text of answer.chunks) yield { type: 'text', text };
      for (const toolCall of answer.toolCalls) yield { type: 'tool-call', toolCall };
      return copyResponse(answer.response);
    },
  });
}
