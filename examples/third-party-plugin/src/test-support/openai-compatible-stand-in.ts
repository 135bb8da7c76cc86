import type { ServerResponse } from 'node:http';
import { abortableSleep, startHttpTestServer, waitForAbort, type ErrorKind, type HttpRecordedRequest, type NormalizedRequest, type Scenario, type ScriptedToolCall } from '@autoarr-llm/testkit';

/** A model the stand-in lists at GET /v1/models. */
export interface StandInModel {
  id: string;
  /** Reported as vLLM does (`max_model_len`). */
  contextLength?: number;
}

export interface OpenAICompatibleStandInOptions {
  /** What GET /v1/models lists (default: one model, `qwen2.5-7b-instruct`). */
  models?: StandInModel[];
  /** When set, every request must carry `Authorization: Bearer <apiKey>` (else 401, as vLLM's --api-key does). */
  apiKey?: string;
}

export interface OpenAICompatibleStandIn {
  /** The API root, ending in /v1 (what OPENAI_COMPATIBLE_BASE_URL points at). */
  readonly url: string;
  /** Every request received (method, path, headers, parsed body), oldest first. */
  readonly requests: HttpRecordedRequest[];
  /** Script the next chat answers, one per POST /v1/chat/completions. */
  arrange(...scenarios: Scenario[]): void;
  /** The last chat request, provider-neutral. */
  lastRequest(): NormalizedRequest | undefined;
  /** The raw body of the last chat request. */
  lastChatBody(): Record<string, unknown> | undefined;
  /** Responses still being written (a cancelled request leaves this count when its socket closes). */
  inFlight(): number;
  /** How many clients went away before their response had finished. */
  disconnects(): number;
  close(): Promise<void>;
}

export const STAND_IN_DEFAULT_MODEL: StandInModel = { id: 'qwen2.5-7b-instruct', contextLength: 32_768 };

const SSE = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** The error answers OpenAI (and the servers copying it) give, by scripted kind. */
function errorAnswer(kind: ErrorKind, model: string): { status: number; error: Record<string, unknown> } {
  const err = (status: number, message: string, type: string, code: string | null = null, param: string | null = null) => ({ status, error: { message, type, param, code } });
  switch (kind) {
    case 'auth':
      return err(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    case 'permission':
      return err(403, 'You are not allowed to sample from this model', 'permission_error');
    case 'model-not-found':
      return err(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found', 'model');
    case 'rate-limit':
      return err(429, 'Rate limit reached for requests. Please try again later.', 'requests', 'rate_limit_exceeded');
    case 'quota':
      return err(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota');
    case 'overloaded':
      return err(503, 'The server is overloaded or not ready yet.', 'server_error');
    case 'server':
      return err(500, 'The server had an error while processing your request.', 'server_error');
    case 'invalid-request':
      return err(400, "Invalid value for 'messages[0].role': 'robot' is not one of ['system', 'assistant', 'user', 'tool'].", 'invalid_request_error', null, 'messages');
    case 'context-length':
      return err(400, "This model's maximum context length is 32768 tokens. However, your messages resulted in 40123 tokens.", 'invalid_request_error', 'context_length_exceeded', 'messages');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...JSON_TYPE, ...headers });
  res.end(JSON.stringify(body));
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A message's text: the string, or its text parts joined (image parts say nothing). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.flatMap((p) => (record(p)['type'] === 'text' ? [String(record(p)['text'])] : [])).join('\n');
}

function normalize(body: Record<string, unknown>): NormalizedRequest {
  const messages = (Array.isArray(body['messages']) ? body['messages'] : []).map(record);
  const system = messages.filter((m) => m['role'] === 'system').map((m) => textOf(m['content']));
  const stop = body['stop'];
  const tools = Array.isArray(body['tools']) ? body['tools'].map((t) => String(record(record(t)['function'])['name'])) : undefined;
  const maxTokens = body['max_tokens'] ?? body['max_completion_tokens'];
  return {
    model: typeof body['model'] === 'string' ? body['model'] : undefined,
    system: system.length > 0 ? system.join('\n') : undefined,
    messages: messages.filter((m) => m['role'] !== 'system').map((m) => ({ role: String(m['role']), text: textOf(m['content']) })),
    temperature: typeof body['temperature'] === 'number' ? body['temperature'] : undefined,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    stop: typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop.map(String) : undefined,
    stream: body['stream'] === true,
    tools,
    toolChoice: openAIToolChoice(body['tool_choice']),
    jsonOutput: body['response_format'] !== undefined && record(body['response_format'])['type'] !== 'text',
    images: messages.reduce((n, m) => n + (Array.isArray(m['content']) ? m['content'].filter((p) => record(p)['type'] === 'image_url').length : 0), 0),
  };
}

function openAIToolChoice(choice: unknown): NormalizedRequest['toolChoice'] {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  const name = record(record(choice)['function'])['name'];
  return typeof name === 'string' ? { name } : undefined;
}

/**
 * A stand-in for an OpenAI-compatible server (llama-server, vLLM, LM Studio) on 127.0.0.1: POST
 * /v1/chat/completions as one JSON answer or as server-sent events (deltas, tool-call fragments,
 * a usage chunk when `stream_options.include_usage`, `data: [DONE]`), GET /v1/models, and every
 * scripted failure of testkit's `Scenario`. It records requests and counts in-flight responses and
 * client disconnects, so tests can prove an abort reached the server.
 */
export async function startOpenAICompatibleStandIn(options: OpenAICompatibleStandInOptions = {}): Promise<OpenAICompatibleStandIn> {
  const models = options.models ?? [STAND_IN_DEFAULT_MODEL];
  const queue: Scenario[] = [];
  const chats: Array<Record<string, unknown>> = [];
  let disconnects = 0;
  let seq = 0;

  const server = await startHttpTestServer(async ({ req, res, url, body: raw, signal }) => {
    signal.addEventListener('abort', () => void disconnects++, { once: true });
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      const { status, error } = errorAnswer('auth', '');
      return sendJson(res, status, { error });
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: models.map((m) => ({ id: m.id, object: 'model', created: 1_736_935_200, owned_by: 'stand-in', ...(m.contextLength ? { max_model_len: m.contextLength } : {}) })),
      });
    }
    if (route !== 'POST /v1/chat/completions') {
      // What llama-server answers for a path it does not serve.
      return sendJson(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
    }

    const body = record(raw);
    chats.push(body);
    const model = typeof body['model'] === 'string' ? body['model'] : '';
    const stream = body['stream'] === true;
    const includeUsage = record(body['stream_options'])['include_usage'] === true;
    const scenario: Scenario = queue.shift() ?? { type: 'text', chunks: ['Hello from the ', 'OpenAI-compatible stand-in'] };
    const id = `chatcmpl-standin-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const inputTokens = Math.max(1, Math.ceil(JSON.stringify(body['messages'] ?? []).length / 4));
    const usageOf = (u: { inputTokens: number; outputTokens: number }) => ({ prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens });
    const wireCalls = (calls: ScriptedToolCall[]) => calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.input) } }));

    switch (scenario.type) {
      case 'error': {
        const { status, error } = errorAnswer(scenario.error, model);
        const headers: Record<string, string> = scenario.retryAfterSeconds !== undefined ? { 'retry-after': String(scenario.retryAfterSeconds) } : {};
        return sendJson(res, status, { error: { ...error, ...(scenario.message ? { message: scenario.message } : {}) } }, headers);
      }
      case 'hang':
        return waitForAbort(signal);
      case 'malformed':
        // A reverse proxy's error page, sent with status 200.
        res.writeHead(200, { 'content-type': 'text/html' });
        return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>\n');
    }

    if (!stream) {
      const completion = (content: string | null, finish: string, usage: { inputTokens: number; outputTokens: number }, toolCalls?: ScriptedToolCall[]) => ({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: wireCalls(toolCalls) } : {}) }, logprobs: null, finish_reason: finish }],
        usage: usageOf(usage),
      });
      switch (scenario.type) {
        case 'text':
          return sendJson(res, 200, completion(scenario.chunks.join(''), scenario.finishReason === 'length' ? 'length' : 'stop', scenario.usage ?? { inputTokens, outputTokens: scenario.chunks.length }));
        case 'tool-calls':
          return sendJson(res, 200, completion(scenario.text ?? null, 'tool_calls', scenario.usage ?? { inputTokens, outputTokens: 12 }, scenario.calls));
        case 'stream-error':
          return sendJson(res, 500, { error: { message: scenario.message ?? 'llama runner crashed', type: 'server_error', param: null, code: null } });
        case 'cut':
          res.writeHead(200, JSON_TYPE);
          res.write('{"id":"chatcmpl-cut","choices":[{"mess');
          await abortableSleep(20, signal);
          return void res.destroy();
        case 'truncated':
          res.writeHead(200, JSON_TYPE);
          return void res.end('{"id":"chatcmpl-cut","choices":[{"mess');
        case 'stall':
          return waitForAbort(signal);
      }
    }

    res.writeHead(200, SSE);
    const send = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
    const end = (finish: string, usage: { inputTokens: number; outputTokens: number }) => {
      send(chunk({}, finish));
      if (includeUsage) send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(usage) });
      send('[DONE]');
      res.end();
    };
    // The role arrives first, with empty content, as OpenAI and vLLM send it.
    send(chunk({ role: 'assistant', content: '' }));
    switch (scenario.type) {
      case 'text':
        for (const [i, text] of scenario.chunks.entries()) {
          if (i > 0 && scenario.delayMs) await abortableSleep(scenario.delayMs, signal);
          send(chunk({ content: text }));
        }
        return end(scenario.finishReason === 'length' ? 'length' : 'stop', scenario.usage ?? { inputTokens, outputTokens: scenario.chunks.length });
      case 'tool-calls':
        if (scenario.text) send(chunk({ content: scenario.text }));
        for (const [index, call] of scenario.calls.entries()) {
          // Id and name first, then the JSON arguments in two fragments, as real servers split them.
          const args = JSON.stringify(call.input);
          const half = Math.floor(args.length / 2);
          send(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
          send(chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] }));
          send(chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }));
        }
        return end('tool_calls', scenario.usage ?? { inputTokens, outputTokens: 12 });
      case 'cut':
        for (const text of scenario.chunks) send(chunk({ content: text }));
        // Let the chunks leave before the connection drops, as a crashing server would.
        await abortableSleep(20, signal);
        return void res.destroy();
      case 'truncated':
        // A clean end of the body with neither a finish_reason chunk nor `data: [DONE]`.
        for (const text of scenario.chunks) send(chunk({ content: text }));
        return void res.end();
      case 'stream-error':
        for (const text of scenario.chunks) send(chunk({ content: text }));
        // vLLM's in-band error event.
        send({ error: { object: 'error', message: scenario.message ?? 'the engine died mid-generation', type: 'InternalServerError', param: null, code: 500 } });
        return void res.end();
      case 'stall':
        for (const text of scenario.chunks) send(chunk({ content: text }));
        return waitForAbort(signal);
    }
  });

  return {
    url: `${server.url}/v1`,
    requests: server.requests,
    arrange: (...scenarios) => void queue.push(...scenarios),
    lastRequest: () => {
      const body = chats.at(-1);
      return body ? normalize(body) : undefined;
    },
    lastChatBody: () => chats.at(-1),
    inFlight: () => server.inFlight(),
    disconnects: () => disconnects,
    close: () => server.close(),
  };
}
