import {
  BaseLLMProvider,
  MalformedResponseError,
  makeUsage,
  type CallOptions,
  type HealthReport,
  type LLMMessage,
  type LLMResponse,
  type ModelInfo,
  type ResolvedCallOptions,
  type StreamEvent,
} from '@autoarr-llm/core';
import { abortableSleep, waitForAbort } from './abortable-sleep.js';
import { errorForKind } from './error-for-kind.js';
import type { NormalizedRequest, Scenario } from './scenario.js';

export interface MockProviderOptions {
  name?: string;
  model?: string;
  /** What `isAvailable` / `healthCheck` report (default true). */
  available?: boolean;
  /** Added before every answer (ms). */
  latencyMs?: number;
  /** The answer when nothing is scripted (default `Mock response`, as in the seed). */
  defaultResponse?: string;
  /** Scenarios to serve first, in order. */
  script?: Scenario[];
  models?: ModelInfo[];
}

export interface MockCall {
  method: 'complete' | 'stream';
  messages: LLMMessage[];
  options: ResolvedCallOptions;
}

/**
 * A scriptable in-process provider for application tests (the seed's MockProvider): queue answers,
 * streams, failures and latency; inspect the calls it received. It honours aborts and deadlines
 * and follows the provider contract, which its own conformance run proves.
 */
export class MockProvider extends BaseLLMProvider {
  readonly name: string;
  readonly model: string;
  readonly calls: MockCall[] = [];
  available: boolean;
  latencyMs: number;
  #queue: Scenario[];
  #defaultResponse: string;
  #models: ModelInfo[];
  #inFlight = 0;

  constructor(options: MockProviderOptions = {}) {
    super();
    this.name = options.name ?? 'mock';
    this.model = options.model ?? 'mock-model';
    this.available = options.available ?? true;
    this.latencyMs = options.latencyMs ?? 0;
    this.#queue = [...(options.script ?? [])];
    this.#defaultResponse = options.defaultResponse ?? 'Mock response';
    this.#models = options.models ?? [
      { id: this.model, provider: this.name, contextLength: 8192, capabilities: { streaming: true, tools: true, vision: true, json: true } },
    ];
  }

  /** Queue scenarios, served one per call. */
  enqueue(...scenarios: Scenario[]): this {
    this.#queue.push(...scenarios);
    return this;
  }

  /** Queue a plain text answer (streamed word by word). */
  reply(text: string): this {
    return this.enqueue({ type: 'text', chunks: text.match(/\S+\s*|\s+/g) ?? [text] });
  }

  /** Requests being served right now (a cancelled one leaves this count). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The last call, provider-neutral (what the conformance suite checks). */
  lastRequest(): NormalizedRequest | undefined {
    const call = this.calls.at(-1);
    if (!call) return undefined;
    const text = (m: LLMMessage) =>
      typeof m.content === 'string'
        ? m.content
        : m.content.map((p) => (p.type === 'text' ? p.text : p.type === 'tool-result' ? (typeof p.content === 'string' ? p.content : JSON.stringify(p.content)) : '')).join('');
    const choice = call.options.toolChoice;
    const system = call.messages.filter((m) => m.role === 'system').map(text);
    return {
      model: call.options.model ?? this.model,
      system: system.length > 0 ? system.join('\n') : undefined,
      messages: call.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, text: text(m) })),
      temperature: call.options.temperature,
      maxTokens: call.options.maxTokens,
      stop: call.options.stop,
      stream: call.method === 'stream',
      tools: call.options.tools?.map((t) => t.name),
      toolChoice: choice === undefined ? undefined : typeof choice === 'string' ? choice : { name: choice.name },
      jsonOutput: call.options.responseFormat?.type === 'json',
      images: call.messages.reduce((n, m) => n + (typeof m.content === 'string' ? 0 : m.content.filter((p) => p.type === 'image').length), 0),
    };
  }

  override async isAvailable(): Promise<boolean> {
    return this.available;
  }

  protected async doHealthCheck(): Promise<Omit<HealthReport, 'provider' | 'latencyMs'>> {
    return this.available
      ? { status: 'ok', reachable: true, authenticated: true, model: { id: this.model, present: true, loaded: true } }
      : { status: 'down', reachable: false, reason: `${this.name} is scripted as unavailable` };
  }

  async getModels(): Promise<ModelInfo[]> {
    return this.#models;
  }

  protected async doComplete(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): Promise<LLMResponse> {
    this.calls.push({ method: 'complete', messages, options });
    this.#inFlight++;
    try {
      const scenario = this.#next();
      if (this.latencyMs > 0) await abortableSleep(this.latencyMs, signal);
      switch (scenario.type) {
        case 'text':
          return this.#response(scenario.chunks.join(''), messages, options, scenario);
        case 'tool-calls':
          return { ...this.#response(scenario.text ?? '', messages, options, scenario), toolCalls: scenario.calls, finishReason: 'tool-calls' };
        case 'error':
          throw errorForKind(scenario.error, this.name, options.model ?? this.model, scenario.retryAfterSeconds, scenario.message);
        case 'malformed':
          throw new MalformedResponseError(`${this.name}: scripted malformed answer`, { provider: this.name });
        default:
          // cut / stall / hang / stream-error: a non-streamed call never gets its body.
          return await waitForAbort(signal);
      }
    } finally {
      this.#inFlight--;
    }
  }

  protected async *doStream(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
    this.calls.push({ method: 'stream', messages, options });
    this.#inFlight++;
    try {
      const scenario = this.#next();
      if (this.latencyMs > 0) await abortableSleep(this.latencyMs, signal);
      if (scenario.type === 'error') throw errorForKind(scenario.error, this.name, options.model ?? this.model, scenario.retryAfterSeconds, scenario.message);
      if (scenario.type === 'malformed') throw new MalformedResponseError(`${this.name}: scripted malformed stream`, { provider: this.name });
      if (scenario.type === 'hang') return await waitForAbort(signal);
      const chunks = scenario.type === 'tool-calls' ? (scenario.text ? [scenario.text] : []) : scenario.chunks;
      for (const chunk of chunks) {
        if (scenario.type === 'text' && scenario.delayMs) await abortableSleep(scenario.delayMs, signal);
        signal.throwIfAborted();
        yield { type: 'text', text: chunk };
      }
      switch (scenario.type) {
        case 'text':
          return this.#response(chunks.join(''), messages, options, scenario);
        case 'tool-calls':
          for (const call of scenario.calls) yield { type: 'tool-call', toolCall: call };
          return { ...this.#response(chunks.join(''), messages, options, scenario), toolCalls: scenario.calls, finishReason: 'tool-calls' };
        case 'cut':
        case 'truncated':
          return undefined;
        case 'stream-error':
          throw errorForKind('server', this.name, options.model ?? this.model, undefined, scenario.message ?? `${this.name}: scripted error mid-stream`);
        case 'stall':
          return await waitForAbort(signal);
      }
    } finally {
      this.#inFlight--;
    }
  }

  #next(): Scenario {
    return this.#queue.shift() ?? { type: 'text', chunks: [this.#defaultResponse] };
  }

  #response(
    content: string,
    messages: LLMMessage[],
    options: ResolvedCallOptions,
    scenario: { usage?: { inputTokens: number; outputTokens: number }; finishReason?: LLMResponse['finishReason'] },
  ): LLMResponse {
    const input = scenario.usage?.inputTokens ?? Math.max(1, Math.ceil(JSON.stringify(messages).length / 4));
    const output = scenario.usage?.outputTokens ?? Math.max(content.length > 0 ? 1 : 0, Math.ceil(content.length / 4));
    return {
      content,
      model: options.model ?? this.model,
      provider: this.name,
      usage: makeUsage(input, output),
      finishReason: scenario.finishReason ?? 'stop',
    };
  }
}

export type { CallOptions };
