import { ProviderUnavailableError, type Logger } from '@autoarr-llm/core';
import type { Llama } from 'node-llama-cpp';
import type { CustomModelDevice } from './custom-model-settings.js';
import { loadNodeLlamaCpp } from './load-node-llama-cpp.js';

/** A backend lent to one provider; `release` hands it back (its logger stops receiving lines). */
export interface LlamaLease {
  llama: Llama;
  release: () => void;
}

interface Shared {
  llama: Promise<Llama>;
  /** Loggers of the providers holding the backend; llama.cpp's lines go to the oldest. */
  loggers: Logger[];
}

/**
 * One backend per device and thread count for the life of the process, shared by every provider
 * and never disposed by one. llama.cpp's native log hook is process-wide: once a backend is
 * disposed, the hook stays detached for every later backend (and for one still alive), and
 * llama.cpp prints its lines straight to stdout — the CLI's answer channel. The backend itself
 * holds no model memory (models and contexts are disposed by their provider); node-llama-cpp
 * disposes it before the process exits.
 */
const shared = new Map<string, Shared>();

/**
 * Lends llama.cpp's native backend for the configured device. Only prebuilt binaries are used
 * (`build: 'never'`): a server never compiles llama.cpp at run time. A device asked for by name
 * that cannot be loaded, or that loads as another one (node-llama-cpp falls back to the CPU
 * quietly), is a clear error; `auto` falls back to the CPU.
 */
export async function loadLlamaBackend(device: CustomModelDevice, threads: number, logger: Logger): Promise<LlamaLease> {
  const key = `${device}/${threads}`;
  let entry = shared.get(key);
  if (!entry) {
    const loggers: Logger[] = [];
    const created: Shared = { llama: createBackend(device, threads, loggers), loggers };
    created.llama.catch(() => {
      if (shared.get(key) === created) shared.delete(key);
    });
    shared.set(key, created);
    entry = created;
  }
  const held = entry;
  held.loggers.push(logger);
  let llama: Llama;
  try {
    llama = await held.llama;
  } catch (error) {
    releaseShared(held, logger);
    throw error;
  }
  let released = false;
  return {
    llama,
    release: () => {
      if (released) return;
      released = true;
      releaseShared(held, logger);
    },
  };
}

function releaseShared(entry: Shared, logger: Logger): void {
  const at = entry.loggers.indexOf(logger);
  if (at >= 0) entry.loggers.splice(at, 1);
}

async function createBackend(device: CustomModelDevice, threads: number, loggers: readonly Logger[]): Promise<Llama> {
  const lib = await loadNodeLlamaCpp();
  const gpu = device === 'cpu' ? false : device;
  let llama: Llama;
  try {
    llama = await lib.getLlama({
      gpu,
      build: 'never',
      maxThreads: threads,
      progressLogs: false,
      logLevel: lib.LlamaLogLevel.warn,
      logger: (level, message) => {
        const to = loggers[0];
        if (!to) return;
        if (level === lib.LlamaLogLevel.error || level === lib.LlamaLogLevel.fatal) to.warn({ provider: 'custom' }, `llama.cpp: ${message.trim()}`);
        else to.debug({ provider: 'custom' }, `llama.cpp: ${message.trim()}`);
      },
    });
  } catch (error) {
    if (device === 'auto' || device === 'cpu') {
      throw new ProviderUnavailableError(`custom: the llama.cpp backend cannot be loaded on this machine: ${(error as Error).message}`, { provider: 'custom', cause: error, retryable: false });
    }
    throw await missingDevice(device, (error as Error).name, error);
  }
  if (device !== 'auto' && device !== 'cpu' && llama.gpu !== device) {
    await llama.dispose();
    throw await missingDevice(device, `it loaded as ${llama.gpu === false ? 'cpu' : llama.gpu}`, undefined);
  }
  return llama;
}

async function missingDevice(device: Exclude<CustomModelDevice, 'auto' | 'cpu'>, why: string, cause: unknown): Promise<ProviderUnavailableError> {
  const lib = await loadNodeLlamaCpp();
  const supported = await lib.getLlamaGpuTypes('supported').catch(() => [] as const);
  const usable = supported.filter((t): t is Exclude<typeof t, false> => t !== false);
  return new ProviderUnavailableError(
    `custom: CUSTOM_MODEL_DEVICE=${device}, but no ${device} backend can be loaded on this machine (${why}); ` +
      `devices available here: cpu${usable.length > 0 ? `, ${usable.join(', ')}` : ''}. Set CUSTOM_MODEL_DEVICE=auto to use the best one, or cpu.`,
    { provider: 'custom', cause, retryable: false },
  );
}
