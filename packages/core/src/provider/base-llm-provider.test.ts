import { afterEach, describe, expect, it, vi } from 'vitest';
import { BaseLLMProvider, DEFAULT_AVAILABILITY_TIMEOUT_MS } from './base-llm-provider.js';
import type { LLMResponse } from '../contract/response.js';

class ProbeProvider extends BaseLLMProvider {
  readonly name = 'probe';
  constructor(private readonly health: () => Promise<{ status: 'ok' | 'down'; reachable: boolean }>) {
    super();
  }
  protected async doComplete(): Promise<LLMResponse> {
    return { content: '', model: 'm', provider: this.name };
  }
  protected async *doStream(): AsyncGenerator<never, LLMResponse | undefined, void> {
    return { content: '', model: 'm', provider: this.name };
  }
  protected doHealthCheck() {
    return this.health();
  }
  async getModels() {
    return [];
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BaseLLMProvider.isAvailable', () => {
  it('follows the health check, and never throws', async () => {
    await expect(new ProbeProvider(async () => ({ status: 'ok', reachable: true })).isAvailable()).resolves.toBe(true);
    await expect(new ProbeProvider(async () => ({ status: 'down', reachable: false })).isAvailable()).resolves.toBe(false);
    await expect(new ProbeProvider(() => Promise.reject(new Error('boom'))).isAvailable()).resolves.toBe(false);
  });

  it('a health check that hangs counts as unavailable once the bound passes', async () => {
    vi.useFakeTimers();
    const pending = new ProbeProvider(() => new Promise(() => undefined)).isAvailable();
    await vi.advanceTimersByTimeAsync(DEFAULT_AVAILABILITY_TIMEOUT_MS);
    await expect(pending).resolves.toBe(false);
  });
});
