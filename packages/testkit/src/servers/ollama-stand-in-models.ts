/** A model the stand-in knows: installed, pullable from its pretend registry, or both. */
export interface OllamaStandInModel {
  /** Tag as Ollama names it (`qwen2.5:7b`); a name without a tag means `:latest`. */
  name: string;
  size?: number;
  family?: string;
  parameterSize?: string;
  quantization?: string;
  /** What /api/show reports (`completion`, `tools`, `vision`, `insert`, `thinking`). */
  capabilities?: string[];
  contextLength?: number;
}

/** The model the stand-in installs and loads by default (the seed's OLLAMA_MODEL default). */
export const OLLAMA_STAND_IN_DEFAULT_MODEL: OllamaStandInModel = {
  name: 'qwen2.5:7b',
  size: 4_683_087_332,
  family: 'qwen2',
  parameterSize: '7.6B',
  quantization: 'Q4_K_M',
  capabilities: ['completion', 'tools'],
  contextLength: 32_768,
};

/** Ollama's rule: a name without a tag refers to `:latest`. */
export function normalizeOllamaModelName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  return name.slice(lastSlash + 1).includes(':') ? name : `${name}:latest`;
}

export function fakeDigest(name: string): string {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `sha256:${h.toString(16).padStart(8, '0').repeat(8)}`;
}

/** An entry of /api/tags (and, with `expires_at` and `size_vram`, of /api/ps). */
export function tagEntry(model: OllamaStandInModel, modifiedAt: Date): Record<string, unknown> {
  const name = normalizeOllamaModelName(model.name);
  return {
    name,
    model: name,
    modified_at: modifiedAt.toISOString(),
    size: model.size ?? 1_000_000_000,
    digest: fakeDigest(name),
    details: {
      parent_model: '',
      format: 'gguf',
      family: model.family ?? 'llama',
      families: [model.family ?? 'llama'],
      parameter_size: model.parameterSize ?? '1B',
      quantization_level: model.quantization ?? 'Q4_K_M',
    },
  };
}

/** The /api/show answer: details, model_info with the architecture's context length, capabilities. */
export function showEntry(model: OllamaStandInModel, modifiedAt: Date): Record<string, unknown> {
  const tag = tagEntry(model, modifiedAt);
  const arch = model.family ?? 'llama';
  return {
    license: '',
    modelfile: `FROM ${String(tag['name'])}`,
    parameters: 'stop "<|im_end|>"',
    template: '{{ .Prompt }}',
    details: tag['details'],
    model_info: {
      'general.architecture': arch,
      'general.parameter_count': 7_615_616_512,
      [`${arch}.context_length`]: model.contextLength ?? 8192,
    },
    capabilities: model.capabilities ?? ['completion'],
    modified_at: modifiedAt.toISOString(),
  };
}
