import { onAbort, type CallAbort } from '../pipeline/call-abort-scope.js';

/** Waits `ms`, or rejects with the abort's reason as soon as it aborts (no timer is left behind). */
export function abortableSleep(ms: number, signal?: CallAbort): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let unlink: (() => void) | undefined;
    const timer = setTimeout(() => {
      unlink?.();
      resolve();
    }, ms);
    if (signal)
      unlink = onAbort(signal, (reason) => {
        clearTimeout(timer);
        reject(reason);
      });
  });
}

/** Never resolves; rejects with the signal's reason when it aborts. */
export function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
