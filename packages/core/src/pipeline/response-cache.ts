import { createRequire } from 'node:module';
import type { LRUCache } from 'lru-cache';
import type { LLMResponse, ToolCall } from '../contract/response.js';

/** A cached answer: the final response and, when it came from a stream, its chunks for replay. */
export interface CachedAnswer {
  response: LLMResponse;
  chunks: string[];
  toolCalls: ToolCall[];
}

/**
 * A bounded response cache (LRU + TTL, through lru-cache). Streams are recorded and replayed chunk
 * by chunk; a non-streamed answer replays as one chunk.
 */
export class ResponseCache {
  readonly #lru: LRUCache<string, CachedAnswer>;

  constructor(options: { maxEntries: number; ttlMs: number }) {
    this.#lru = new (lruCacheClass())({ max: options.maxEntries, ttl: options.ttlMs });
  }

  get(key: string): CachedAnswer | undefined {
    return this.#lru.get(key);
  }

  set(key: string, answer: CachedAnswer): void {
    this.#lru.set(key, answer);
  }

  get size(): number {
    return this.#lru.size;
  }

  clear(): void {
    this.#lru.clear();
  }
}

let lruClass: typeof LRUCache | undefined;

/** lru-cache, loaded when the first cache is made: most hosts run without one, and start faster. */
function lruCacheClass(): typeof LRUCache {
  return (lruClass ??= (createRequire(import.meta.url)('lru-cache') as { LRUCache: typeof LRUCache }).LRUCache);
}
