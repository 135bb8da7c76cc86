import { OverloadedError } from '@autoarr-llm/core';

interface Waiter<S> {
  resolve(sequence: S): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Hands out a context's sequences one request at a time, and queues requests (FIFO) while all are
 * busy: asking node-llama-cpp for a sequence beyond `size` would throw "No sequences left"
 * (node-llama-cpp #623). Sequences are created on first need and reused; a waiter whose signal
 * aborts leaves the queue at once.
 */
export class SequencePool<S extends { dispose(): void }> {
  readonly #create: () => S;
  readonly #free: S[] = [];
  readonly #waiters: Waiter<S>[] = [];
  #created = 0;
  #busy = 0;
  #disposed = false;

  constructor(
    create: () => S,
    readonly size: number,
    readonly maxQueue: number,
  ) {
    this.#create = create;
  }

  /** Requests generating now. */
  get active(): number {
    return this.#busy;
  }

  /** Requests waiting for a sequence. */
  get queued(): number {
    return this.#waiters.length;
  }

  acquire(signal?: AbortSignal): Promise<S> {
    if (this.#disposed) return Promise.reject(new Error('the sequence pool is disposed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const ready = this.#free.pop() ?? (this.#created < this.size ? this.#createOne() : undefined);
    if (ready) {
      this.#busy++;
      return Promise.resolve(ready);
    }
    if (this.#waiters.length >= this.maxQueue) {
      return Promise.reject(new OverloadedError(`custom: all ${this.size} sequences are busy and ${this.#waiters.length} requests are waiting`, { provider: 'custom' }));
    }
    return new Promise<S>((resolve, reject) => {
      const waiter: Waiter<S> = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Gives a sequence back: to the next waiter, or to the free list. */
  release(sequence: S): void {
    if (this.#disposed) {
      sequence.dispose();
      return;
    }
    const next = this.#waiters.shift();
    if (next) {
      next.signal?.removeEventListener('abort', next.onAbort);
      next.resolve(sequence);
      return;
    }
    this.#busy--;
    this.#free.push(sequence);
  }

  /** Rejects every waiter and disposes the idle sequences (busy ones are disposed on release). */
  dispose(): void {
    this.#disposed = true;
    for (const w of this.#waiters.splice(0)) {
      w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(new Error('the custom provider was disposed'));
    }
    for (const s of this.#free.splice(0)) s.dispose();
  }

  #createOne(): S {
    const s = this.#create();
    this.#created++;
    return s;
  }
}
