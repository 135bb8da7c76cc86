import type { ModelInfo } from '@autoarr-llm/core';
import type { ModelInfo as AnthropicModelInfo } from '@anthropic-ai/sdk/resources/models';

/** A Models API entry as core's ModelInfo. Every Claude model streams and calls tools; vision and JSON come from its capabilities. */
export function toModelInfo(model: AnthropicModelInfo, provider: string): ModelInfo {
  const caps = model.capabilities;
  const details: Record<string, unknown> = {};
  if (model.max_tokens) details['maxOutputTokens'] = model.max_tokens;
  if (model.lifecycle) details['lifecycle'] = model.lifecycle;
  if (model.created_at) details['createdAt'] = model.created_at;
  if (model.retires_at) details['retiresAt'] = model.retires_at;
  return {
    id: model.id,
    provider,
    ...(model.display_name ? { displayName: model.display_name } : {}),
    ...(model.max_input_tokens ? { contextLength: model.max_input_tokens } : {}),
    capabilities: {
      streaming: true,
      tools: true,
      // Models listed without capabilities predate the field; every such Claude model reads images.
      vision: caps?.image_input?.supported ?? true,
      json: caps?.structured_outputs?.supported ?? false,
    },
    details,
  };
}
