import { availableParallelism } from 'node:os';

/**
 * CPU threads for llama.cpp: the requested count, never more than the cores this process may use
 * (more threads than cores makes decoding slower, not faster); default all of them.
 */
export function resolveThreads(requested: number | undefined, available = availableParallelism()): { threads: number; clamped: boolean } {
  if (requested === undefined) return { threads: available, clamped: false };
  return requested > available ? { threads: available, clamped: true } : { threads: requested, clamped: false };
}
