import { availableParallelism } from 'node:os';

/**
 * The default thread count: half the cores this process may use, at least one. llama.cpp's
 * threads spin while they wait for each other, so when other work holds a core (a shared host,
 * the app itself) a thread count equal to the cores collapses: on a busy 2-core machine 2
 * threads decoded 20-35x slower than 1, while 1 thread lost only its share. Half the cores
 * (the physical cores on SMT machines) keeps most of the idle speed and degrades gently under
 * load; `pnpm bench premium` measures both on the machine at hand.
 */
export function defaultThreads(available = availableParallelism()): number {
  return Math.max(1, Math.floor(available / 2));
}

/**
 * CPU threads for llama.cpp: the requested count, never more than the cores this process may use
 * (more threads than cores makes decoding slower, not faster); default {@link defaultThreads}.
 */
export function resolveThreads(requested: number | undefined, available = availableParallelism()): { threads: number; clamped: boolean } {
  if (requested === undefined) return { threads: defaultThreads(available), clamped: false };
  return requested > available ? { threads: available, clamped: true } : { threads: requested, clamped: false };
}
