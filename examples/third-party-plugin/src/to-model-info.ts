import type { ModelInfo } from '@autoarr-llm/core';
import type { OpenAIModelList } from './openai-wire.js';

type ListedModel = NonNullable<OpenAIModelList['data']>[number];

/**
 * A listed model with what we can know of it. The /models endpoint says nothing about
 * capabilities, so they are what these servers generally offer: streaming, tools (llama-server
 * with --jinja, vLLM with a tool parser) and JSON output; vision only where the server says so.
 */
export function toModelInfo(model: ListedModel & { id: string }, provider: string): ModelInfo {
  const contextLength = model.max_model_len ?? model.context_length ?? model.max_context_length ?? model.meta?.n_ctx_train;
  return {
    id: model.id,
    provider,
    ...(typeof contextLength === 'number' && contextLength > 0 ? { contextLength } : {}),
    capabilities: { streaming: true, tools: true, vision: false, json: true },
    details: {
      ...(model.owned_by ? { ownedBy: model.owned_by } : {}),
      ...(typeof model.meta?.n_params === 'number' ? { parameters: model.meta.n_params } : {}),
      ...(typeof model.meta?.size === 'number' ? { size: model.meta.size } : {}),
    },
  };
}
