import { ProviderUnavailableError, type Logger } from '@autoarr-llm/core';
import type { Llama } from 'node-llama-cpp';
import type { CustomModelDevice } from './custom-model-settings.js';
import { loadNodeLlamaCpp } from './load-node-llama-cpp.js';

/**
 * Loads llama.cpp's native backend for the configured device. Only prebuilt binaries are used
 * (`build: 'never'`): a server never compiles llama.cpp at run time. A device asked for by name
 * that cannot be loaded is a clear error; `auto` falls back to the CPU.
 */
export async function loadLlamaBackend(device: CustomModelDevice, threads: number, logger: Logger): Promise<Llama> {
  const lib = await loadNodeLlamaCpp();
  const gpu = device === 'cpu' ? false : device;
  try {
    return await lib.getLlama({
      gpu,
      build: 'never',
      maxThreads: threads,
      progressLogs: false,
      logLevel: lib.LlamaLogLevel.warn,
      logger: (level, message) => {
        if (level === lib.LlamaLogLevel.error || level === lib.LlamaLogLevel.fatal) logger.warn({ provider: 'custom' }, `llama.cpp: ${message.trim()}`);
        else logger.debug({ provider: 'custom' }, `llama.cpp: ${message.trim()}`);
      },
    });
  } catch (error) {
    if (device === 'auto' || device === 'cpu') {
      throw new ProviderUnavailableError(`custom: the llama.cpp backend cannot be loaded on this machine: ${(error as Error).message}`, { provider: 'custom', cause: error, retryable: false });
    }
    const supported = await lib.getLlamaGpuTypes('supported').catch(() => [] as const);
    const usable = supported.filter((t): t is Exclude<typeof t, false> => t !== false);
    throw new ProviderUnavailableError(
      `custom: CUSTOM_MODEL_DEVICE=${device}, but no ${device} backend can be loaded on this machine (${(error as Error).name}); ` +
        `devices available here: cpu${usable.length > 0 ? `, ${usable.join(', ')}` : ''}. Set CUSTOM_MODEL_DEVICE=auto to use the best one, or cpu.`,
      { provider: 'custom', cause: error, retryable: false },
    );
  }
}
