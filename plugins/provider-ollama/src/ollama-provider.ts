import {
  AbortedError,
  BaseLLMProvider,
  InvalidRequestError,
  LLMError,
  ModelLoadingError,
  ModelNotFoundError,
  parseStructuredOutput,
  ProviderUnavailableError,
  silentLogger,
  TimeoutError,
  type HealthReport,
  type LLMMessage,
  type LLMResponse,
  type Logger,
  type ModelInfo,
  type ResolvedCallOptions,
  type StreamEvent,
  type ToolCall,
} from '@autoarr-llm/core';
import { Ollama, type ChatRequest } from 'ollama';
import { createRequestFetch } from './create-request-fetch.js';
import { mapDoneReason } from './map-done-reason.js';
import { mapOllamaError, pullHint } from './map-ollama-error.js';
import { OllamaCallOptionsSchema } from './ollama-provider-options.js';
import type { OllamaSettings } from './ollama-settings.js';
import { OllamaWireError } from './ollama-wire-error.js';
import type { PullProgress } from './pull-progress.js';
import { RequestDeadline } from './request-deadline.js';
import { toLLMResponse, toToolCall, usageOf } from './to-llm-response.js';
import { toModelInfo } from './to-model-info.js';
import { toOllamaMessages } from './to-ollama-messages.js';
import { toOllamaTools } from './to-ollama-tools.js';

/** How long `isAvailable` waits for /api/version. */
export const OLLAMA_AVAILABILITY_TIMEOUT_MS = 2_000;
/** How long the /api/ps and /api/show probes may take before the daemon counts as unresponsive. */
const PROBE_TIMEOUT_MS = 5_000;

export interface OllamaProviderOptions {
  logger?: Logger;
  /** The fetch every request goes through (a proxy agent, a test double). Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface ModelManagementOptions {
  signal?: AbortSignal;
  /** Called for each progress line of a download. */
  onProgress?: (progress: PullProgress) => void;
}

export interface WarmUpResult {
  model: string;
  /** The model was in memory already: nothing was loaded. */
  alreadyLoaded: boolean;
  loadMs: number;
}

function sameModel(a: string, b: string): boolean {
  const norm = (n: string) => (n.slice(n.lastIndexOf('/') + 1).includes(':') ? n : `${n}:latest`);
  return norm(a) === norm(b);
}

/**
 * Ollama behind the provider contract, through the official `ollama` client, with model management
 * (list, pull with progress, delete, warm-up) and cold loads told apart from outages.
 */
export class OllamaProvider extends BaseLLMProvider {
  readonly name = 'ollama';
  readonly settings: OllamaSettings;
  readonly #logger: Logger;
  readonly #fetch: typeof fetch | undefined;
  readonly #disposal = new AbortController();

  constructor(settings: OllamaSettings, options: OllamaProviderOptions = {}) {
    super();
    this.settings = settings;
    this.#logger = options.logger ?? silentLogger;
    this.#fetch = options.fetch;
  }

  /** The model used when a call names none. */
  get model(): string {
    return this.settings.model;
  }

  // ── completion ────────────────────────────────────────────────────────────────────────────

  protected async doComplete(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): Promise<LLMResponse> {
    const model = options.model ?? this.settings.model;
    const request = this.#chatRequest(messages, options, model);
    return this.#withModel(model, signal, async () => {
      const cold = !(await this.#isLoaded(model, signal));
      const deadline = new RequestDeadline();
      // A non-streamed answer arrives whole, so a cold call's budget covers the load and the answer.
      deadline.arm(cold ? this.#loadMs + this.#timeoutMs : this.#timeoutMs, cold ? 'model-load' : 'total');
      let response: LLMResponse;
      try {
        const res = await this.#client(AbortSignal.any([signal, deadline.signal])).chat({ ...request, stream: false });
        response = toLLMResponse(res, this.name, model);
      } catch (error) {
        throw await this.#failure(error, { model, deadline, cold, signal });
      } finally {
        deadline.clear();
      }
      // `format` constrains the model, but a cut-off answer (maxTokens) can still be broken JSON.
      if (options.responseFormat?.type === 'json') parseStructuredOutput(response.content, options.responseFormat.schema, this.name, response.model);
      return response;
    });
  }

  protected async *doStream(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
    const model = options.model ?? this.settings.model;
    const request = this.#chatRequest(messages, options, model);
    const deadline = new RequestDeadline();
    // Ends the request on the server however this generator ends (early return included).
    const local = new AbortController();
    const requestSignal = AbortSignal.any([signal, deadline.signal, local.signal]);
    let cold = false;
    let started = false;
    try {
      const parts = await this.#withModel(model, signal, async () => {
        cold = !(await this.#isLoaded(model, signal));
        // Ollama sends nothing (not even headers) until the model is in memory.
        deadline.arm(cold ? this.#loadMs : this.#timeoutMs, cold ? 'model-load' : 'first-chunk');
        try {
          return await this.#client(requestSignal).chat({ ...request, stream: true });
        } catch (error) {
          deadline.clear();
          throw error;
        }
      });
      const toolCalls: ToolCall[] = [];
      const json = options.responseFormat?.type === 'json' ? options.responseFormat : undefined;
      let content = '';
      for await (const part of parts) {
        started = true;
        // The consumer's pace is not the backend's: no deadline runs while a chunk is being handed over.
        deadline.clear();
        const text = part.message?.content ?? '';
        if (json) content += text;
        if (text) yield { type: 'text', text };
        for (const call of part.message?.tool_calls ?? []) {
          const toolCall = toToolCall(call, toolCalls.length);
          toolCalls.push(toolCall);
          yield { type: 'tool-call', toolCall };
        }
        if (part.done) {
          const usage = usageOf(part);
          if (json) parseStructuredOutput(content, json.schema, this.name, part.model || model);
          return {
            content: '',
            model: part.model || model,
            provider: this.name,
            ...(usage ? { usage } : {}),
            finishReason: mapDoneReason(part.done_reason, toolCalls.length > 0),
            ...(toolCalls.length > 0 ? { toolCalls } : {}),
          };
        }
        deadline.arm(this.#timeoutMs, 'idle');
      }
      return undefined;
    } catch (error) {
      throw await this.#failure(error, { model, deadline, cold: cold && !started, signal });
    } finally {
      deadline.clear();
      local.abort();
    }
  }

  // ── availability and health ───────────────────────────────────────────────────────────────

  override async isAvailable(): Promise<boolean> {
    if (this.disposed) return false;
    try {
      await this.#client(AbortSignal.timeout(OLLAMA_AVAILABILITY_TIMEOUT_MS)).version();
      return true;
    } catch {
      return false;
    }
  }

  protected async doHealthCheck(): Promise<Omit<HealthReport, 'provider' | 'latencyMs'>> {
    const model = this.settings.model;
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    try {
      const client = this.#client(signal);
      const { version } = await client.version();
      const [present, running] = await Promise.all([this.#isInstalled(model, signal), client.ps()]);
      const loaded = running.models.some((m) => sameModel(m.name, model));
      const reason = present
        ? undefined
        : this.settings.autoDownload
          ? `model "${model}" is not installed; it will be downloaded on first use`
          : `model "${model}" is not installed; ${pullHint(model)}`;
      return {
        status: present ? 'ok' : 'degraded',
        reachable: true,
        model: { id: model, present, loaded },
        ...(reason ? { reason } : {}),
        details: { version, baseUrl: this.settings.baseUrl, cold: present && !loaded, loadedModels: running.models.map((m) => m.name) },
      };
    } catch (error) {
      if (signal.aborted && !LLMError.isInstance(error)) {
        throw new ProviderUnavailableError(`${this.name}: the Ollama daemon at ${this.settings.baseUrl} did not answer within ${PROBE_TIMEOUT_MS} ms`, { provider: this.name, cause: error });
      }
      throw error;
    }
  }

  // ── model management ──────────────────────────────────────────────────────────────────────

  /** Installed models with size, family, quantization, and capabilities and context length from /api/show. */
  async getModels(): Promise<ModelInfo[]> {
    return this.#managed('listing models', this.settings.model, this.#timeoutMs, undefined, async (signal) => {
      const { models } = await this.#client(signal).list();
      const shows = await Promise.all(models.map((m) => this.#client(signal).show({ model: m.name }).catch(() => undefined)));
      return models.map((m, i) => toModelInfo(this.name, m, shows[i]));
    });
  }

  /** Whether the model is installed (pulled) on the daemon. */
  async hasModel(model: string = this.settings.model, signal?: AbortSignal): Promise<boolean> {
    return this.#managed(`checking model "${model}"`, model, PROBE_TIMEOUT_MS, signal, (s) => this.#isInstalled(model, s));
  }

  /**
   * Makes sure the model is installed: pulls it when missing and auto-download allows it, else
   * throws `ModelNotFoundError` naming the `ollama pull` command.
   */
  async ensureModelAvailable(model: string = this.settings.model, options: ModelManagementOptions = {}): Promise<'present' | 'pulled'> {
    if (await this.hasModel(model, options.signal)) return 'present';
    if (!this.settings.autoDownload) {
      throw new ModelNotFoundError(model, `${this.name}: model "${model}" is not installed in Ollama at ${this.settings.baseUrl} and auto-download is off; ${pullHint(model)}`, {
        provider: this.name,
      });
    }
    await this.pullModel(model, options);
    return 'pulled';
  }

  /** Downloads a model, reporting progress through `onProgress`. */
  async pullModel(model: string, options: ModelManagementOptions = {}): Promise<void> {
    for await (const progress of this.pullProgress(model, options)) options.onProgress?.(progress);
  }

  /** Downloads a model as an async iterable of progress steps; leaving the loop cancels the download. */
  async *pullProgress(model: string, options: Pick<ModelManagementOptions, 'signal'> = {}): AsyncGenerator<PullProgress, void, undefined> {
    const local = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, local.signal]) : local.signal;
    try {
      const stream = await this.#client(signal).pull({ model, stream: true });
      for await (const p of stream) {
        yield {
          status: p.status,
          ...(p.digest ? { digest: p.digest } : {}),
          ...(typeof p.total === 'number' ? { total: p.total, completed: p.completed ?? 0 } : {}),
        };
      }
    } catch (error) {
      if (error instanceof OllamaWireError && /file does not exist|manifest unknown|not found/i.test(error.message)) {
        throw new ModelNotFoundError(model, `${this.name}: model "${model}" does not exist in the Ollama library (${error.message})`, { provider: this.name, cause: error });
      }
      throw this.#typed(error, model, { caller: options.signal, what: `pulling model "${model}"` });
    } finally {
      local.abort();
    }
  }

  /** Removes an installed model; `ModelNotFoundError` when it is not installed. */
  async deleteModel(model: string, signal?: AbortSignal): Promise<void> {
    await this.#managed(`deleting model "${model}"`, model, this.#timeoutMs, signal, (s) => this.#client(s).delete({ model }));
  }

  /**
   * Loads the model into memory ahead of the first call (Ollama's empty-chat load), within the
   * model-load timeout; pulls it first when it is missing and auto-download allows it.
   */
  async warmUp(model: string = this.settings.model, options: ModelManagementOptions = {}): Promise<WarmUpResult> {
    const caller = options.signal ? AbortSignal.any([options.signal, this.#disposal.signal]) : this.#disposal.signal;
    const started = performance.now();
    if (await this.#isLoaded(model, caller)) return { model, alreadyLoaded: true, loadMs: 0 };
    await this.#withModel(
      model,
      caller,
      async () => {
        const deadline = new RequestDeadline();
        deadline.arm(this.#loadMs, 'model-load');
        try {
          await this.#client(AbortSignal.any([caller, deadline.signal])).chat({ model, messages: [], keep_alive: this.settings.keepAlive, stream: false });
        } catch (error) {
          throw await this.#failure(error, { model, deadline, cold: true, signal: caller, callerIsUser: true });
        } finally {
          deadline.clear();
        }
      },
      options.onProgress,
    );
    return { model, alreadyLoaded: false, loadMs: Math.round(performance.now() - started) };
  }

  // ── plumbing ──────────────────────────────────────────────────────────────────────────────

  protected override mapError(error: unknown): unknown {
    return mapOllamaError(error, this.#context(this.settings.model));
  }

  protected override async doDispose(): Promise<void> {
    this.#disposal.abort(new AbortedError(`${this.name}: the provider was disposed`, { provider: this.name }));
  }

  get #timeoutMs(): number {
    return Math.round(this.settings.timeout * 1000);
  }

  get #loadMs(): number {
    return Math.round(this.settings.modelLoadTimeout * 1000);
  }

  #context(model: string) {
    return { provider: this.name, model, baseUrl: this.settings.baseUrl };
  }

  /** A client for one request: its abort ends that request only (see create-request-fetch.ts). */
  #client(signal: AbortSignal): Ollama {
    return new Ollama({ host: this.settings.baseUrl, fetch: createRequestFetch(AbortSignal.any([signal, this.#disposal.signal]), this.#fetch) });
  }

  #chatRequest(messages: LLMMessage[], options: ResolvedCallOptions, model: string): ChatRequest {
    const parsed = OllamaCallOptionsSchema.safeParse(options.providerOptions?.[this.name] ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidRequestError(`${this.name}: invalid options.providerOptions.ollama${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message}`, {
        provider: this.name,
        field: 'options.providerOptions.ollama',
      });
    }
    const extra = parsed.data;
    const tools = toOllamaTools(options.tools, options.toolChoice, this.name);
    const format = options.responseFormat?.type === 'json' ? (options.responseFormat.schema ?? 'json') : undefined;
    return {
      model,
      messages: toOllamaMessages(messages, this.name),
      options: {
        ...extra.options,
        temperature: options.temperature,
        ...(options.maxTokens !== undefined ? { num_predict: options.maxTokens } : {}),
        ...(options.stop ? { stop: options.stop } : {}),
      },
      keep_alive: extra.keepAlive ?? this.settings.keepAlive,
      ...(tools ? { tools } : {}),
      ...(format ? { format } : {}),
      ...(extra.think !== undefined ? { think: extra.think } : {}),
    };
  }

  /** Is the model in memory (/api/ps)? An unreachable daemon throws; a daemon hiding /api/ps reads as cold. */
  async #isLoaded(model: string, signal: AbortSignal): Promise<boolean> {
    const probe = AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]);
    try {
      const { models } = await this.#client(probe).ps();
      return models.some((m) => sameModel(m.name, model) || sameModel(m.model, model));
    } catch (error) {
      if (signal.aborted) throw error;
      if (probe.aborted) {
        throw new ProviderUnavailableError(`${this.name}: the Ollama daemon at ${this.settings.baseUrl} did not answer /api/ps within ${PROBE_TIMEOUT_MS} ms`, { provider: this.name, cause: error });
      }
      const mapped = mapOllamaError(error, this.#context(model));
      if (ProviderUnavailableError.isInstance(mapped)) throw mapped;
      return false;
    }
  }

  async #isInstalled(model: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.#client(signal).show({ model });
      return true;
    } catch (error) {
      if (error instanceof OllamaWireError && error.status === 404) return false;
      throw error;
    }
  }

  /** Runs a chat attempt; on "model not found" pulls the model (when allowed) and tries once more. */
  async #withModel<T>(model: string, signal: AbortSignal, attempt: () => Promise<T>, onProgress?: (p: PullProgress) => void): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted || !ModelNotFoundError.isInstance(mapOllamaError(error, this.#context(model)))) throw error;
      if (!this.settings.autoDownload) throw error;
      // Installed yet refused: pulling again would not help.
      if (await this.#isInstalled(model, signal).catch(() => true)) throw error;
      this.#logger.info({ provider: this.name, model }, `model ${model} is not installed; pulling it (auto-download is on)`);
      let lastPercent = -1;
      await this.pullModel(model, {
        signal,
        onProgress: (p) => {
          onProgress?.(p);
          const percent = p.total ? Math.floor(((p.completed ?? 0) / p.total) * 10) * 10 : -1;
          if (percent !== lastPercent) this.#logger.debug({ provider: this.name, model, status: p.status, percent }, 'pull progress');
          lastPercent = percent;
        },
      });
      return attempt();
    }
  }

  /**
   * The typed error for a failed chat request: our own deadlines first (a cold load that ran out is
   * MODEL_LOADING, not an outage), then the call's own deadline during a cold load, then the wire error.
   */
  async #failure(
    error: unknown,
    ctx: { model: string; deadline: RequestDeadline; cold: boolean; signal: AbortSignal; callerIsUser?: boolean },
  ): Promise<unknown> {
    const { model, deadline, cold, signal } = ctx;
    const opts = { provider: this.name };
    if (deadline.expired && !signal.aborted) {
      const { phase, ms } = deadline.expired;
      if (phase === 'model-load') {
        const loadedNow = await this.#isLoaded(model, this.#disposal.signal).catch(() => false);
        if (!loadedNow) {
          return new ModelLoadingError(model, `${this.name}: model "${model}" is still loading after ${ms} ms (model-load timeout); try again shortly`, {
            ...opts,
            cause: new TimeoutError(`${this.name}: model-load deadline of ${ms} ms passed`, { ...opts, phase: 'model-load', timeoutMs: ms }),
          });
        }
        return new TimeoutError(`${this.name}: model "${model}" is loaded but gave no answer within ${ms} ms`, { ...opts, phase: 'total', timeoutMs: ms });
      }
      const what = phase === 'idle' ? 'no further chunk' : phase === 'first-chunk' ? 'no first chunk' : 'no complete answer';
      return new TimeoutError(`${this.name}: ${what} from model "${model}" within ${ms} ms`, { ...opts, phase, timeoutMs: ms });
    }
    const reason: unknown = signal.reason;
    if (cold && signal.aborted && TimeoutError.isInstance(reason)) {
      const loadedNow = await this.#isLoaded(model, this.#disposal.signal).catch(() => false);
      if (!loadedNow) {
        return new TimeoutError(`${this.name}: the call's deadline passed while model "${model}" was still loading (cold start)`, {
          ...opts,
          phase: 'model-load',
          timeoutMs: reason.timeoutMs,
        });
      }
    }
    if (ctx.callerIsUser && signal.aborted) return new AbortedError(`${this.name}: the call was aborted`, { ...opts, cause: reason });
    return mapOllamaError(error, this.#context(model));
  }

  /** Runs a management request under its own bound and the caller's signal, with typed errors. */
  async #managed<T>(what: string, model: string, ms: number, caller: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const bound = AbortSignal.timeout(ms);
    const signal = caller ? AbortSignal.any([caller, bound]) : bound;
    try {
      return await run(signal);
    } catch (error) {
      throw this.#typed(error, model, { caller, bound, ms, what });
    }
  }

  #typed(error: unknown, model: string, ctx: { caller?: AbortSignal | undefined; bound?: AbortSignal; ms?: number; what: string }): unknown {
    if (LLMError.isInstance(error)) return error;
    const opts = { provider: this.name, cause: error };
    if (ctx.caller?.aborted) return new AbortedError(`${this.name}: ${ctx.what} was aborted`, opts);
    if (this.#disposal.signal.aborted) return new AbortedError(`${this.name}: ${ctx.what} stopped: the provider was disposed`, opts);
    if (ctx.bound?.aborted) return new TimeoutError(`${this.name}: ${ctx.what} took longer than ${ctx.ms} ms`, { ...opts, phase: 'total', timeoutMs: ctx.ms });
    return mapOllamaError(error, this.#context(model));
  }
}
