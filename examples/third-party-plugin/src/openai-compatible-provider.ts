import { inspect } from 'node:util';
import {
  AbortedError,
  AuthenticationError,
  BaseLLMProvider,
  LLMError,
  ModelNotFoundError,
  REDACTED,
  silentLogger,
  TimeoutError,
  type HealthReport,
  type LLMMessage,
  type LLMResponse,
  type Logger,
  type ModelInfo,
  type ResolvedCallOptions,
  type StreamEvent,
} from '@autoarr-llm/core';
import { buildChatRequest } from './build-chat-request.js';
import { ChatStreamAccumulator } from './chat-stream-accumulator.js';
import { checkStructuredOutput } from './check-structured-output.js';
import { fromChatCompletion } from './from-chat-completion.js';
import { mapOpenAICompatibleError } from './map-openai-compatible-error.js';
import type { OpenAICompatibleSettings } from './openai-compatible-settings.js';
import type { ChatCompletion, ChatCompletionChunk, OpenAIModelList } from './openai-wire.js';
import { OpenAIWireError } from './openai-wire-error.js';
import { readSse } from './read-sse.js';
import { errorFields, readWireError } from './read-wire-error.js';
import { RequestDeadline } from './request-deadline.js';
import { toModelInfo } from './to-model-info.js';

export const OPENAI_COMPATIBLE_PROVIDER_NAME = 'openai-compatible';

export interface OpenAICompatibleProviderOptions {
  logger?: Logger;
  /** The fetch every request goes through (a proxy agent, a test double). Default: the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Any server speaking the OpenAI Chat Completions API (llama-server, vLLM, LM Studio, …) behind
 * the provider contract, with nothing but `fetch`: JSON for `complete`, server-sent events for
 * `streamComplete`, GET /models for `getModels` and the health check. No retries here: core's
 * pipeline owns them.
 */
export class OpenAICompatibleProvider extends BaseLLMProvider {
  readonly name = OPENAI_COMPATIBLE_PROVIDER_NAME;
  readonly #settings: OpenAICompatibleSettings;
  readonly #logger: Logger;
  readonly #fetch: typeof fetch;
  // Ends every open request when the provider is disposed.
  readonly #disposal = new AbortController();
  #servedModel: Promise<string> | undefined;

  constructor(settings: OpenAICompatibleSettings, options: OpenAICompatibleProviderOptions = {}) {
    super();
    this.#settings = settings;
    this.#logger = options.logger ?? silentLogger;
    this.#fetch = options.fetch ?? fetch;
  }

  /** The configured model; undefined means "the first model the server lists". */
  get model(): string | undefined {
    return this.#settings.model;
  }

  get baseUrl(): string {
    return this.#settings.baseUrl;
  }

  // ── completion ────────────────────────────────────────────────────────────────────────────

  protected async doComplete(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): Promise<LLMResponse> {
    const model = await this.#modelFor(options, signal);
    const body = buildChatRequest(messages, options, { provider: this.name, model, stream: false });
    const deadline = new RequestDeadline(this.name);
    // A non-streamed answer arrives whole, so the server's first byte is also its last.
    deadline.arm(this.#settings.timeout, 'total');
    try {
      const response = await this.#request('POST', '/chat/completions', AbortSignal.any([signal, deadline.signal]), body);
      const result = fromChatCompletion(await readJson<ChatCompletion>(response), { provider: this.name, model });
      if (options.responseFormat?.type === 'json') checkStructuredOutput(result.content, options.responseFormat.schema, this.name);
      return result;
    } catch (error) {
      throw this.#failure(error, deadline, signal, model);
    } finally {
      deadline.clear();
    }
  }

  protected async *doStream(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
    const model = await this.#modelFor(options, signal);
    const body = buildChatRequest(messages, options, { provider: this.name, model, stream: true });
    const deadline = new RequestDeadline(this.name);
    const accumulator = new ChatStreamAccumulator(this.name, model);
    let text = '';
    let done = false;
    deadline.arm(this.#settings.timeout, 'first-chunk');
    try {
      const response = await this.#request('POST', '/chat/completions', AbortSignal.any([signal, deadline.signal]), body);
      if (!isEventStream(response)) {
        // Some proxies ignore `stream: true` and answer with one JSON completion: pass it on whole.
        const whole = fromChatCompletion(await readJson<ChatCompletion>(response), { provider: this.name, model });
        if (whole.content) yield { type: 'text', text: whole.content };
        for (const toolCall of whole.toolCalls ?? []) yield { type: 'tool-call', toolCall };
        return whole;
      }
      for await (const event of readSse(response.body!)) {
        // The consumer's pace is not the server's: no deadline runs while events are handed over.
        deadline.clear();
        if (event.data === '[DONE]') {
          done = true;
          break;
        }
        const chunk = parseChunk(event.data);
        if (chunk.error !== undefined || event.event === 'error') {
          const fields = errorFields(chunk.error);
          throw new OpenAIWireError('stream-error', fields.message ?? 'the server reported an error mid-stream', fields);
        }
        for (const out of accumulator.push(chunk)) {
          if (out.type === 'text') text += out.text;
          yield out;
        }
        deadline.arm(this.#settings.timeout, 'idle');
      }
      // No [DONE] and no finish_reason: the stream was cut, and core makes that an INCOMPLETE_STREAM.
      if (!done && !accumulator.finished) return undefined;
      const { events, response: final } = accumulator.finish();
      for (const out of events) yield out;
      if (options.responseFormat?.type === 'json') checkStructuredOutput(text, options.responseFormat.schema, this.name);
      return final;
    } catch (error) {
      throw this.#failure(error, deadline, signal, model);
    } finally {
      deadline.clear();
    }
  }

  // ── models and health ─────────────────────────────────────────────────────────────────────

  /** The models the server lists (GET /models), with context length where the server reports it. */
  async getModels(): Promise<ModelInfo[]> {
    const models = await this.#listModels(this.#settings.timeout, 'listing models');
    return models.map((m) => toModelInfo(m, this.name));
  }

  protected async doHealthCheck(): Promise<Omit<HealthReport, 'provider' | 'latencyMs'>> {
    let ids: string[];
    try {
      ids = (await this.#listModels(this.#settings.checkTimeout, 'the health check')).map((m) => m.id);
    } catch (error) {
      if (AuthenticationError.isInstance(error)) return { status: 'down', reachable: true, authenticated: false, reason: error.message };
      throw error;
    }
    const details = { baseUrl: this.#settings.baseUrl, models: ids };
    const wanted = this.#settings.model;
    if (wanted === undefined) {
      const first = ids[0];
      if (!first) return { status: 'degraded', reachable: true, authenticated: true, reason: `${this.name}: the server lists no model; load one, or set OPENAI_COMPATIBLE_MODEL`, details };
      return { status: 'ok', reachable: true, authenticated: true, model: { id: first, present: true }, details };
    }
    if (ids.includes(wanted)) return { status: 'ok', reachable: true, authenticated: true, model: { id: wanted, present: true }, details };
    // llama-server answers for any model name, so a name it does not list is a warning, not an outage.
    return {
      status: 'degraded',
      reachable: true,
      authenticated: true,
      model: { id: wanted, present: false },
      reason: `${this.name}: model "${wanted}" is not among the models the server lists (${ids.join(', ') || 'none'}); check OPENAI_COMPATIBLE_MODEL`,
      details,
    };
  }

  // ── plumbing ──────────────────────────────────────────────────────────────────────────────

  protected override mapError(error: unknown): unknown {
    return mapOpenAICompatibleError(error, this.#context(this.#settings.model ?? '(server default)'));
  }

  protected override async doDispose(): Promise<void> {
    this.#disposal.abort(new AbortedError(`${this.name}: the provider was disposed`, { provider: this.name }));
  }

  /** A printable, secret-free summary. */
  toJSON(): Record<string, unknown> {
    const { apiKey, ...rest } = this.#settings;
    return { name: this.name, ...rest, apiKey: apiKey ? REDACTED : undefined };
  }

  [inspect.custom](): string {
    return `OpenAICompatibleProvider ${inspect(this.toJSON())}`;
  }

  #context(model: string) {
    return { provider: this.name, model, baseUrl: this.#settings.baseUrl };
  }

  /** One HTTP request; an answer of 400 or more is thrown as a wire error with its status and body fields. */
  async #request(method: 'GET' | 'POST', path: string, signal: AbortSignal, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: body && (body as { stream?: unknown }).stream ? 'text/event-stream' : 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    // The key is revealed only here, where it leaves for the server.
    if (this.#settings.apiKey) headers['authorization'] = `Bearer ${this.#settings.apiKey.reveal()}`;
    const response = await this.#fetch(`${this.#settings.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.any([signal, this.#disposal.signal]),
    });
    if (!response.ok) throw await readWireError(response);
    return response;
  }

  async #listModels(ms: number, what: string): Promise<Array<{ id: string } & NonNullable<OpenAIModelList['data']>[number]>> {
    const bound = AbortSignal.timeout(ms);
    try {
      const list = await readJson<OpenAIModelList>(await this.#request('GET', '/models', bound));
      if (!Array.isArray(list.data)) throw new OpenAIWireError('malformed', 'GET /models answered without a "data" list');
      return list.data.filter((m): m is typeof m & { id: string } => typeof m?.id === 'string' && m.id.length > 0);
    } catch (error) {
      if (LLMError.isInstance(error)) throw error;
      if (this.#disposal.signal.aborted) throw new AbortedError(`${this.name}: ${what} stopped: the provider was disposed`, { provider: this.name, cause: error });
      if (bound.aborted) {
        throw new TimeoutError(`${this.name}: the server at ${this.#settings.baseUrl} did not answer GET /models within ${ms} ms`, { provider: this.name, phase: 'total', timeoutMs: ms, cause: error });
      }
      throw mapOpenAICompatibleError(error, this.#context(this.#settings.model ?? '(server default)'));
    }
  }

  /** The call's model, else the configured one, else the first the server lists (looked up once). */
  async #modelFor(options: ResolvedCallOptions, signal: AbortSignal): Promise<string> {
    const named = options.model ?? this.#settings.model;
    if (named) return named;
    this.#servedModel ??= this.#listModels(this.#settings.checkTimeout, 'looking up the served model').then((models) => {
      const first = models[0]?.id;
      if (!first) throw new ModelNotFoundError('(none)', `${this.name}: the server lists no model; load one, or set OPENAI_COMPATIBLE_MODEL`, { provider: this.name });
      this.#logger.debug({ provider: this.name, model: first }, 'no model configured; using the first model the server lists');
      return first;
    });
    // A failed lookup is not remembered: the next call asks again.
    this.#servedModel.catch(() => (this.#servedModel = undefined));
    return raceAbort(this.#servedModel, signal);
  }

  /** The typed error for a failed chat request: our own deadline first, then the wire error. */
  #failure(error: unknown, deadline: RequestDeadline, signal: AbortSignal, model: string): unknown {
    // The caller's abort or the call's deadline: core turns the error into ABORTED or TIMEOUT.
    if (signal.aborted) return error;
    if (deadline.expired) return deadline.expired;
    return mapOpenAICompatibleError(error, this.#context(model));
  }
}

async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    // A proxy's HTML error page with status 200 is the usual culprit.
    throw new OpenAIWireError('malformed', `the server answered with something that is not JSON: ${text.slice(0, 120)}`);
  }
}

function parseChunk(data: string): ChatCompletionChunk {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new OpenAIWireError('malformed', `a stream event is not JSON: ${data.slice(0, 120)}`);
  }
  if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) throw new OpenAIWireError('malformed', `a stream event is not a JSON object: ${data.slice(0, 120)}`);
  return chunk as ChatCompletionChunk;
}

function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('text/event-stream') && response.body !== null;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
