import { freemem } from 'node:os';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigValidationError, LLMError, ModelNotFoundError, silentLogger, type Logger } from '@autoarr-llm/core';
import { checkModelPath, hasTraversal, realAllowedDirs } from './check-model-path.js';
import type { CustomModelSettings } from './custom-model-settings.js';
import { downloadModel, type DownloadProgress } from './download-model.js';
import { PRECISION_ORDER } from './model-quantization.js';
import { readModelFacts, type ModelFacts } from './read-model-facts.js';

/** The model file chosen from the settings, and every variant seen beside it. */
export interface ResolvedModelFile {
  /** The chosen variant. */
  selected: ModelFacts;
  /** All valid variants (one for a file path), the selected one included. */
  variants: ModelFacts[];
  /** Variant files refused by the path checks, with why (never loaded). */
  refused: Array<{ file: string; reason: string }>;
  /** The configured name: the directory or file name, or the URL's file name. */
  alias: string;
  /** Real paths of the allowed directories. */
  allowedDirs: string[];
}

export interface ResolveModelFileOptions {
  appRoot?: string | undefined;
  logger?: Logger | undefined;
  onDownloadProgress?: ((progress: DownloadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Bytes of memory the weights may take for `quantization: auto`; defaults to free RAM. */
  availableMemory?: number | undefined;
}

/**
 * The allowed model directories: `allowedDirs` when configured, else the cache dir and the
 * directory of `modelPath` as configured (the path itself when it is a directory).
 */
export function defaultAllowedDirs(settings: Pick<CustomModelSettings, 'allowedDirs' | 'cacheDir'>, configuredModelPath: string | undefined, modelPathIsDir: boolean, appRoot = process.cwd()): string[] {
  if (settings.allowedDirs && settings.allowedDirs.length > 0) return settings.allowedDirs.map((d) => resolve(appRoot, d));
  const dirs = [resolve(appRoot, settings.cacheDir)];
  if (configuredModelPath) dirs.push(modelPathIsDir ? configuredModelPath : dirname(configuredModelPath));
  return dirs;
}

/**
 * Resolves `CUSTOM_MODEL_PATH` to the GGUF file to load: downloads a URL into the cache, checks
 * a file, or picks the variant of a directory matching `CUSTOM_MODEL_QUANTIZATION` (checked
 * against the tensor types in each file's header). Nothing is loaded here.
 */
export async function resolveModelFile(settings: CustomModelSettings, options: ResolveModelFileOptions = {}): Promise<ResolvedModelFile> {
  const appRoot = options.appRoot ?? process.cwd();
  const logger = options.logger ?? silentLogger;
  const configured = settings.modelPath;
  const refuse = (message: string) => new ConfigValidationError([{ key: 'providers.custom.modelPath', source: 'settings', message }], { provider: 'custom', subject: 'model path' });

  if (/^https?:\/\//i.test(configured)) {
    const cacheDir = resolve(appRoot, settings.cacheDir);
    const file = await downloadModel(configured, { cacheDir, sha256: settings.modelSha256, logger, onProgress: options.onDownloadProgress, signal: options.signal });
    const allowed = await realAllowedDirs(defaultAllowedDirs(settings, undefined, false, appRoot));
    const facts = await readModelFacts(await checkModelPath(file, allowed));
    checkPrecision(facts, settings.quantization, refuse);
    return { selected: facts, variants: [facts], refused: [], alias: basename(new URL(configured).pathname).replace(/\.gguf$/i, '') || facts.id, allowedDirs: allowed };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(configured)) throw refuse(`"${configured}" is neither a path nor an http(s) URL`);
  if (hasTraversal(configured)) throw refuse(`"${configured}" contains a ".." segment; give the model's path without traversal`);

  const path = resolve(appRoot, configured);
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (error) {
    throw new ModelNotFoundError(configured, `custom: CUSTOM_MODEL_PATH ${configured} does not exist`, { provider: 'custom', cause: error });
  }
  const allowed = await realAllowedDirs(defaultAllowedDirs(settings, path, isDir, appRoot));
  const alias = basename(path).replace(/\.gguf$/i, '');

  if (!isDir) {
    const facts = await readModelFacts(await checkModelPath(path, allowed));
    checkPrecision(facts, settings.quantization, refuse);
    return { selected: facts, variants: [facts], refused: [], alias, allowedDirs: allowed };
  }

  const variants: ModelFacts[] = [];
  const refused: Array<{ file: string; reason: string }> = [];
  const names = (await readdir(path)).filter((n) => /\.gguf$/i.test(n)).sort();
  for (const name of names) {
    try {
      variants.push(await readModelFacts(await checkModelPath(join(path, name), allowed)));
    } catch (error) {
      // One bad variant (a symlink out of the directory, a stray non-GGUF file) is refused, not loaded.
      const reason = LLMError.isInstance(error) && ConfigValidationError.isInstance(error) ? (error.issues[0]?.message ?? error.message) : (error as Error).message;
      refused.push({ file: name, reason });
      logger.warn({ file: name }, `custom: model variant refused: ${reason}`);
    }
  }
  if (variants.length === 0) {
    throw new ModelNotFoundError(configured, `custom: ${configured} holds no usable .gguf model${refused.length > 0 ? ` (refused: ${refused.map((r) => `${r.file}: ${r.reason}`).join('; ')})` : ''}`, { provider: 'custom' });
  }
  const selected = settings.quantization === 'auto' ? pickAuto(variants, options.availableMemory ?? freemem()) : variants.find((v) => v.precision === settings.quantization);
  if (!selected) {
    throw new ModelNotFoundError(
      `${alias}:${settings.quantization}`,
      `custom: ${configured} has no ${settings.quantization} variant (CUSTOM_MODEL_QUANTIZATION); found: ${variants.map((v) => `${v.id} (${v.precision}, ${v.dominantType})`).join(', ')}`,
      { provider: 'custom' },
    );
  }
  return { selected, variants, refused, alias, allowedDirs: allowed };
}

function checkPrecision(facts: ModelFacts, wanted: CustomModelSettings['quantization'], refuse: (m: string) => Error): void {
  if (wanted !== 'auto' && facts.precision !== wanted) {
    throw refuse(`CUSTOM_MODEL_QUANTIZATION is ${wanted}, but ${basename(facts.path)} holds ${facts.precision} weights (${facts.dominantType} tensors)`);
  }
}

// The most precise variant whose weights fit in (a safe share of) the memory; else the smallest.
function pickAuto(variants: ModelFacts[], memory: number): ModelFacts {
  const byPrecision = [...variants].sort((a, b) => PRECISION_ORDER.indexOf(a.precision) - PRECISION_ORDER.indexOf(b.precision));
  return byPrecision.find((v) => v.sizeBytes <= memory * 0.75) ?? [...variants].sort((a, b) => a.sizeBytes - b.sizeBytes)[0]!;
}
