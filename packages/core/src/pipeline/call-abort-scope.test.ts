import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { AutoarrLlmConfigInput } from '../config/config-schema.js';
import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMResponse } from '../contract/response.js';
import { ProviderFactory } from '../factory/provider-factory.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';
import { isCallScoped } from '../stream/call-scoped-signal.js';
import { NEVER_ABORTED, onAbort, type CallAbort } from './call-abort-scope.js';

const hello: LLMMessage[] = [{ role: 'user', content: 'hello' }];
const answer = (provider: string): LLMResponse => ({ content: 'ok', model: 'm', provider });

/** Answers after `delayMs`, or fails as soon as its call is cancelled; records what it was handed. */
function waitOrAbort(delayMs: number, cancel: CallAbort, provider: string): Promise<LLMResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unlink();
      resolve(answer(provider));
    }, delayMs);
    const unlink = onAbort(cancel, (reason) => {
      clearTimeout(timer);
      reject(reason);
    });
  });
}

abstract class Recording extends BaseLLMProvider {
  readonly seen: Array<{ via: 'doComplete' | 'doCompleteWith'; cancel: CallAbort }> = [];
  constructor(
    readonly name: string,
    readonly delayMs: number,
  ) {
    super();
  }
  protected doComplete(_m: LLMMessage[], _o: ResolvedCallOptions, signal: AbortSignal): Promise<LLMResponse> {
    this.seen.push({ via: 'doComplete', cancel: signal });
    return waitOrAbort(this.delayMs, signal, this.name);
  }
  protected async *doStream(): AsyncGenerator<never, LLMResponse | undefined, void> {
    return answer(this.name);
  }
  protected async doHealthCheck() {
    return { status: 'ok' as const, reachable: true };
  }
  async getModels() {
    return [];
  }
}

/** A provider that links its requests to a scope itself. */
class ScopeAware extends Recording {
  protected override doCompleteWith(_m: LLMMessage[], _o: ResolvedCallOptions, cancel: CallAbort): Promise<LLMResponse> {
    this.seen.push({ via: 'doCompleteWith', cancel });
    return waitOrAbort(this.delayMs, cancel, this.name);
  }
}

class SignalOnly extends Recording {}

/** Not a BaseLLMProvider: only the public contract. */
class Bare implements LLMProvider {
  readonly signals: Array<AbortSignal | undefined> = [];
  constructor(
    readonly name: string,
    readonly delayMs: number,
  ) {}
  complete(_m: LLMMessage[], options?: { signal?: AbortSignal }): Promise<LLMResponse> {
    this.signals.push(options?.signal);
    return options?.signal ? waitOrAbort(this.delayMs, options.signal, this.name) : new Promise((r) => setTimeout(() => r(answer(this.name)), this.delayMs));
  }
  streamComplete(): never {
    throw new Error('not used');
  }
  async isAvailable() {
    return true;
  }
  async healthCheck() {
    return { provider: this.name, status: 'ok' as const, reachable: true, latencyMs: 0 };
  }
  async getModels() {
    return [];
  }
  async dispose() {}
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function chain(provider: LLMProvider, pipeline: AutoarrLlmConfigInput['pipeline'] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-scope-'));
  const factory = new ProviderFactory({ config: await loadConfig({ cwd: dir, env: {}, configFile: false, overrides: { fallback: { order: [provider.name] }, pipeline } }) });
  factory.registerProvider(provider.name, () => provider);
  const created = await factory.createProvider();
  cleanups.push(async () => {
    await created.dispose();
    await factory.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return created;
}

describe('a call cancelled through its scope (no AbortSignal)', () => {
  it('a scope-aware provider gets the pipeline call itself, not an AbortSignal, and answers', async () => {
    const p = new ScopeAware('aware', 5);
    const pipeline = await chain(p);
    await expect(pipeline.complete(hello)).resolves.toMatchObject({ content: 'ok', provider: 'aware' });
    expect(p.seen).toHaveLength(1);
    expect(p.seen[0]!.via).toBe('doCompleteWith');
    expect(p.seen[0]!.cancel).not.toBeInstanceOf(AbortSignal);
  });

  it('the call deadline cancels it through the scope: TIMEOUT, phase total, and the provider saw the abort', async () => {
    const p = new ScopeAware('aware', 5_000);
    const pipeline = await chain(p, { deadlineMs: 150, defaults: { maxAttempts: 1 } });
    const started = performance.now();
    await expect(pipeline.complete(hello)).rejects.toMatchObject({ code: 'TIMEOUT', phase: 'total', timeoutMs: 150 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(p.seen[0]!.cancel.aborted).toBe(true);
  });

  it('disposing the provider cancels a call in flight with ABORTED', async () => {
    const p = new ScopeAware('aware', 5_000);
    const pipeline = await chain(p);
    const pending = pipeline.complete(hello);
    await new Promise((r) => setTimeout(r, 20));
    await pipeline.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(p.seen[0]!.cancel.aborted).toBe(true);
  });

  it('called directly: without a signal or deadline it gets NEVER_ABORTED; with a caller signal, doComplete and that signal', async () => {
    const p = new ScopeAware('aware', 1);
    await p.complete(hello);
    expect(p.seen[0]).toEqual({ via: 'doCompleteWith', cancel: NEVER_ABORTED });
    const caller = new AbortController();
    await p.complete(hello, { signal: caller.signal });
    expect(p.seen[1]).toEqual({ via: 'doComplete', cancel: caller.signal });
    await p.complete(hello, { timeout: 1_000 });
    expect(p.seen[2]!.via).toBe('doComplete');
  });

  it('a provider without doCompleteWith gets a call-scoped AbortSignal that the deadline aborts', async () => {
    const p = new SignalOnly('plain', 5_000);
    const pipeline = await chain(p, { deadlineMs: 150, defaults: { maxAttempts: 1 } });
    await expect(pipeline.complete(hello)).rejects.toMatchObject({ code: 'TIMEOUT', phase: 'total' });
    const signal = p.seen[0]!.cancel as AbortSignal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(isCallScoped(signal)).toBe(true);
    expect(signal.aborted).toBe(true);
  });

  for (const enabled of [true, false]) {
    it(`a provider that is not a BaseLLMProvider gets a real AbortSignal the deadline aborts (pipeline ${enabled ? 'on' : 'off'})`, async () => {
      const p = new Bare('bare', 5_000);
      const pipeline = await chain(p, { enabled, deadlineMs: 150, defaults: { maxAttempts: 1 } });
      await expect(pipeline.complete(hello)).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(p.signals[0]).toBeInstanceOf(AbortSignal);
      expect(p.signals[0]!.aborted).toBe(true);
    });
  }
});

describe('attempts linked to their call', () => {
  it('a call aborts the attempts running under it, and not one that has ended', async () => {
    const { PipelineCall } = await import('./pipeline-call.js');
    const { AttemptController } = await import('./attempt-controller.js');
    const call = new PipelineCall('p', 60_000, undefined);
    const ended = new AttemptController('p', call);
    ended.dispose();
    const running = new AttemptController('p', call);
    const seen: unknown[] = [];
    onAbort(running, (reason) => seen.push(reason));
    const reason = new Error('stop');
    call.abort(reason);
    expect(running.aborted).toBe(true);
    expect(running.reason).toBe(reason);
    expect(seen).toEqual([reason]);
    expect(ended.aborted).toBe(false);
    running.dispose();
    call.dispose();
  });

  it('an attempt made under an aborted call starts aborted', async () => {
    const { PipelineCall } = await import('./pipeline-call.js');
    const { AttemptController } = await import('./attempt-controller.js');
    const call = new PipelineCall('p', 60_000, undefined);
    call.abort(new Error('gone'));
    const attempt = new AttemptController('p', call);
    expect(attempt.aborted).toBe(true);
    expect((attempt.reason as Error).message).toBe('gone');
    call.dispose();
  });
});
