import type { ModelInfo } from '@autoarr-llm/core';
import type { ModelResponse, ShowResponse } from 'ollama';

/**
 * An installed tag as a `ModelInfo`: size, family and quantization from /api/tags; capabilities and
 * context length from /api/show (absent when /api/show failed, so capabilities read as unknown=false).
 */
export function toModelInfo(provider: string, tag: ModelResponse, show: ShowResponse | undefined): ModelInfo {
  const caps = new Set(show?.capabilities ?? []);
  const info = (show?.model_info ?? {}) as unknown as Record<string, unknown>;
  const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : tag.details?.family;
  const context = arch ? info[`${arch}.context_length`] : undefined;
  return {
    id: tag.name,
    provider,
    displayName: tag.name,
    ...(typeof context === 'number' && context > 0 ? { contextLength: context } : {}),
    capabilities: {
      streaming: true,
      tools: caps.has('tools'),
      vision: caps.has('vision'),
      // Ollama constrains any completion model's output with `format`.
      json: caps.has('completion'),
    },
    details: {
      size: tag.size,
      family: tag.details?.family,
      families: tag.details?.families,
      parameterSize: tag.details?.parameter_size,
      quantization: tag.details?.quantization_level,
      format: tag.details?.format,
      digest: tag.digest,
      modifiedAt: tag.modified_at,
      capabilities: show ? [...caps] : undefined,
    },
  };
}
