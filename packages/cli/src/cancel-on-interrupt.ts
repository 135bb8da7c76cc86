import { AbortedError } from '@autoarr-llm/core';
import type { CliIO } from './cli-io.js';

/**
 * Runs `work` with a signal that Ctrl-C aborts, so the request is cancelled on the backend (the
 * provider closes its connection) instead of the process dying with the request still running.
 * Whatever the provider throws once cancelled becomes one `AbortedError` (exit 130).
 */
export async function cancelOnInterrupt<T>(io: CliIO, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const remove = io.onInterrupt(() => {
    io.err('\ncancelling… (Ctrl-C again to quit at once)\n');
    controller.abort(new AbortedError('cancelled with Ctrl-C'));
  });
  try {
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) throw new AbortedError('cancelled with Ctrl-C', { cause: error });
    throw error;
  } finally {
    remove();
  }
}
