import type { ServerResponse } from 'node:http';
import { abortableSleep, waitForAbort } from '../abortable-sleep.js';
import type { ErrorKind, NormalizedRequest, Scenario, ScriptedToolCall } from '../scenario.js';
import { startHttpTestServer, type HttpTestExchange, type RecordedRequest } from './http-test-server.js';
import {
  fakeDigest,
  normalizeOllamaModelName,
  OLLAMA_STAND_IN_DEFAULT_MODEL,
  showEntry,
  tagEntry,
  type OllamaStandInModel,
} from './ollama-stand-in-models.js';

export { normalizeOllamaModelName, OLLAMA_STAND_IN_DEFAULT_MODEL, type OllamaStandInModel } from './ollama-stand-in-models.js';

export interface OllamaStandInOptions {
  /** Installed models (default: `qwen2.5:7b`). */
  installed?: OllamaStandInModel[];
  /** Names of installed models already in memory (default: none, so the first call is a cold load). */
  loaded?: string[];
  /** Models the pretend registry serves to /api/pull. */
  pullable?: OllamaStandInModel[];
  /** How long loading a cold model takes before its first token (ms). */
  coldLoadMs?: number;
  /** Pause between pull progress lines (ms). */
  pullStepMs?: number;
  /** Progress lines per pulled layer. */
  pullSteps?: number;
  /** What /api/version reports. */
  version?: string;
}

export interface OllamaStandInState {
  readonly installed: Map<string, OllamaStandInModel>;
  /** Loaded model name → when it will be unloaded. */
  readonly loaded: Map<string, Date>;
  readonly pullable: Map<string, OllamaStandInModel>;
  coldLoadMs: number;
}

export interface OllamaStandIn {
  readonly url: string;
  readonly port: number;
  /** Every request received (method, path, parsed body), oldest first. */
  readonly requests: RecordedRequest[];
  /** Installed, loaded and pullable models: tests may change them between calls. */
  readonly state: OllamaStandInState;
  /** Script the next /api/chat answers, one per generating request. */
  arrange(...scenarios: Scenario[]): void;
  /** The last generating /api/chat request, provider-neutral. */
  lastRequest(): NormalizedRequest | undefined;
  /** The raw body of the last generating /api/chat request. */
  lastChatBody(): Record<string, unknown> | undefined;
  /** Requests still being served (a cancelled one leaves this count when its socket closes). */
  inFlight(): number;
  close(): Promise<void>;
}

const NDJSON = { 'content-type': 'application/x-ndjson' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** The `{"error": …}` answers Ollama (or a proxy in front of it) gives, by scripted kind. */
function errorAnswer(kind: ErrorKind, model: string): { status: number; message: string } {
  switch (kind) {
    case 'auth':
      return { status: 401, message: 'unauthorized' };
    case 'permission':
      return { status: 403, message: 'forbidden: this key may not use this model' };
    case 'model-not-found':
      return { status: 404, message: `model "${model}" not found, try pulling it first` };
    case 'rate-limit':
      return { status: 429, message: 'too many requests' };
    case 'quota':
      return { status: 429, message: "you've reached your weekly usage limit, please upgrade to continue" };
    case 'overloaded':
      return { status: 503, message: 'server busy, please try again.  maximum pending requests exceeded' };
    case 'server':
      return { status: 500, message: 'llama runner process has terminated: exit status 2' };
    case 'invalid-request':
      return { status: 400, message: 'invalid message format: unsupported role "robot"' };
    case 'context-length':
      return { status: 400, message: 'the input length exceeds the context length' };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...JSON_TYPE, ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: message }, headers);
}

function record(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

function normalize(body: Record<string, unknown>): NormalizedRequest {
  const messages = (Array.isArray(body['messages']) ? body['messages'] : []) as ChatMessage[];
  const text = (m: ChatMessage) => (typeof m.content === 'string' ? m.content : '');
  const system = messages.filter((m) => m.role === 'system').map(text);
  const options = record(body['options']);
  const tools = Array.isArray(body['tools']) ? (body['tools'] as Array<{ function?: { name?: string } }>) : undefined;
  return {
    model: typeof body['model'] === 'string' ? body['model'] : undefined,
    system: system.length > 0 ? system.join('\n') : undefined,
    messages: messages.filter((m) => m.role !== 'system').map((m) => ({ role: String(m.role), text: text(m) })),
    temperature: typeof options['temperature'] === 'number' ? options['temperature'] : undefined,
    maxTokens: typeof options['num_predict'] === 'number' ? options['num_predict'] : undefined,
    stop: Array.isArray(options['stop']) ? (options['stop'] as string[]) : undefined,
    // Ollama streams unless told otherwise.
    stream: body['stream'] !== false,
    tools: tools?.map((t) => String(t.function?.name)),
    jsonOutput: body['format'] !== undefined && body['format'] !== '',
    images: messages.reduce((n, m) => n + (Array.isArray((m as Record<string, unknown>)['images']) ? ((m as Record<string, unknown>)['images'] as unknown[]).length : 0), 0),
  };
}

/**
 * A stand-in for the Ollama daemon on 127.0.0.1, speaking its HTTP API (/api/chat as NDJSON or one
 * JSON object, /api/tags, /api/show, /api/ps, /api/pull with progress, /api/delete, /api/version),
 * with cold loads, a pretend registry, and scripted failures (see `Scenario`).
 */
export async function startOllamaStandIn(options: OllamaStandInOptions = {}): Promise<OllamaStandIn> {
  const started = new Date('2025-01-15T10:00:00Z');
  const state: OllamaStandInState = {
    installed: new Map((options.installed ?? [OLLAMA_STAND_IN_DEFAULT_MODEL]).map((m) => [normalizeOllamaModelName(m.name), m])),
    loaded: new Map((options.loaded ?? []).map((n) => [normalizeOllamaModelName(n), new Date(Date.now() + 300_000)])),
    pullable: new Map((options.pullable ?? []).map((m) => [normalizeOllamaModelName(m.name), m])),
    coldLoadMs: options.coldLoadMs ?? 0,
  };
  const queue: Scenario[] = [];
  const chats: Array<Record<string, unknown>> = [];
  // Concurrent requests for one cold model share its load, as Ollama's scheduler does.
  const loading = new Map<string, Promise<void>>();

  const ensureLoaded = async (name: string, signal: AbortSignal, keepAlive: unknown): Promise<void> => {
    if (!state.loaded.has(name)) {
      let pending = loading.get(name);
      if (!pending) {
        pending = abortableSleep(state.coldLoadMs).then(() => {
          loading.delete(name);
          state.loaded.set(name, new Date());
        });
        loading.set(name, pending);
      }
      await Promise.race([pending, waitForAbort(signal)]);
    }
    const seconds = typeof keepAlive === 'number' ? keepAlive : 300;
    state.loaded.set(name, new Date(Date.now() + seconds * 1000));
  };

  const chat = async ({ res, body: raw, signal }: HttpTestExchange): Promise<void> => {
    const body = record(raw);
    const requested = typeof body['model'] === 'string' ? body['model'] : '';
    if (!requested) return sendError(res, 400, 'model is required');
    const name = normalizeOllamaModelName(requested);
    const messages = Array.isArray(body['messages']) ? body['messages'] : [];
    const stream = body['stream'] !== false;
    if (!state.installed.has(name)) return sendError(res, 404, `model "${requested}" not found, try pulling it first`);

    // An empty conversation loads (or, with keep_alive 0, unloads) the model: Ollama's warm-up call.
    if (messages.length === 0) {
      if (body['keep_alive'] === 0 || body['keep_alive'] === '0') {
        state.loaded.delete(name);
        return sendJson(res, 200, { model: requested, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done_reason: 'unload', done: true });
      }
      await ensureLoaded(name, signal, body['keep_alive']);
      return sendJson(res, 200, { model: requested, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done_reason: 'load', done: true });
    }

    chats.push(body);
    const scenario: Scenario = queue.shift() ?? { type: 'text', chunks: ['Hello from the ', 'Ollama stand-in'] };
    if (scenario.type === 'error') {
      const { status, message } = errorAnswer(scenario.error, requested);
      const headers: Record<string, string> = scenario.retryAfterSeconds !== undefined ? { 'retry-after': String(scenario.retryAfterSeconds) } : {};
      return sendError(res, status, scenario.message ?? message, headers);
    }
    if (scenario.type === 'hang') return waitForAbort(signal);

    // Ollama answers only once the model is in memory: a cold load delays the first byte.
    await ensureLoaded(name, signal, body['keep_alive']);

    const inputTokens = Math.max(1, Math.ceil(JSON.stringify(messages).length / 4));
    const line = (fields: Record<string, unknown>) => `${JSON.stringify({ model: requested, created_at: new Date().toISOString(), ...fields })}\n`;
    const chunkLine = (content: string, extra: Record<string, unknown> = {}) => line({ message: { role: 'assistant', content, ...extra }, done: false });
    const doneFields = (reason: string, usage: { inputTokens: number; outputTokens: number }) => ({
      done: true,
      done_reason: reason,
      total_duration: 1_200_000_000,
      load_duration: 2_000_000,
      prompt_eval_count: usage.inputTokens,
      prompt_eval_duration: 100_000_000,
      eval_count: usage.outputTokens,
      eval_duration: 900_000_000,
    });
    const toolCalls = (calls: ScriptedToolCall[]) => calls.map((c, index) => ({ id: c.id, function: { index, name: c.name, arguments: c.input } }));

    if (scenario.type === 'malformed') {
      res.writeHead(200, stream ? NDJSON : JSON_TYPE);
      return void res.end('<html><body>502 Bad Gateway</body></html>\n');
    }

    if (!stream) {
      switch (scenario.type) {
        case 'text': {
          const usage = scenario.usage ?? { inputTokens, outputTokens: scenario.chunks.length };
          const reason = scenario.finishReason === 'length' ? 'length' : 'stop';
          res.writeHead(200, JSON_TYPE);
          return void res.end(line({ message: { role: 'assistant', content: scenario.chunks.join('') }, ...doneFields(reason, usage) }));
        }
        case 'tool-calls': {
          const usage = scenario.usage ?? { inputTokens, outputTokens: 10 };
          res.writeHead(200, JSON_TYPE);
          return void res.end(line({ message: { role: 'assistant', content: scenario.text ?? '', tool_calls: toolCalls(scenario.calls) }, ...doneFields('stop', usage) }));
        }
        case 'stream-error':
          return sendError(res, 500, scenario.message ?? 'llama runner process has terminated: signal: killed');
        case 'cut':
          res.writeHead(200, JSON_TYPE);
          res.write('{"model":"');
          return void res.destroy();
        case 'truncated':
          res.writeHead(200, JSON_TYPE);
          return void res.end('{"model":"');
        case 'stall':
          return waitForAbort(signal);
      }
    }

    res.writeHead(200, NDJSON);
    switch (scenario.type) {
      case 'text': {
        for (const [i, chunk] of scenario.chunks.entries()) {
          if (i > 0 && scenario.delayMs) await abortableSleep(scenario.delayMs, signal);
          res.write(chunkLine(chunk));
        }
        const usage = scenario.usage ?? { inputTokens, outputTokens: scenario.chunks.length };
        return void res.end(line({ message: { role: 'assistant', content: '' }, ...doneFields(scenario.finishReason === 'length' ? 'length' : 'stop', usage) }));
      }
      case 'tool-calls': {
        if (scenario.text) res.write(chunkLine(scenario.text));
        res.write(chunkLine('', { tool_calls: toolCalls(scenario.calls) }));
        const usage = scenario.usage ?? { inputTokens, outputTokens: 10 };
        return void res.end(line({ message: { role: 'assistant', content: '' }, ...doneFields('stop', usage) }));
      }
      case 'cut':
        for (const chunk of scenario.chunks) res.write(chunkLine(chunk));
        // Let the chunks leave before the connection drops, as a crashing runner would.
        await abortableSleep(20, signal);
        return void res.destroy();
      case 'truncated':
        // Every line well formed, the body ended cleanly, but no final `"done": true` line.
        for (const chunk of scenario.chunks) res.write(chunkLine(chunk));
        return void res.end();
      case 'stream-error':
        for (const chunk of scenario.chunks) res.write(chunkLine(chunk));
        return void res.end(`${JSON.stringify({ error: scenario.message ?? 'llama runner process has terminated: signal: killed' })}\n`);
      case 'stall':
        for (const chunk of scenario.chunks) res.write(chunkLine(chunk));
        return waitForAbort(signal);
    }
  };

  const pull = async ({ res, body: raw, signal }: HttpTestExchange): Promise<void> => {
    const body = record(raw);
    const requested = String(body['model'] ?? body['name'] ?? '');
    const name = normalizeOllamaModelName(requested);
    const stream = body['stream'] !== false;
    const model = state.pullable.get(name) ?? (state.installed.has(name) ? state.installed.get(name) : undefined);
    if (!model) {
      // Ollama reports a failed pull in-band when streaming, after the first progress line.
      if (!stream) return sendError(res, 500, 'pull model manifest: file does not exist');
      res.writeHead(200, NDJSON);
      res.write(`${JSON.stringify({ status: 'pulling manifest' })}\n`);
      return void res.end(`${JSON.stringify({ error: 'pull model manifest: file does not exist' })}\n`);
    }
    const total = model.size ?? 1_000_000_000;
    const steps = options.pullSteps ?? 4;
    if (stream) {
      res.writeHead(200, NDJSON);
      res.write(`${JSON.stringify({ status: 'pulling manifest' })}\n`);
      const digest = fakeDigest(name);
      for (let i = 0; i <= steps; i++) {
        if (options.pullStepMs) await abortableSleep(options.pullStepMs, signal);
        res.write(`${JSON.stringify({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed: Math.round((total * i) / steps) })}\n`);
      }
      res.write(`${JSON.stringify({ status: 'verifying sha256 digest' })}\n`);
      res.write(`${JSON.stringify({ status: 'writing manifest' })}\n`);
    }
    state.installed.set(name, model);
    if (stream) res.end(`${JSON.stringify({ status: 'success' })}\n`);
    else sendJson(res, 200, { status: 'success' });
  };

  const server = await startHttpTestServer(async (exchange) => {
    const { req, res, url, body } = exchange;
    const route = `${req.method} ${url.pathname}`;
    const modelOf = () => String(record(body)['model'] ?? record(body)['name'] ?? '');
    switch (route) {
      case 'GET /api/version':
        return sendJson(res, 200, { version: options.version ?? '0.12.6' });
      case 'GET /api/tags':
        return sendJson(res, 200, { models: [...state.installed.values()].map((m) => tagEntry(m, started)) });
      case 'GET /api/ps':
        return sendJson(res, 200, {
          models: [...state.loaded.entries()].flatMap(([name, expires]) => {
            const m = state.installed.get(name);
            return m ? [{ ...tagEntry(m, started), expires_at: expires.toISOString(), size_vram: m.size ?? 0, context_length: m.contextLength ?? 8192 }] : [];
          }),
        });
      case 'POST /api/show': {
        const m = state.installed.get(normalizeOllamaModelName(modelOf()));
        return m ? sendJson(res, 200, showEntry(m, started)) : sendError(res, 404, `model '${modelOf()}' not found`);
      }
      case 'DELETE /api/delete': {
        const name = normalizeOllamaModelName(modelOf());
        if (!state.installed.delete(name)) return sendError(res, 404, `model '${modelOf()}' not found`);
        state.loaded.delete(name);
        res.writeHead(200);
        return void res.end();
      }
      case 'POST /api/pull':
        return pull(exchange);
      case 'POST /api/chat':
        return chat(exchange);
      default:
        // Ollama's router answers unknown routes with plain text.
        res.writeHead(404, { 'content-type': 'text/plain' });
        return void res.end('404 page not found');
    }
  });

  return {
    url: server.url,
    port: server.port,
    requests: server.requests,
    state,
    arrange: (...scenarios) => void queue.push(...scenarios),
    lastRequest: () => {
      const body = chats.at(-1);
      return body ? normalize(body) : undefined;
    },
    lastChatBody: () => chats.at(-1),
    inFlight: () => server.inFlight(),
    close: () => server.close(),
  };
}
