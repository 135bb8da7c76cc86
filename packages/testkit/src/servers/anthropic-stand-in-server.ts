import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { NormalizedRequest, Scenario } from '../scenario.js';
import {
  ANTHROPIC_ERROR_WIRE,
  anthropicErrorBody,
  anthropicMessage,
  blockStop,
  formatSse,
  normalizeAnthropicRequest,
  requestId,
  streamClosing,
  streamError,
  streamOpening,
  textBlockStart,
  textDelta,
  toolUseBlocks,
  toolUseEvents,
  type AnthropicContentWire,
  type AnthropicSseEvent,
} from './anthropic-wire.js';

/** Scenarios only this stand-in understands: exact wire data, for cases the shared scenarios cannot express. */
export type AnthropicRawScenario =
  /** Answer with this status, body (a string is sent as it is) and headers. */
  | { type: 'raw-json'; status: number; body: unknown; headers?: Record<string, string> }
  /** Send the headers and the first `bytes` bytes of this JSON body, then go silent (the connection stays open). */
  | { type: 'stalled-json'; body: unknown; bytes: number }
  /** Stream these events, then end the response, drop the connection, or go silent. */
  | { type: 'raw-sse'; events: AnthropicSseEvent[]; ending?: 'end' | 'destroy' | 'stall' };

export type AnthropicScenario = Scenario | AnthropicRawScenario;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (the raw text when it was not JSON; undefined without one). */
  body: unknown;
}

/** A model as `GET /v1/models` lists it. */
export interface AnthropicModelWire {
  id: string;
  display_name: string;
  type?: 'model';
  created_at?: string;
  max_input_tokens?: number | null;
  max_tokens?: number | null;
  capabilities?: Record<string, unknown> | null;
  [key: string]: unknown;
}

export interface AnthropicStandInOptions {
  /** What `GET /v1/models` lists (default: a few current models). */
  models?: AnthropicModelWire[];
}

export interface AnthropicStandIn {
  /** Base URL, e.g. `http://127.0.0.1:41234` (the SDK appends `/v1/...`). */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Script the next answers to `POST /v1/messages`, one per request. */
  arrange(...scenarios: AnthropicScenario[]): void;
  /** How `GET /v1/models` answers: listed, or refused with 403 / 404 (accounts without the Models API). */
  setModelListing(mode: 'ok' | 'forbidden' | 'not-found'): void;
  /** The last `POST /v1/messages`, provider-neutral. */
  lastRequest(): NormalizedRequest | undefined;
  /** The last `POST /v1/messages` as received. */
  lastMessagesRequest(): RecordedRequest | undefined;
  /** Requests still being served (a client that disconnects leaves this count). */
  inFlight(): number;
  /** Stops listening and destroys every open socket. */
  close(): Promise<void>;
}

/** The first API version that rejects sampling parameters (temperature, top_p, top_k). */
const SAMPLING_REMOVED_IN = '2026-10-21';

const DEFAULT_MODELS: AnthropicModelWire[] = [
  standInModel('claude-sonnet-5-5', 'Claude Sonnet 5.5'),
  standInModel('claude-haiku-5-5', 'Claude Haiku 5.5'),
  standInModel('claude-opus-5-5', 'Claude Opus 5.5'),
];

function standInModel(id: string, displayName: string): AnthropicModelWire {
  return {
    type: 'model',
    id,
    display_name: displayName,
    created_at: '2026-09-01T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
    capabilities: { image_input: { supported: true }, structured_outputs: { supported: true } },
  };
}

/**
 * An HTTP server on 127.0.0.1 speaking the Anthropic Messages API wire format (JSON answers, SSE
 * streams, error bodies and headers as the API sends them), scripted by testkit's `Scenario`s. It
 * records what it received, validates requests as the API does (auth and version headers, required
 * fields, sampling parameters under API version 2026-10-21), and notices client disconnects.
 */
export async function startAnthropicStandIn(options: AnthropicStandInOptions = {}): Promise<AnthropicStandIn> {
  const queue: AnthropicScenario[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const models = options.models ?? DEFAULT_MODELS;
  let listing: 'ok' | 'forbidden' | 'not-found' = 'ok';
  let inFlight = 0;

  const server = createServer((req, res) => {
    inFlight++;
    res.on('close', () => inFlight--);
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, headers: { ...req.headers }, body };
    requests.push(recorded);

    const rid = requestId();
    const refusal = checkHeaders(req);
    if (refusal) return sendError(res, refusal.status, refusal.type, refusal.message, rid);

    if (req.method === 'GET' && url.pathname === '/v1/models') return listModels(res, url, rid);
    if (req.method === 'GET' && url.pathname.startsWith('/v1/models/')) return retrieveModel(res, decodeURIComponent(url.pathname.slice('/v1/models/'.length)), rid);
    if (req.method === 'POST' && url.pathname === '/v1/messages') {
      const invalid = checkMessagesBody(body, String(req.headers['anthropic-version']));
      if (invalid) return sendError(res, 400, 'invalid_request_error', invalid, rid);
      const b = body as Record<string, unknown>;
      const scenario = queue.shift() ?? { type: 'text', chunks: ['Stand-in response'] };
      return serve(res, scenario, b, rid);
    }
    return sendError(res, 404, 'not_found_error', `Not found: ${req.method} ${url.pathname}`, rid);
  }

  function listModels(res: ServerResponse, url: URL, rid: string): void {
    if (listing !== 'ok') return sendListingRefusal(res, rid);
    const limit = Number(url.searchParams.get('limit') ?? '20');
    const after = url.searchParams.get('after_id');
    const start = after ? models.findIndex((m) => m.id === after) + 1 : 0;
    const page = models.slice(start, start + limit);
    sendJson(res, 200, { data: page, has_more: start + limit < models.length, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null }, { 'request-id': rid });
  }

  function retrieveModel(res: ServerResponse, id: string, rid: string): void {
    if (listing !== 'ok') return sendListingRefusal(res, rid);
    const model = models.find((m) => m.id === id);
    if (!model) return sendError(res, 404, 'not_found_error', `model: ${id}`, rid);
    sendJson(res, 200, model, { 'request-id': rid });
  }

  function sendListingRefusal(res: ServerResponse, rid: string): void {
    if (listing === 'forbidden') sendError(res, 403, 'permission_error', 'Your API key does not have permission to use the specified resource.', rid);
    else sendError(res, 404, 'not_found_error', 'Not found', rid);
  }

  async function serve(res: ServerResponse, scenario: AnthropicScenario, body: Record<string, unknown>, rid: string): Promise<void> {
    const stream = body['stream'] === true;
    const model = String(body['model']);
    const closed = closedSignal(res);
    const stops = Array.isArray(body['stop_sequences']) ? (body['stop_sequences'] as string[]) : [];

    switch (scenario.type) {
      case 'raw-json':
        return sendJson(res, scenario.status, scenario.body, { 'request-id': rid, ...(scenario.headers ?? {}) });
      case 'stalled-json': {
        const text = typeof scenario.body === 'string' ? scenario.body : JSON.stringify(scenario.body);
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': rid });
        res.write(text.slice(0, scenario.bytes));
        return; // The client gives up; `res` closes with its socket.
      }
      case 'raw-sse':
        return sendEvents(res, scenario.events, scenario.ending ?? 'end', closed, rid);
      case 'error': {
        const wire = ANTHROPIC_ERROR_WIRE[scenario.error];
        const headers: Record<string, string> = {};
        if (scenario.error === 'rate-limit' || scenario.error === 'quota') {
          const wait = scenario.retryAfterSeconds ?? 30;
          headers['anthropic-ratelimit-requests-limit'] = '50';
          headers['anthropic-ratelimit-requests-remaining'] = '0';
          headers['anthropic-ratelimit-requests-reset'] = new Date(Date.now() + wait * 1000).toISOString();
        }
        if (scenario.retryAfterSeconds !== undefined) headers['retry-after'] = String(scenario.retryAfterSeconds);
        const message = scenario.message ?? (scenario.error === 'model-not-found' ? `model: ${model}` : wire.message);
        return sendError(res, wire.status, wire.type, message, rid, headers, wire.errorCode);
      }
      case 'hang':
        return; // The client gives up; `res` closes with its socket.
      case 'malformed':
        if (stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': rid });
          res.end('event: message_start\ndata: {"type":"message_start","message":{"id":\n\n');
          return;
        }
        // Valid JSON, but not a Message: what a misconfigured proxy in front of the API returns.
        return sendJson(res, 200, { completion: 'Hello', stop_reason: 'stop_sequence' }, { 'request-id': rid });
      case 'text': {
        const input = scenario.usage?.inputTokens ?? 10;
        const output = scenario.usage?.outputTokens ?? scenario.chunks.length;
        const stopReason = scenario.finishReason === 'length' ? 'max_tokens' : scenario.finishReason === 'stop-sequence' ? 'stop_sequence' : 'end_turn';
        const stopSequence = stopReason === 'stop_sequence' ? (stops[0] ?? 'STOP') : null;
        if (!stream) {
          if (scenario.delayMs) await wait(scenario.delayMs, closed);
          return sendJson(res, 200, anthropicMessage(model, [{ type: 'text', text: scenario.chunks.join('') }], stopReason, usage(input, output)), { 'request-id': rid });
        }
        const events = [...streamOpening(model, input), textBlockStart(0), ...scenario.chunks.map((c) => textDelta(0, c)), blockStop(0), ...streamClosing(stopReason, output, stopSequence)];
        return sendEvents(res, events, 'end', closed, rid, scenario.delayMs);
      }
      case 'tool-calls': {
        const input = scenario.usage?.inputTokens ?? 20;
        const output = scenario.usage?.outputTokens ?? 10 * scenario.calls.length;
        const content: AnthropicContentWire[] = [...(scenario.text ? [{ type: 'text' as const, text: scenario.text }] : []), ...toolUseBlocks(scenario.calls)];
        if (!stream) return sendJson(res, 200, anthropicMessage(model, content, 'tool_use', usage(input, output)), { 'request-id': rid });
        const events: AnthropicSseEvent[] = [...streamOpening(model, input)];
        let index = 0;
        if (scenario.text) {
          events.push(textBlockStart(0), textDelta(0, scenario.text), blockStop(0));
          index = 1;
        }
        scenario.calls.forEach((call, i) => events.push(...toolUseEvents(index + i, call)));
        events.push(...streamClosing('tool_use', output));
        return sendEvents(res, events, 'end', closed, rid);
      }
      case 'cut':
      case 'truncated':
      case 'stall':
      case 'stream-error': {
        const ending = scenario.type === 'cut' ? 'destroy' : scenario.type === 'stall' ? 'stall' : 'end';
        if (!stream) {
          if (scenario.type === 'stall') return;
          if (scenario.type === 'stream-error') return sendError(res, 500, 'api_error', scenario.message ?? 'Internal server error', rid);
          // A non-streamed answer cut half-way through its body (dropped, or ended cleanly).
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': rid });
          const half = JSON.stringify(anthropicMessage(model, [{ type: 'text', text: scenario.chunks.join('') }], 'end_turn', usage(10, 5))).slice(0, 40);
          if (scenario.type === 'truncated') return void res.end(half);
          res.write(half);
          setTimeout(() => res.destroy(), 10);
          return;
        }
        const events = [...streamOpening(model, 10), textBlockStart(0), ...scenario.chunks.map((c) => textDelta(0, c))];
        if (scenario.type === 'stream-error') events.push(streamError('overloaded_error', scenario.message ?? 'Overloaded', rid));
        return sendEvents(res, events, ending, closed, rid);
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const lastMessagesRequest = () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages').at(-1);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    arrange: (...scenarios) => void queue.push(...scenarios),
    setModelListing: (mode) => void (listing = mode),
    lastRequest() {
      const last = lastMessagesRequest();
      return last ? normalizeAnthropicRequest(last.body) : undefined;
    },
    lastMessagesRequest,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function usage(input: number, output: number) {
  return { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

function checkHeaders(req: IncomingMessage): { status: number; type: string; message: string } | undefined {
  const key = req.headers['x-api-key'];
  const bearer = req.headers['authorization'];
  if (!key && !(typeof bearer === 'string' && /^Bearer \S+/.test(bearer))) {
    return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
  }
  if (!req.headers['anthropic-version']) return { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' };
  return undefined;
}

function checkMessagesBody(body: unknown, version: string): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'Request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b['model'] !== 'string' || b['model'].length === 0) return 'model: Field required';
  if (typeof b['max_tokens'] !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(b['messages']) || b['messages'].length === 0) return 'messages: Field required';
  if (version >= SAMPLING_REMOVED_IN) {
    for (const field of ['temperature', 'top_p', 'top_k']) if (field in b) return `${field}: Extra inputs are not permitted`;
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, type: string, message: string, rid: string, headers: Record<string, string> = {}, errorCode?: string): void {
  sendJson(res, status, anthropicErrorBody(type, message, rid, errorCode), { 'request-id': rid, 'x-should-retry': String(status >= 500 || status === 429), ...headers });
}

async function sendEvents(res: ServerResponse, events: AnthropicSseEvent[], ending: 'end' | 'destroy' | 'stall', closed: AbortSignal, rid: string, delayMs = 0): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': rid });
  res.flushHeaders();
  for (const event of events) {
    if (closed.aborted) return;
    if (delayMs > 0 && event.event === 'content_block_delta') await wait(delayMs, closed);
    if (closed.aborted) return;
    res.write(formatSse(event));
  }
  if (ending === 'end') res.end();
  // Let the written events reach the client before the connection drops.
  else if (ending === 'destroy') setTimeout(() => res.destroy(), 20);
}

function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  return controller.signal;
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The wire-format builders, for tests that script exact events (`{ type: 'raw-sse', events }`). */
export * as anthropicWire from './anthropic-wire.js';
export type { AnthropicSseEvent } from './anthropic-wire.js';
