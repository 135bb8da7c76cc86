/**
 * The subset of the OpenAI Chat Completions wire format this plugin speaks, as llama-server, vLLM
 * and LM Studio implement it. Responses are read defensively: every field a server may leave out
 * is optional here.
 * @see https://platform.openai.com/docs/api-reference/chat
 */

export type OpenAIContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAIMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAITool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type OpenAIToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type OpenAIResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema: Record<string, unknown>; strict?: boolean } };

export interface ChatCompletionRequest {
  model: string;
  messages: OpenAIMessage[];
  temperature?: number;
  max_tokens?: number;
  stop?: string[];
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  response_format?: OpenAIResponseFormat;
  stream: boolean;
  stream_options?: { include_usage: boolean };
  [extra: string]: unknown;
}

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

/** A non-streamed answer (`object: "chat.completion"`). */
export interface ChatCompletion {
  id?: string;
  model?: string;
  choices?: Array<{
    index?: number;
    message?: { role?: string; content?: string | null; tool_calls?: Array<Partial<OpenAIToolCall>> };
    finish_reason?: string | null;
  }>;
  usage?: OpenAIUsage | null;
}

/** One streamed tool-call fragment: `index` says which call it continues. */
export interface OpenAIToolCallDelta {
  index?: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** One `data:` event of a stream (`object: "chat.completion.chunk"`). */
export interface ChatCompletionChunk {
  id?: string;
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: { role?: string; content?: string | null; tool_calls?: OpenAIToolCallDelta[] };
    finish_reason?: string | null;
  }>;
  usage?: OpenAIUsage | null;
  /** vLLM and llama-server report a failure mid-stream as an event with an `error` object. */
  error?: OpenAIErrorBody['error'];
}

/** The error body: `{ "error": { "message", "type", "code", "param" } }` (llama-server's `code` is the status). */
export interface OpenAIErrorBody {
  error?: { message?: string; type?: string; code?: string | number | null; param?: string | null } | string;
}

export interface OpenAIModelList {
  data?: Array<{
    id?: string;
    owned_by?: string;
    created?: number;
    /** vLLM */
    max_model_len?: number;
    /** llama-server */
    meta?: { n_ctx_train?: number; n_params?: number; size?: number };
    /** LM Studio (/api/v0) and some proxies */
    context_length?: number;
    max_context_length?: number;
  }>;
}
