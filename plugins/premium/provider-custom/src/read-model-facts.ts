import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { supportsFunctionCalling } from './function-calling-support.js';
import { loadNodeLlamaCpp } from './load-node-llama-cpp.js';
import { precisionOfTensorTypes, type ModelPrecision } from './model-quantization.js';

/** What the GGUF header says about a model file (read without loading its weights). */
export interface ModelFacts {
  path: string;
  /** The model id: the file name without `.gguf`. */
  id: string;
  sizeBytes: number;
  architecture: string | undefined;
  name: string | undefined;
  /** Training context length (`<arch>.context_length`). */
  contextLength: number | undefined;
  precision: ModelPrecision;
  /** The most common non-F32 tensor type, e.g. `Q4_0`. */
  dominantType: string;
  tensorTypeCounts: Record<string, number>;
  /** Whether the file carries a chat template (needed for chat and function calling). */
  hasChatTemplate: boolean;

}

/** Reads a model's header through node-llama-cpp's GGUF reader (imported on first use). */
export async function readModelFacts(path: string): Promise<ModelFacts> {
  const lib = await loadNodeLlamaCpp();
  const info = await lib.readGgufFileInfo(path, { readTensorInfo: true, ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'] });
  const counts: Record<string, number> = {};
  for (const tensor of info.fullTensorInfo ?? info.tensorInfo ?? []) {
    const type = lib.GgmlType[tensor.ggmlType] ?? `UNKNOWN(${tensor.ggmlType})`;
    counts[type] = (counts[type] ?? 0) + 1;
  }
  const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const architecture = metadata['general']?.['architecture'] as string | undefined;
  const contextLength = architecture ? (metadata[architecture]?.['context_length'] as number | undefined) : undefined;
  const { precision, dominantType } = precisionOfTensorTypes(counts);
  return {
    path,
    id: basename(path).replace(/\.gguf$/i, ''),
    sizeBytes: (await stat(path)).size,
    architecture,
    name: metadata['general']?.['name'] as string | undefined,
    contextLength: typeof contextLength === 'number' ? contextLength : undefined,
    precision,
    dominantType,
    tensorTypeCounts: counts,
    hasChatTemplate: typeof metadata['tokenizer']?.['chat_template'] === 'string',
  };
}

/**
 * Whether the chat wrapper node-llama-cpp resolves from the header can express function calls:
 * the answer loading the model gives, known before loading (so `models` and routing see it up
 * front). Separate from `readModelFacts` because matching a chat template takes up to a second
 * or two; only `getModels` asks.
 */
export async function readToolSupport(path: string): Promise<boolean> {
  const lib = await loadNodeLlamaCpp();
  const info = await lib.readGgufFileInfo(path, { readTensorInfo: false, ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'] });
  const wrapper = lib.resolveChatWrapper({ fileInfo: info, filename: basename(path), warningLogs: false });
  return wrapper ? supportsFunctionCalling(wrapper) : false;
}
