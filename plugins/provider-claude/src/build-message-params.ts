import { InvalidRequestError, type LLMMessage, type ResolvedCallOptions } from '@autoarr-llm/core';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages/messages';
import { transformJSONSchema } from '@anthropic-ai/sdk/lib/transform-json-schema';
import { sendsSamplingParameters } from './sends-sampling-parameters.js';
import { toAnthropicMessages } from './to-anthropic-messages.js';
import { toAnthropicToolChoice, toAnthropicTools } from './to-anthropic-tools.js';

/** What the request body may carry beyond the SDK's types: `temperature` exists only before API version 2026-10-21. */
export type ClaudeRequestParams = Omit<MessageCreateParamsBase, 'stream'> & { temperature?: number; stream?: boolean };

export interface ClaudeRequestDefaults {
  provider: string;
  model: string;
  maxTokens: number;
  apiVersion: string | undefined;
}

const JSON_ONLY_INSTRUCTION = 'Respond with a single JSON value and nothing else: no prose, no code fences.';

/** The Messages API request body for one call; throws InvalidRequestError before anything is sent. */
export function buildMessageParams(messages: LLMMessage[], options: ResolvedCallOptions, defaults: ClaudeRequestDefaults): ClaudeRequestParams {
  const { provider } = defaults;
  const converted = toAnthropicMessages(messages, provider);
  const params: ClaudeRequestParams = {
    model: options.model ?? defaults.model,
    max_tokens: options.maxTokens ?? defaults.maxTokens,
    messages: converted.messages,
  };
  let system = converted.system;
  if (sendsSamplingParameters(defaults.apiVersion)) params.temperature = options.temperature;
  if (options.stop && options.stop.length > 0) params.stop_sequences = options.stop;
  if (options.tools && options.tools.length > 0) params.tools = toAnthropicTools(options.tools);
  if (options.toolChoice !== undefined) params.tool_choice = toAnthropicToolChoice(options.toolChoice, options.tools, provider);

  const format = options.responseFormat;
  if (format?.type === 'json') {
    if (format.schema) {
      params.output_config = { format: { type: 'json_schema', schema: strictSchema(format.schema, provider) } };
    } else {
      // Native structured output needs a schema; without one, ask for JSON and validate what returns.
      system = system ? `${system}\n\n${JSON_ONLY_INSTRUCTION}` : JSON_ONLY_INSTRUCTION;
    }
  }
  if (system !== undefined) params.system = system;

  const extra = options.providerOptions?.[provider];
  // Provider options are the documented escape hatch for Messages API fields core does not model (metadata, thinking, service_tier, …).
  return extra ? { ...params, ...extra } : params;
}

function strictSchema(schema: Record<string, unknown>, provider: string): Record<string, unknown> {
  try {
    // The SDK's own transform: adds additionalProperties: false and moves unsupported keywords into descriptions.
    return transformJSONSchema(schema) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidRequestError(`${provider}: responseFormat.schema cannot be used for structured output: ${(error as Error).message}`, {
      provider,
      field: 'options.responseFormat.schema',
    });
  }
}
