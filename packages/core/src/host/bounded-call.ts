export interface BoundedCallOptions<T> {
  /** The caller's cancellation: the call ends at once with `aborted(reason)` when it fires. */
  signal?: AbortSignal | undefined;
  aborted?: ((reason: unknown) => unknown) | undefined;
  /** Receives what `work` returns after the host stopped waiting (to release it). */
  onLate?: ((value: T) => void) | undefined;
}

/**
 * `work` raced against a timer of the host's own: rejects with `timedOut()` after `ms` unless `work`
 * settled first, whatever `work` does with the signals it was given. A late result goes to
 * `onLate` (or is dropped) and a late failure is swallowed. The timer is cleared as soon as the
 * call settles, and keeps the process alive meanwhile: a pending promise alone holds no handle,
 * and a process whose top-level await is left waiting on one exits (code 13) with no output.
 */
export function boundedCall<T>(work: () => T | PromiseLike<T>, ms: number, timedOut: () => unknown, options: BoundedCallOptions<T> = {}): Promise<T> {
  const { signal, onLate } = options;
  const aborted = options.aborted ?? ((reason: unknown) => reason);
  if (signal?.aborted) return Promise.reject(aborted(signal.reason));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = () => {
      if (finish()) reject(aborted(signal?.reason));
    };
    const timer = setTimeout(() => {
      if (finish()) reject(timedOut());
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    let pending: PromiseLike<T> | T;
    try {
      pending = work();
    } catch (error) {
      finish();
      reject(error);
      return;
    }
    Promise.resolve(pending).then(
      (value) => {
        if (finish()) resolve(value);
        else if (onLate) runLate(onLate, value);
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
  });
}

function runLate<T>(onLate: (value: T) => void, value: T): void {
  try {
    onLate(value);
  } catch {
    // Cleaning up after something that answered too late must not fail anything else.
  }
}
