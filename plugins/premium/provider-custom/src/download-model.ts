import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MalformedResponseError, ModelNotFoundError, ProviderUnavailableError, silentLogger, type Logger } from '@autoarr-llm/core';

export interface DownloadProgress {
  url: string;
  receivedBytes: number;
  /** From `content-length`; undefined when the server did not say. */
  totalBytes: number | undefined;
}

export interface DownloadModelOptions {
  cacheDir: string;
  /** Expected sha256 (lower-case hex); the file is discarded when it differs. */
  sha256?: string | undefined;
  logger?: Logger;
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Where a URL's model lands in the cache: a hash of the URL (no collisions) plus a safe file name. */
export function cachedModelPath(url: string, cacheDir: string): string {
  const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || 'model.gguf';
  const safe = last.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  const name = /\.gguf$/i.test(safe) ? safe : `${safe || 'model'}.gguf`;
  const tag = createHash('sha256').update(url).digest('hex').slice(0, 12);
  return join(cacheDir, `${tag}-${name}`);
}

/**
 * Downloads a model into the cache (once): streamed to a temporary file while hashing, checked
 * against `sha256`, then renamed into place, so a partial or wrong file is never loaded. A cached
 * file is reused when it matches the checksum (or when no checksum is configured).
 */
export async function downloadModel(url: string, options: DownloadModelOptions): Promise<string> {
  const logger = options.logger ?? silentLogger;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ModelNotFoundError(url, `custom: only http(s) model URLs can be downloaded, not ${parsed.protocol}`, { provider: 'custom' });
  // The URL may carry a token in its query: logs and errors name only origin and path.
  const shown = `${parsed.origin}${parsed.pathname}`;
  await mkdir(options.cacheDir, { recursive: true });
  const dest = cachedModelPath(url, options.cacheDir);
  if (await exists(dest)) {
    if (!options.sha256 || (await sha256File(dest)) === options.sha256) return dest;
    logger.warn({ model: shown }, 'cached model does not match the configured sha256; downloading it again');
  }
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal ?? null, redirect: 'follow' });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ProviderUnavailableError(`custom: cannot download the model from ${shown}: ${(error as Error).message}`, { provider: 'custom', cause: error });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    if (response.status === 404) throw new ModelNotFoundError(shown, `custom: no model at ${shown} (HTTP 404)`, { provider: 'custom', status: 404 });
    throw new ProviderUnavailableError(`custom: downloading the model from ${shown} failed with HTTP ${response.status}`, { provider: 'custom', status: response.status });
  }
  const total = Number(response.headers.get('content-length')) || undefined;
  const part = `${dest}.part-${process.pid}-${randomBytes(4).toString('hex')}`;
  const hash = createHash('sha256');
  let received = 0;
  let nextLog = 0.1;
  const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  source.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    received += chunk.length;
    options.onProgress?.({ url: shown, receivedBytes: received, totalBytes: total });
    if (total && received / total >= nextLog) {
      logger.info({ model: shown, percent: Math.floor((received / total) * 100) }, 'downloading model');
      nextLog = Math.floor((received / total) * 10) / 10 + 0.1;
    }
  });
  try {
    await pipeline(source, createWriteStream(part, { mode: 0o644 }), { signal: options.signal ?? new AbortController().signal });
    if (total !== undefined && received !== total) {
      throw new MalformedResponseError(`custom: the model download from ${shown} ended after ${received} of ${total} bytes`, { provider: 'custom', retryable: true });
    }
    const digest = hash.digest('hex');
    if (options.sha256 && digest !== options.sha256) {
      throw new MalformedResponseError(`custom: the model downloaded from ${shown} has sha256 ${digest}, but ${options.sha256} was expected; the file was discarded`, { provider: 'custom', retryable: false });
    }
    if (!options.sha256) logger.warn({ model: shown, sha256: digest }, 'model downloaded without a configured checksum (set CUSTOM_MODEL_SHA256 to pin it)');
    await rename(part, dest);
    logger.info({ model: shown, bytes: received }, 'model downloaded');
    return dest;
  } finally {
    await rm(part, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
