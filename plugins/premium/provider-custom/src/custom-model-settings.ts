import { homedir } from 'node:os';
import { join } from 'node:path';
import { envList, envNumber, secretString } from '@autoarr-llm/core';
import { z } from 'zod';

/** Output tokens of a call that sets no `maxTokens` and no `CUSTOM_MODEL_MAX_TOKENS`. */
export const DEFAULT_MAX_TOKENS = 512;

/** Where downloaded models go when `CUSTOM_MODEL_CACHE_DIR` is not set. */
export const DEFAULT_CACHE_DIR = join(homedir(), '.cache', 'autoarr-llm', 'models');

/** The seed's devices, plus Metal for Apple machines. `auto` takes the best backend that loads. */
export const DEVICES = ['auto', 'cpu', 'cuda', 'vulkan', 'metal'] as const;
export type CustomModelDevice = (typeof DEVICES)[number];

/** The seed's quantizations: the weight precision of the GGUF variant to load. */
export const QUANTIZATIONS = ['auto', '4bit', '8bit', '16bit'] as const;
export type CustomModelQuantization = (typeof QUANTIZATIONS)[number];

const positiveInt = (what: string) => envNumber().pipe(z.number().int(`${what} must be a whole number`).positive(`${what} must be at least 1`));

/**
 * Construction settings of the custom provider (config file `providers.custom`, env vars, or
 * `createCustomModel` options). Names follow the seed (`model_path`, `device`, `quantization`).
 */
export const CustomModelSettingsSchema = z.object({
  /** A `.gguf` file, a directory holding quantization variants, or an http(s) URL downloaded into `cacheDir`. */
  modelPath: z.string().min(1, 'CUSTOM_MODEL_PATH must name a .gguf file, a directory of variants or an http(s) URL'),
  /** Expected sha256 (hex) of a downloaded model; the download is refused when it differs. */
  modelSha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex digits (a sha256)')
    .transform((s) => s.toLowerCase())
    .optional(),
  device: z.enum(DEVICES, { error: `expected one of ${DEVICES.join(', ')}` }).default('auto'),
  quantization: z.enum(QUANTIZATIONS, { error: `expected one of ${QUANTIZATIONS.join(', ')}` }).default('auto'),
  cacheDir: z.string().min(1).default(DEFAULT_CACHE_DIR),
  /**
   * Directories a model (after resolving symlinks) may live in. Default: the cache dir and the
   * directory of `modelPath` as configured (the directory itself when it is one).
   */
  allowedDirs: envList().optional(),
  /** Context size per sequence, in tokens. Default: the model's training context, at most 4096. */
  contextSize: positiveInt('contextSize').optional(),
  /** Layers offloaded to the GPU: a number, `auto` (fit what VRAM allows) or `max`. CPU: always 0. */
  gpuLayers: z.union([z.enum(['auto', 'max']), envNumber().pipe(z.number().int().nonnegative())], { error: 'expected a number of layers, "auto" or "max"' }).default('auto'),
  /**
   * CPU threads. Default: half the cores this process may use, at least one (more collapses when
   * other work holds a core; see `defaultThreads`). Ceiling: the cores (`os.availableParallelism()`).
   */
  threads: positiveInt('threads').optional(),
  /** Parallel sequences sharing one context: how many requests generate at once. */
  sequences: positiveInt('sequences').pipe(z.number().max(64, 'at most 64 sequences')).default(2),
  /** Requests that may wait for a free sequence before new ones are refused as overloaded. */
  maxQueue: envNumber().pipe(z.number().int().nonnegative()).default(64),
  /**
   * Output tokens when a call sets no `maxTokens` (at most the context size). A cap by default: a
   * small local model may never emit its end token and would otherwise fill the whole context.
   */
  maxTokens: positiveInt('maxTokens').default(DEFAULT_MAX_TOKENS),
  /** Optional LoRA adapter (a GGUF file inside the allowed directories). */
  lora: z.string().min(1).optional(),
  loraScale: envNumber().pipe(z.number().min(0).max(4)).default(1),
  /** The license token (`AUTOARR_LICENSE`); a secret, masked wherever settings are printed. */
  license: secretString().optional(),
  /** A file holding the license token (`AUTOARR_LICENSE_FILE`), used when `license` is not set. */
  licenseFile: z.string().min(1).optional(),
});

export type CustomModelSettingsInput = z.input<typeof CustomModelSettingsSchema>;
export type CustomModelSettings = z.output<typeof CustomModelSettingsSchema>;

/** Environment variables of the custom provider and the settings they set. */
export const CUSTOM_MODEL_ENV: Readonly<Record<string, keyof CustomModelSettings>> = {
  CUSTOM_MODEL_PATH: 'modelPath',
  CUSTOM_MODEL_SHA256: 'modelSha256',
  CUSTOM_MODEL_DEVICE: 'device',
  CUSTOM_MODEL_QUANTIZATION: 'quantization',
  CUSTOM_MODEL_CACHE_DIR: 'cacheDir',
  CUSTOM_MODEL_ALLOWED_DIRS: 'allowedDirs',
  CUSTOM_MODEL_CONTEXT_SIZE: 'contextSize',
  CUSTOM_MODEL_GPU_LAYERS: 'gpuLayers',
  CUSTOM_MODEL_THREADS: 'threads',
  CUSTOM_MODEL_SEQUENCES: 'sequences',
  CUSTOM_MODEL_MAX_QUEUE: 'maxQueue',
  CUSTOM_MODEL_MAX_TOKENS: 'maxTokens',
  CUSTOM_MODEL_LORA: 'lora',
  CUSTOM_MODEL_LORA_SCALE: 'loraScale',
  AUTOARR_LICENSE: 'license',
  AUTOARR_LICENSE_FILE: 'licenseFile',
};
