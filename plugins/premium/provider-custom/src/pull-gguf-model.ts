import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { InvalidRequestError, LLMError, MalformedResponseError, ProviderUnavailableError, silentLogger, type Logger } from '@autoarr-llm/core';
import { checkModelPath } from './check-model-path.js';
import { loadNodeLlamaCpp } from './load-node-llama-cpp.js';

/** Progress in the shape the CLI's progress bar reads (`status`, `completed`, `total`). */
export interface PullProgress {
  status: string;
  completed: number;
  total: number;
}

export interface PullGgufModelOptions {
  /** The model cache (`CUSTOM_MODEL_CACHE_DIR`), absolute. */
  cacheDir: string;
  /** Expected sha256 (lower-case hex); a file that differs is deleted and refused. */
  sha256?: string | undefined;
  /** Where `hf:` URIs resolve (default node-llama-cpp's: `HF_ENDPOINT`, else huggingface.co). */
  huggingFaceEndpoint?: string | undefined;
  onProgress?: ((progress: PullProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
}

/** `hf:<user>/<repo>/<path>.gguf`, optionally `#<branch>`. */
const HF_FILE_URI = /^hf:[^/\s:#]+\/[^/\s:#]+\/[^\s#]+\.gguf(#\S+)?$/i;

/**
 * Downloads a GGUF model into the cache through node-llama-cpp's downloader (parallel ranged
 * requests; an interrupted download keeps its partial file and the next pull continues it),
 * then checks its sha256 (when given) and its GGUF header before it counts as pulled. Accepts
 * `hf:<user>/<repo>/<file>.gguf` and http(s) URLs; the `hf:<user>/<repo>:<quant>` form is refused:
 * it asks the Hugging Face API which file is meant, and a pull should name the file it fetches.
 */
export async function pullGgufModel(uri: string, options: PullGgufModelOptions): Promise<string> {
  const logger = options.logger ?? silentLogger;
  const isHttp = /^https?:\/\//i.test(uri);
  if (!isHttp && !HF_FILE_URI.test(uri)) {
    throw new InvalidRequestError(`custom: "${uri}" is not a model this provider pulls; give hf:<user>/<repo>/<file>.gguf or an http(s) URL of a .gguf file`, { provider: 'custom', field: 'model' });
  }
  // A URL may carry a token in its query: messages name only origin and path.
  const shown = isHttp ? `${new URL(uri).origin}${new URL(uri).pathname}` : uri;
  await mkdir(options.cacheDir, { recursive: true });
  const lib = await loadNodeLlamaCpp();
  let path: string;
  try {
    const downloader = await lib.createModelDownloader({
      modelUri: uri,
      dirPath: options.cacheDir,
      showCliProgress: false,
      skipExisting: true,
      // Kept on failure or Ctrl-C, so the next pull resumes instead of starting over.
      deleteTempFileOnCancel: false,
      parallelDownloads: 1,
      ...(options.huggingFaceEndpoint ? { endpoints: { huggingFace: options.huggingFaceEndpoint } } : {}),
      onProgress: ({ totalSize, downloadedSize }) => options.onProgress?.({ status: `downloading ${shown}`, completed: downloadedSize, total: totalSize }),
    });
    path = await downloader.download(options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ProviderUnavailableError(`custom: downloading ${shown} failed: ${(error as Error).message.replace(uri, shown)}; pull again to resume`, { provider: 'custom', cause: error });
  }
  if (options.sha256) {
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    const digest = hash.digest('hex');
    if (digest !== options.sha256) {
      await rm(path, { force: true });
      throw new MalformedResponseError(`custom: ${shown} has sha256 ${digest}, but ${options.sha256} was expected; the file was deleted`, { provider: 'custom', retryable: false });
    }
  }
  try {
    await checkModelPath(path, [await realpath(options.cacheDir)]);
  } catch (error) {
    await rm(path, { force: true });
    throw LLMError.isInstance(error) ? error : new MalformedResponseError(`custom: ${shown} is not a usable GGUF model`, { provider: 'custom', cause: error });
  }
  logger.info({ provider: 'custom', model: shown, path }, 'model pulled');
  return path;
}
