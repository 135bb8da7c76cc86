import {
  BaseLLMProvider,
  isCallScoped,
  settingsFromEnv,
  ProviderUnavailableError,
  REDACTED,
  silentLogger,
  type CallAbort,
  type HealthReport,
  type LLMMessage,
  type LLMResponse,
  type Logger,
  parseStructuredOutput,
  type ModelInfo,
  type ResolvedCallOptions,
  type Secret,
  type StreamEventIterator,
} from '@autoarr-llm/core';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { inspect } from 'node:util';
import { ClaudeEventStream } from './claude-event-stream.js';
import { ClaudeSdkClient, REQUEST_CANCEL, RequestCancel } from './claude-sdk-client.js';
import { buildMessageParams } from './build-message-params.js';
import { CLAUDE_ENV, ClaudeSettingsSchema, type ClaudeSettings, type ClaudeSettingsInput } from './claude-settings.js';
import { fromAnthropicMessage } from './from-anthropic-message.js';
import { KNOWN_CLAUDE_MODELS } from './known-claude-models.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { linkSignal } from './link-signal.js';
import { toModelInfo } from './to-model-info.js';
import { toSdkLogger } from './to-sdk-logger.js';

export const CLAUDE_PROVIDER_NAME = 'claude';

type SdkFetchOptions = NonNullable<NonNullable<Parameters<Anthropic['messages']['create']>[1]>['fetchOptions']>;

export interface ClaudeProviderOptions {
  logger?: Logger;
  /** A fetch implementation for the SDK (tests, proxies). */
  fetch?: typeof fetch;
}

/** Claude through the official SDK, with SDK retries off (core's pipeline owns retries). */
export class ClaudeProvider extends BaseLLMProvider {
  readonly name = CLAUDE_PROVIDER_NAME;
  /** The model used when a call names none. */
  readonly model: string;
  readonly #settings: ClaudeSettings;
  readonly #logger: Logger;
  readonly #fetch: typeof fetch | undefined;
  #client: ClaudeSdkClient | undefined;

  constructor(settings: ClaudeSettings, options: ClaudeProviderOptions = {}) {
    super();
    this.#settings = settings;
    this.model = settings.model;
    this.#logger = options.logger ?? silentLogger;
    this.#fetch = options.fetch;
  }

  /** Whether an API key is configured (no network). */
  get configured(): boolean {
    return this.#settings.apiKey !== undefined;
  }

  protected async doComplete(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): Promise<LLMResponse> {
    const client = this.#client_();
    const params = this.#params(messages, options);
    params.stream = false;
    let message: unknown;
    if (isCallScoped(signal)) {
      // The SDK sends the request and types HTTP errors; the body is parsed here, which skips the
      // SDK's response pipeline (~10 µs a call). Reading it this way leaves the SDK's listener on the
      // signal until the body is collected: harmless on a signal that ends with the call.
      const res = await client.messages.create(params as MessageCreateParamsNonStreaming, { signal }).asResponse();
      message = await res.json();
    } else message = await client.messages.create(params as MessageCreateParamsNonStreaming, { signal });
    return this.#toResponse(message, options);
  }

  /**
   * A call cancelled through the pipeline's scope (or not at all): the cancellation is linked to
   * the SDK's own per-request controller (`ClaudeSdkClient`), so no AbortSignal is created and the
   * SDK keeps no listener; the body is parsed here, as on a call-scoped signal.
   */
  protected override async doCompleteWith(messages: LLMMessage[], options: ResolvedCallOptions, cancel: CallAbort): Promise<LLMResponse> {
    const client = this.#client_();
    const params = this.#params(messages, options);
    params.stream = false;
    const link = new RequestCancel(cancel);
    try {
      const res = await client.messages.create(params as MessageCreateParamsNonStreaming, { fetchOptions: { [REQUEST_CANCEL]: link } as SdkFetchOptions }).asResponse();
      return this.#toResponse(await res.json(), options);
    } finally {
      link.release();
    }
  }

  #toResponse(message: unknown, options: ResolvedCallOptions): LLMResponse {
    const response = fromAnthropicMessage(message, this.name);
    if (options.responseFormat?.type === 'json') parseStructuredOutput(response.content, options.responseFormat.schema, this.name, response.model);
    return response;
  }

  /** The streamed Messages API call as core events (see `ClaudeEventStream`). */
  protected doStream(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): StreamEventIterator {
    const linked = isCallScoped(signal) ? undefined : linkSignal(signal);
    return this.#stream(messages, options, { signal: linked?.signal ?? signal }, signal, linked);
  }

  /** The stream cancelled through a scope (the pipeline attempt's): linked to the SDK's own controller, no AbortSignal. */
  protected override doStreamWith(messages: LLMMessage[], options: ResolvedCallOptions, cancel: CallAbort): StreamEventIterator {
    if (cancel instanceof AbortSignal) return this.doStream(messages, options, cancel);
    const link = new RequestCancel(cancel);
    return this.#stream(messages, options, { fetchOptions: { [REQUEST_CANCEL]: link } as SdkFetchOptions }, cancel, link);
  }

  #stream(
    messages: LLMMessage[],
    options: ResolvedCallOptions,
    requestOptions: { signal: AbortSignal } | { fetchOptions: SdkFetchOptions },
    cancel: { readonly aborted: boolean; readonly reason: unknown },
    release: { release(): void } | undefined,
  ): StreamEventIterator {
    const params = this.#params(messages, options);
    params.stream = true;
    return new ClaudeEventStream(this.name, this.#client_(), params as MessageCreateParamsStreaming, requestOptions, options, cancel, release);
  }

  protected async doHealthCheck(): Promise<Omit<HealthReport, 'provider' | 'latencyMs'>> {
    if (!this.configured) return { status: 'down', reachable: false, authenticated: false, reason: missingKeyMessage(this.name) };
    const model = this.model;
    try {
      // One cheap, bounded call answers all three questions: reachable, authenticated, model present.
      await this.#client_().models.retrieve(model, {}, { timeout: this.#settings.checkTimeout, maxRetries: 0 });
      return { status: 'ok', reachable: true, authenticated: true, model: { id: model, present: true } };
    } catch (error) {
      if (!(error instanceof APIError) || error.status === undefined) throw error;
      if (error.status === 401) return { status: 'down', reachable: true, authenticated: false, reason: `${this.name}: the API key was refused (HTTP 401); check CLAUDE_API_KEY` };
      if (error.status === 404 && error.type === 'not_found_error' && /model/i.test(error.apiMessage ?? '')) {
        return { status: 'degraded', reachable: true, authenticated: true, model: { id: model, present: false }, reason: `${this.name}: model "${model}" does not exist for this key; set CLAUDE_MODEL` };
      }
      if (error.status === 403 || error.status === 404) {
        // Keys that may not read the Models API can still send messages: judge the model by the built-in list.
        const known = KNOWN_CLAUDE_MODELS.some((m) => m.id === model);
        return { status: 'ok', reachable: true, authenticated: true, model: { id: model, present: known }, details: { modelsApi: `refused (HTTP ${error.status})` } };
      }
      throw error;
    }
  }

  /**
   * Models from the Models API. When listing is refused (403/404), the built-in list of known models
   * (`KNOWN_CLAUDE_MODELS`) is returned instead.
   */
  async getModels(): Promise<ModelInfo[]> {
    const client = this.#client_();
    try {
      const models: ModelInfo[] = [];
      for await (const model of client.models.list({ limit: 100 }, { timeout: this.#settings.checkTimeout, maxRetries: 0 })) models.push(toModelInfo(model, this.name));
      return models;
    } catch (error) {
      if (error instanceof APIError && (error.status === 403 || error.status === 404)) {
        this.#logger.debug({ provider: this.name, status: error.status }, 'the Models API is not available to this key; using the built-in model list');
        return KNOWN_CLAUDE_MODELS.map((m) => ({ ...m, capabilities: { ...m.capabilities }, details: { ...m.details } }));
      }
      throw this.mapError(error);
    }
  }

  protected override mapError(error: unknown): unknown {
    return mapAnthropicError(error, { provider: this.name, model: this.model, timeoutMs: this.#settings.timeout, baseUrl: this.#settings.baseUrl });
  }

  protected override async doDispose(): Promise<void> {
    // The SDK holds no sockets of its own (fetch's pool is global); dropping the client ends its use.
    this.#client = undefined;
  }

  /** A printable, secret-free summary. */
  toJSON(): Record<string, unknown> {
    const { apiKey, ...rest } = this.#settings;
    return { name: this.name, ...rest, apiKey: apiKey ? REDACTED : undefined };
  }

  [inspect.custom](): string {
    return `ClaudeProvider ${inspect(this.toJSON())}`;
  }

  #params(messages: LLMMessage[], options: ResolvedCallOptions) {
    return buildMessageParams(messages, options, { provider: this.name, model: this.model, maxTokens: this.#settings.maxTokens, apiVersion: this.#settings.apiVersion });
  }

  #client_(): ClaudeSdkClient {
    if (this.disposed) throw new ProviderUnavailableError(`${this.name}: the provider has been disposed`, { provider: this.name, retryable: false });
    const key: Secret | undefined = this.#settings.apiKey;
    if (!key) throw new ProviderUnavailableError(missingKeyMessage(this.name), { provider: this.name, retryable: false });
    this.#client ??= new ClaudeSdkClient({
      // Passing the key explicitly also stops the SDK from reading ANTHROPIC_* variables or profile files.
      apiKey: key.reveal(),
      baseURL: this.#settings.baseUrl,
      timeout: this.#settings.timeout,
      maxRetries: 0,
      logger: toSdkLogger(this.#logger),
      logLevel: 'warn',
      ...(this.#settings.apiVersion ? { defaultHeaders: { 'anthropic-version': this.#settings.apiVersion } } : {}),
      ...(this.#fetch ? { fetch: this.#fetch } : {}),
    });
    return this.#client;
  }
}

function missingKeyMessage(provider: string): string {
  return `${provider}: no API key configured; set CLAUDE_API_KEY (or ANTHROPIC_API_KEY)`;
}

export interface CreateClaudeOptions extends ClaudeProviderOptions {
  /** Where unset settings are read from (`CLAUDE_API_KEY`, `CLAUDE_MODEL`, …). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Creates the Claude provider. Settings not given are read from the environment (`CLAUDE_ENV`);
 * a missing key does not throw: the provider reports itself unavailable.
 */
export function createClaude(settings: ClaudeSettingsInput = {}, options: CreateClaudeOptions = {}): ClaudeProvider {
  const parsed = settingsFromEnv({ name: CLAUDE_PROVIDER_NAME, configSchema: ClaudeSettingsSchema, env: CLAUDE_ENV }, settings, options.env ?? process.env, 'createClaude() settings');
  return new ClaudeProvider(parsed, options);
}
