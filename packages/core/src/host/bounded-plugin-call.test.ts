import { describe, expect, it } from 'vitest';
import { PluginTimeoutError } from '../errors/plugin-timeout-error.js';
import { boundedPluginCall } from './bounded-plugin-call.js';

const target = { plugin: 'autoarr-llm-provider-x', provider: 'x' };
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('boundedPluginCall', () => {
  it('a plugin that never settles: PLUGIN_TIMEOUT naming the plugin, the stage and the bound; no timer left', async () => {
    const before = timers();
    const error = await boundedPluginCall('create', target, () => new Promise(() => {}), 30).catch((e: unknown) => e);
    expect(PluginTimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'PLUGIN_TIMEOUT', plugin: 'autoarr-llm-provider-x', stage: 'create', timeoutMs: 30, provider: 'x', retryable: true });
    expect((error as Error).message).toBe('Plugin autoarr-llm-provider-x (provider "x") did not answer create() within 30 ms');
    expect(timers()).toBe(before);
  });

  it('an answer in time is passed on and its timer cleared at once', async () => {
    const before = timers();
    await expect(boundedPluginCall('getModels', target, async () => ['m'], 10_000)).resolves.toEqual(['m']);
    expect(timers()).toBe(before);
  });

  it('a failure in time, or thrown synchronously, is passed on as it is', async () => {
    const boom = new Error('boom');
    await expect(boundedPluginCall('healthCheck', target, () => Promise.reject(boom), 1_000)).rejects.toBe(boom);
    await expect(
      boundedPluginCall('create', target, () => {
        throw boom;
      }, 1_000),
    ).rejects.toBe(boom);
  });

  it('a late answer goes to onLate (to be disposed); a late failure is swallowed', async () => {
    const late: string[] = [];
    let answer!: (v: string) => void;
    const call = boundedPluginCall('create', target, () => new Promise<string>((r) => (answer = r)), 20, { onLate: (v) => late.push(v) });
    await expect(call).rejects.toMatchObject({ code: 'PLUGIN_TIMEOUT' });
    answer('provider');
    await new Promise((r) => setImmediate(r));
    expect(late).toEqual(['provider']);
    let fail!: (e: unknown) => void;
    const failing = boundedPluginCall('dispose', target, () => new Promise<void>((_, j) => (fail = j)), 20);
    await expect(failing).rejects.toMatchObject({ code: 'PLUGIN_TIMEOUT', stage: 'dispose' });
    fail(new Error('late'));
    await new Promise((r) => setImmediate(r));
  });

  it("the caller's abort ends the call at once with ABORTED, whatever the plugin does", async () => {
    const controller = new AbortController();
    const call = boundedPluginCall('getModels', target, () => new Promise(() => {}), 10_000, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'ABORTED', provider: 'x' });
  });
});
