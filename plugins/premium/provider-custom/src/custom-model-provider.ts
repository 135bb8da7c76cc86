import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  BaseLLMProvider,
  InvalidRequestError,
  makeUsage,
  MalformedResponseError,
  ModelNotFoundError,
  ProviderUnavailableError,
  silentLogger,
  UnsupportedFeatureError,
  type HealthReport,
  type LLMMessage,
  type LLMResponse,
  type Logger,
  type ModelInfo,
  type ResolvedCallOptions,
  type StreamEvent,
  type ToolCall,
} from '@autoarr-llm/core';
import type { ChatHistoryItem, ChatModelFunctions, ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel } from 'node-llama-cpp';
import type { CustomModelSettings } from './custom-model-settings.js';
import type { DownloadProgress } from './download-model.js';
import { supportsFunctionCalling } from './function-calling-support.js';
import type { LicensePayload } from './license-payload.js';
import { loadLlamaBackend, type LlamaLease } from './load-llama-backend.js';
import { loadNodeLlamaCpp, type NodeLlamaCppModule } from './load-node-llama-cpp.js';
import { mapLlamaError } from './map-llama-error.js';
import { mapStopReason } from './map-stop-reason.js';
import { pullGgufModel, type PullProgress } from './pull-gguf-model.js';
import { readToolSupport, type ModelFacts } from './read-model-facts.js';
import { checkModelPath } from './check-model-path.js';
import { resolveModelFile, type ResolvedModelFile } from './resolve-model-file.js';
import { SequencePool } from './sequence-pool.js';
import { toChatHistory } from './to-chat-history.js';

/** What the provider hands to llama.cpp for one call (see the `onGenerate` option). */
export interface CustomModelGeneration {
  model: string;
  history: ChatHistoryItem[];
  temperature: number;
  maxTokens: number;
  stop: string[] | undefined;
  tools: string[] | undefined;
  json: boolean;
  stream: boolean;
}

export interface CustomModelProviderOptions {
  settings: CustomModelSettings;
  /** The verified license (the provider is never built without one). */
  license: LicensePayload;
  /** The license check, re-run by `healthCheck` (a license can expire while the app runs). */
  recheckLicense: () => void;
  threads: number;
  logger?: Logger | undefined;
  appRoot?: string | undefined;
  /** Observes each generation request as sent to llama.cpp (tests, tracing). */
  onGenerate?: ((generation: CustomModelGeneration) => void) | undefined;
  onDownloadProgress?: ((progress: DownloadProgress) => void) | undefined;
}

interface Runtime {
  lib: NodeLlamaCppModule;
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  chatWrapper: ChatWrapper;
  pool: SequencePool<LlamaContextSequence>;
  file: ResolvedModelFile;
  loadTimeMs: number;
  contextSize: number;
  grammars: Map<string, Promise<LlamaGrammar>>;
}

const MAX_CACHED_GRAMMARS = 32;

/**
 * The premium provider: custom-trained GGUF models run locally through node-llama-cpp (the seed's
 * `CustomModelProvider`). The model loads on first use (or `warmUp()`); requests share one
 * context through parallel sequences and a queue.
 */
export class CustomModelProvider extends BaseLLMProvider {
  readonly name = 'custom';
  readonly #o: CustomModelProviderOptions;
  readonly #logger: Logger;
  readonly #shutdown = new AbortController();
  readonly #running = new Set<Promise<unknown>>();
  #llama: Promise<LlamaLease> | undefined;
  #file: Promise<ResolvedModelFile> | undefined;
  #runtime: Promise<Runtime> | undefined;
  #loaded: Runtime | undefined;
  #loading = false;
  readonly #tools = new Map<string, Promise<boolean>>();
  #pending = 0;

  constructor(options: CustomModelProviderOptions) {
    super();
    this.#o = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Who the license is for (never the token itself). */
  get licensee(): string {
    return this.#o.license.licensee;
  }

  /** Requests running or queued right now. */
  get inFlight(): number {
    return this.#pending;
  }

  /** Loads the model and its context now, so the first request does not pay for it. */
  async warmUp(): Promise<void> {
    await this.#ensureRuntime();
  }

  /** Refuses use after `dispose()`: a call must not load the model again with nothing left to free it. */
  #assertLive(): void {
    if (this.disposed) throw new ProviderUnavailableError('custom: the provider was disposed; create a new one', { provider: 'custom', retryable: false });
  }

  protected override async doComplete(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): Promise<LLMResponse> {
    return this.#track(this.#generate(messages, options, signal, undefined));
  }

  protected override async *doStream(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
    const chunks: string[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const inner = new AbortController();
    const onAbort = () => inner.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const run = this.#track(
      this.#generate(messages, options, inner.signal, (text) => {
        chunks.push(text);
        wake?.();
      }),
    ).finally(() => {
      done = true;
      wake?.();
    });
    run.catch(() => undefined);
    try {
      for (;;) {
        const next = chunks.shift();
        if (next !== undefined) {
          yield { type: 'text', text: next };
          continue;
        }
        if (done) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const response = await run;
      for (const toolCall of response.toolCalls ?? []) yield { type: 'tool-call', toolCall };
      return response;
    } finally {
      // The consumer left (break, error, abort): stop generating now and free the sequence.
      if (!done) inner.abort(signal.reason ?? new Error('stream closed'));
      await run.catch(() => undefined);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Available when licensed, the model file resolves and passes its checks, and the backend for
   * the device loads. Without the generic 3 s deadline: every step is local and bounded, but
   * loading llama.cpp's backend (probing GPUs) alone can take longer on a busy machine, and a
   * cold start must not make the chain skip a working local model.
   */
  override async isAvailable(): Promise<boolean> {
    try {
      this.#assertLive();
      this.#o.recheckLicense();
      await Promise.all([this.#resolveFile(), this.#ensureLlama()]);
      return true;
    } catch {
      return false;
    }
  }

  protected override async doHealthCheck(): Promise<Omit<HealthReport, 'provider' | 'latencyMs'>> {
    this.#assertLive();
    this.#o.recheckLicense();
    const runtime = this.#loaded;
    if (runtime) {
      const [vram, ram] = await Promise.all([runtime.llama.getVramState(), runtime.llama.getRamState()]);
      return {
        status: 'ok',
        reachable: true,
        authenticated: true,
        model: { id: runtime.file.selected.id, present: true, loaded: true },
        details: {
          device: runtime.llama.gpu === false ? 'cpu' : runtime.llama.gpu,
          gpuLayers: runtime.model.gpuLayers,
          vram: { totalBytes: vram.total, usedBytes: vram.used, freeBytes: vram.free },
          ram: { totalBytes: ram.total, freeBytes: ram.free },
          loadTimeMs: runtime.loadTimeMs,
          file: basename(runtime.file.selected.path),
          quantization: runtime.file.selected.precision,
          tensorType: runtime.file.selected.dominantType,
          contextSize: runtime.contextSize,
          sequences: runtime.pool.size,
          threads: this.#o.threads,
          active: runtime.pool.active,
          queued: runtime.pool.queued,
          licensee: this.#o.license.licensee,
        },
      };
    }
    // Not loaded yet: the file must be present, valid and allowed, and the backend loadable.
    const file = await this.#resolveFile();
    const llama = await this.#ensureLlama();
    return {
      status: this.#loading ? 'degraded' : 'ok',
      reachable: true,
      authenticated: true,
      model: { id: file.selected.id, present: true, loaded: false },
      ...(this.#loading ? { reason: 'the model is loading' } : {}),
      details: {
        device: llama.gpu === false ? 'cpu' : llama.gpu,
        file: basename(file.selected.path),
        quantization: file.selected.precision,
        tensorType: file.selected.dominantType,
        threads: this.#o.threads,
        licensee: this.#o.license.licensee,
      },
    };
  }

  /**
   * Downloads a GGUF model (`hf:<user>/<repo>/<file>.gguf` or an http(s) URL) into the cache dir,
   * with progress, resuming an interrupted download, checked against `CUSTOM_MODEL_SHA256` when
   * set; `autoarr-llm pull --provider custom <uri>` calls it. Returns the cached file's path.
   */
  async pullModel(model: string, options: { onProgress?: (progress: PullProgress) => void; signal?: AbortSignal; huggingFaceEndpoint?: string } = {}): Promise<{ model: string; path: string }> {
    this.#assertLive();
    const signal = options.signal ? AbortSignal.any([options.signal, this.#shutdown.signal]) : this.#shutdown.signal;
    const path = await pullGgufModel(model, {
      cacheDir: this.#cacheDir(),
      sha256: this.#o.settings.modelSha256,
      huggingFaceEndpoint: options.huggingFaceEndpoint,
      onProgress: options.onProgress,
      signal,
      logger: this.#logger,
    });
    return { model: basename(path).replace(/\.gguf$/i, ''), path };
  }

  /** Deletes a pulled model from the cache dir by its id (file name without `.gguf`); false when there is none. */
  async removeModel(id: string): Promise<boolean> {
    this.#assertLive();
    if (!/^[^/\\]+$/.test(id) || id.startsWith('.')) throw new InvalidRequestError(`custom: "${id}" is not a model id (a file name in the cache dir)`, { provider: 'custom', field: 'model' });
    const path = join(this.#cacheDir(), /\.gguf$/i.test(id) ? id : `${id}.gguf`);
    try {
      await unlink(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  #cacheDir(): string {
    return resolve(this.#o.appRoot ?? process.cwd(), this.#o.settings.cacheDir);
  }

  /** Models pulled into the cache dir (not the configured one): what `models custom` lists beside it. */
  async #cachedModels(exclude: ReadonlySet<string>): Promise<ModelInfo[]> {
    const dir = this.#cacheDir();
    const names = await readdir(dir).catch(() => [] as string[]);
    const out: ModelInfo[] = [];
    for (const name of names.filter((n) => /\.gguf$/i.test(n)).sort()) {
      const path = join(dir, name);
      if (exclude.has(path)) continue;
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      const id = name.replace(/\.gguf$/i, '');
      out.push({ id, provider: this.name, displayName: id, capabilities: { streaming: true, tools: false, vision: false, json: true }, details: { cached: true, sizeBytes: info.size, selected: false, loaded: false } });
    }
    return out;
  }

  /** The configured model and the other variants beside it, with facts read from each file. */
  async getModels(): Promise<ModelInfo[]> {
    try {
      this.#assertLive();
      const file = await this.#resolveFile();
      const configured = await Promise.all(file.variants.map(async (v) => this.#modelInfo(v, file, await this.#toolSupport(v.path))));
      return [...configured, ...(await this.#cachedModels(new Set(file.variants.map((v) => v.path))))];
    } catch (error) {
      throw mapLlamaError(error);
    }
  }

  protected override mapError(error: unknown): unknown {
    return mapLlamaError(error);
  }

  protected override async doDispose(): Promise<void> {
    this.#shutdown.abort(new ProviderUnavailableError('custom: the provider was disposed', { provider: 'custom', retryable: true }));
    await Promise.allSettled([...this.#running]);
    const runtime = await this.#runtime?.catch(() => undefined);
    const lease = await this.#llama?.catch(() => undefined);
    if (runtime) {
      runtime.pool.dispose();
      await runtime.context.dispose();
      await runtime.model.dispose();
    }
    lease?.release();
    this.#loaded = undefined;
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#running.add(promise);
    const untrack = () => this.#running.delete(promise);
    promise.then(untrack, untrack);
    return promise;
  }

  #toolSupport(path: string): Promise<boolean> {
    let known = this.#tools.get(path);
    if (!known) {
      known = readToolSupport(path);
      known.catch(() => this.#tools.delete(path));
      this.#tools.set(path, known);
    }
    return known;
  }

  #modelInfo(v: ModelFacts, file: ResolvedModelFile, tools: boolean): ModelInfo {
    const selected = v.path === file.selected.path;
    return {
      id: v.id,
      provider: this.name,
      displayName: v.name ?? v.id,
      ...(v.contextLength ? { contextLength: v.contextLength } : {}),
      capabilities: {
        streaming: true,
        tools: this.#loaded && selected ? supportsFunctionCalling(this.#loaded.chatWrapper) : tools,
        vision: false,
        json: true,
      },
      details: {
        quantization: v.precision,
        tensorType: v.dominantType,
        tensorTypes: v.tensorTypeCounts,
        sizeBytes: v.sizeBytes,
        architecture: v.architecture,
        selected,
        loaded: selected && this.#loaded !== undefined,
        ...(selected && this.#loaded ? { contextSize: this.#loaded.contextSize } : {}),
      },
    };
  }

  #resolveFile(): Promise<ResolvedModelFile> {
    this.#assertLive();
    this.#file ??= resolveModelFile(this.#o.settings, {
      appRoot: this.#o.appRoot,
      logger: this.#logger,
      onDownloadProgress: this.#o.onDownloadProgress,
      signal: this.#shutdown.signal,
    }).catch((error: unknown) => {
      // A local file may be fixed (copied, moved) before the next attempt: not cached. A failed
      // or refused download is: fetching it again for the availability check, the health check
      // and the call would move the whole model over the wire each time (a wrong sha256 once
      // cost twice the model's size); a new provider (the next command) tries again.
      if (!isUrl(this.#o.settings.modelPath)) this.#file = undefined;
      throw error;
    });
    return this.#file;
  }

  async #ensureLlama(): Promise<Llama> {
    this.#assertLive();
    this.#llama ??= loadLlamaBackend(this.#o.settings.device, this.#o.threads, this.#logger).catch((error: unknown) => {
      this.#llama = undefined;
      throw error;
    });
    return (await this.#llama).llama;
  }

  async #ensureRuntime(): Promise<Runtime> {
    this.#assertLive();
    this.#runtime ??= this.#load().catch((error: unknown) => {
      this.#runtime = undefined;
      throw error;
    });
    return this.#runtime;
  }

  async #load(): Promise<Runtime> {
    this.#loading = true;
    try {
      const started = performance.now();
      const file = await this.#resolveFile();
      const lib = await loadNodeLlamaCpp();
      const llama = await this.#ensureLlama();
      const settings = this.#o.settings;
      // The LoRA adapter passes the same checks as the model (inside the allowed directories, GGUF).
      const lora = settings.lora ? await checkModelPath(settings.lora, file.allowedDirs, 'lora') : undefined;
      const gpuLayers = llama.gpu === false ? 0 : settings.gpuLayers;
      const model = await llama.loadModel({ modelPath: file.selected.path, gpuLayers });
      try {
        const contextSize = settings.contextSize ?? Math.min(model.trainContextSize, 4096);
        const context = await model.createContext({
          contextSize,
          sequences: settings.sequences,
          threads: this.#o.threads,
          ...(lora ? { lora: { adapters: [{ filePath: lora, scale: settings.loraScale }] } } : {}),
        });
        const chatWrapper = lib.resolveChatWrapper(model);
        const runtime: Runtime = {
          lib,
          llama,
          model,
          context,
          chatWrapper,
          pool: new SequencePool(() => context.getSequence(), settings.sequences, settings.maxQueue),
          file,
          loadTimeMs: Math.round(performance.now() - started),
          contextSize: context.contextSize,
          grammars: new Map(),
        };
        this.#logger.info(
          { provider: 'custom', model: file.selected.id, device: llama.gpu === false ? 'cpu' : llama.gpu, quantization: file.selected.precision, loadTimeMs: runtime.loadTimeMs },
          'custom model loaded',
        );
        this.#loaded = runtime;
        return runtime;
      } catch (error) {
        await model.dispose();
        throw error;
      }
    } finally {
      this.#loading = false;
    }
  }

  async #generate(messages: LLMMessage[], options: ResolvedCallOptions, callSignal: AbortSignal, onText: ((text: string) => void) | undefined): Promise<LLMResponse> {
    this.#assertLive();
    const signal = AbortSignal.any([callSignal, this.#shutdown.signal]);
    this.#pending++;
    try {
      const history = toChatHistory(messages);
      const runtime = await this.#ensureRuntime();
      signal.throwIfAborted();
      const modelId = runtime.file.selected.id;
      if (options.model !== undefined && options.model !== modelId && options.model !== runtime.file.alias) {
        throw new ModelNotFoundError(options.model, `custom: model "${options.model}" is not loaded; this provider serves "${modelId}" (choose a variant with CUSTOM_MODEL_QUANTIZATION)`, { provider: 'custom' });
      }
      const functions = this.#functions(options, runtime);
      const grammar = await this.#grammar(options, runtime, functions !== undefined);
      // Never the whole context by default: a model that does not stop would run for minutes.
      const maxTokens = Math.min(options.maxTokens ?? this.#o.settings.maxTokens, runtime.contextSize);
      const custom = options.providerOptions?.['custom'] ?? {};
      this.#o.onGenerate?.({
        model: modelId,
        history,
        temperature: options.temperature,
        maxTokens,
        stop: options.stop,
        tools: functions ? Object.keys(functions) : undefined,
        json: grammar !== undefined,
        stream: onText !== undefined,
      });

      const sequence = await runtime.pool.acquire(signal);
      const chat = new runtime.lib.LlamaChat({ contextSequence: sequence, chatWrapper: runtime.chatWrapper, autoDisposeSequence: false });
      try {
        const before = sequence.tokenMeter.getState();
        const common = {
          signal,
          stopOnAbortSignal: false,
          maxTokens,
          temperature: options.temperature,
          ...(typeof custom['seed'] === 'number' ? { seed: custom['seed'] } : {}),
          ...(typeof custom['topK'] === 'number' ? { topK: custom['topK'] } : {}),
          ...(typeof custom['topP'] === 'number' ? { topP: custom['topP'] } : {}),
          ...(typeof custom['minP'] === 'number' ? { minP: custom['minP'] } : {}),
          ...(options.stop ? { customStopTriggers: options.stop } : {}),
          ...(onText ? { onTextChunk: onText } : {}),
        };
        const result = functions
          ? await chat.generateResponse(history, { ...common, functions })
          : await chat.generateResponse(history, { ...common, ...(grammar ? { grammar } : {}) });
        // Generation ends between tokens after an abort; never report a cut answer as complete.
        signal.throwIfAborted();
        const used = runtime.lib.TokenMeter.diff(sequence.tokenMeter, before);
        if (grammar !== undefined && result.metadata.stopReason === 'maxTokens' && !isJson(result.response)) {
          throw new MalformedResponseError(`custom: the JSON answer was cut off at maxTokens (${maxTokens}) before it was complete; raise maxTokens`, {
            provider: 'custom',
            retryable: false,
          });
        }
        // The meter counts only tokens evaluated now; a prompt prefix already in the sequence
        // (the previous call's) is reused without evaluation. The prompt's full size is what is
        // in the sequence less what was generated; as for every provider (see `Usage`), the reused
        // part is reported as cache reads and the rest as input.
        const promptTokens = Math.max(used.usedInputTokens, sequence.contextTokens.length - used.usedOutputTokens);
        const reused = promptTokens - used.usedInputTokens;
        const toolCalls: ToolCall[] | undefined = result.functionCalls?.map((call, i) => ({
          id: `call_${Date.now().toString(36)}_${i}`,
          name: call.functionName,
          input: call.params,
        }));
        return {
          content: result.response,
          model: modelId,
          provider: this.name,
          usage: makeUsage(promptTokens - reused, used.usedOutputTokens, 'reported', reused > 0 ? { cacheReadTokens: reused } : {}),
          finishReason: mapStopReason(result.metadata.stopReason),
          ...(toolCalls && toolCalls.length > 0 ? { toolCalls } : {}),
        };
      } finally {
        chat.dispose({ disposeSequence: false });
        runtime.pool.release(sequence);
      }
    } finally {
      this.#pending--;
    }
  }

  #functions(options: ResolvedCallOptions, runtime: Runtime): ChatModelFunctions | undefined {
    if (!options.tools || options.tools.length === 0 || options.toolChoice === 'none') return undefined;
    if (!supportsFunctionCalling(runtime.chatWrapper)) {
      throw new UnsupportedFeatureError('tools', `custom: the chat template of ${runtime.file.selected.id} has no function-calling syntax`, { provider: 'custom' });
    }
    if (options.toolChoice !== undefined && options.toolChoice !== 'auto') {
      throw new UnsupportedFeatureError('tool-choice', 'custom: local function calling lets the model decide (toolChoice "auto" or "none" only)', { provider: 'custom' });
    }
    if (options.responseFormat?.type === 'json') {
      throw new UnsupportedFeatureError('json-with-tools', 'custom: a JSON response format cannot be combined with tools (both constrain the same output)', { provider: 'custom' });
    }
    const functions: Record<string, { description?: string; params?: Record<string, unknown> }> = {};
    for (const tool of options.tools) functions[tool.name] = { ...(tool.description ? { description: tool.description } : {}), params: tool.inputSchema };
    return functions as ChatModelFunctions;
  }

  async #grammar(options: ResolvedCallOptions, runtime: Runtime, hasFunctions: boolean): Promise<LlamaGrammar | undefined> {
    if (options.responseFormat?.type !== 'json' || hasFunctions) return undefined;
    const schema = options.responseFormat.schema;
    const key = schema ? JSON.stringify(schema) : '';
    let pending = runtime.grammars.get(key);
    if (!pending) {
      pending = (schema ? runtime.llama.createGrammarForJsonSchema(schema as never) : runtime.llama.getGrammarFor('json')) as Promise<LlamaGrammar>;
      pending.catch(() => runtime.grammars.delete(key));
      if (runtime.grammars.size >= MAX_CACHED_GRAMMARS) runtime.grammars.delete(runtime.grammars.keys().next().value as string);
      runtime.grammars.set(key, pending);
    }
    try {
      return await pending;
    } catch (error) {
      throw new InvalidRequestError(`custom: the JSON schema cannot be turned into a grammar: ${(error as Error).message}`, { provider: 'custom', field: 'options.responseFormat.schema', cause: error });
    }
  }
}

function isUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
