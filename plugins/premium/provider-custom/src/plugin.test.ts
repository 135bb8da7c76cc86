import { inspect } from 'node:util';
import { LicenseError, loadConfig, ProviderFactory, type Logger } from '@autoarr-llm/core';
import { MockProvider } from '@autoarr-llm/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTestLicensing } from './test-support/test-license.js';
import { makeModelDir, writeTinyModel } from './test-support/tiny-model.js';

// Records whether node-llama-cpp was imported: the plugin entry and create() must not load it.
const loaded = vi.hoisted(() => ({ nodeLlamaCpp: false }));
vi.mock('node-llama-cpp', async (importOriginal) => {
  loaded.nodeLlamaCpp = true;
  return importOriginal();
});

const lic = makeTestLicensing();
let dir: string;
let cleanup: () => Promise<void>;
let modelPath: string;

function capturingLogger(lines: string[]): Logger {
  const log = (...args: unknown[]) => lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  return { debug: log, info: log, warn: log, error: log } as Logger;
}

async function factoryWith(env: Record<string, string>, services: Map<string, unknown>, logs: string[]) {
  const { default: plugin } = await import('./plugin.js');
  const config = await loadConfig({ cwd: dir, env });
  const factory = new ProviderFactory({ config, discover: false, services, logger: capturingLogger(logs) });
  factory.registerProvider('custom', plugin);
  factory.registerProvider('ollama', () => new MockProvider({ name: 'ollama', defaultResponse: 'from the free chain' }));
  return factory;
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeModelDir());
  modelPath = await writeTinyModel(dir, 'Q4_0');
});
afterAll(() => cleanup());

describe('custom plugin', () => {
  it('is the premium "custom" plugin with the seed env vars, the license masked; importing and creating loads no node-llama-cpp', async () => {
    const { default: plugin } = await import('./plugin.js');
    expect(plugin).toMatchObject({ name: 'custom', tier: 'premium', secretKeys: ['license'] });
    expect(plugin.env).toMatchObject({ CUSTOM_MODEL_PATH: 'modelPath', CUSTOM_MODEL_DEVICE: 'device', CUSTOM_MODEL_QUANTIZATION: 'quantization', CUSTOM_MODEL_CACHE_DIR: 'cacheDir', AUTOARR_LICENSE: 'license' });
    const logs: string[] = [];
    const factory = await factoryWith({ CUSTOM_MODEL_PATH: modelPath, AUTOARR_LICENSE: lic.issue(), CUSTOM_MODEL_THREADS: '1' }, new Map([['autoarr-premium.licensePublicKey', lic.publicPem]]), logs);
    const provider = await factory.createSingle('custom');
    expect(loaded.nodeLlamaCpp).toBe(false);
    await factory.dispose();
    expect(provider.name).toBe('custom');
  });

  it('with a valid license (key given in code via services) the premium chain starts with custom and answers locally', async () => {
    const token = lic.issue();
    const logs: string[] = [];
    const factory = await factoryWith({ CUSTOM_MODEL_PATH: modelPath, AUTOARR_LICENSE: token, CUSTOM_MODEL_THREADS: '1' }, new Map([['autoarr-premium.licensePublicKey', lic.publicKey]]), logs);
    try {
      expect(factory.plan().order).toEqual(['custom', 'claude']);
      const chain = await factory.createProvider();
      const r = await chain.complete([{ role: 'user', content: 'hi' }], { maxTokens: 4 });
      expect(r).toMatchObject({ provider: 'custom', model: 'tiny-q4_0', usage: { outputTokens: 4 } });
      expect(logs.join('\n')).not.toContain(token);
      expect(inspect(chain, { depth: 8 })).not.toContain(token);
    } finally {
      await factory.dispose();
    }
  });

  it('without a valid license create() throws LicenseError, the factory records why, and the free chain follows', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'missing'],
      [{ AUTOARR_LICENSE: lic.issue({ exp: now - 10_000, nbf: now - 20_000, iat: now - 20_000 }) }, 'expired'],
      [{ AUTOARR_LICENSE: lic.issue({ features: ['reports'] }) }, 'feature-missing'],
      [{ AUTOARR_LICENSE: makeTestLicensing().issue() }, 'bad-signature'],
    ];
    for (const [env, problem] of cases) {
      const logs: string[] = [];
      const factory = await factoryWith({ CUSTOM_MODEL_PATH: modelPath, ...env }, new Map([['autoarr-premium.licensePublicKey', lic.publicKey]]), logs);
      try {
        const err = await factory.createSingle('custom').catch((e: unknown) => e);
        expect(LicenseError.isInstance(err) && err.problem).toBe(problem);
        const chain = await factory.createProvider();
        const r = await chain.complete([{ role: 'user', content: 'hi' }]);
        expect(r.content).toBe('from the free chain');
        if (env['AUTOARR_LICENSE']) {
          expect(`${(err as Error).message}${inspect(err)}${logs.join('\n')}`).not.toContain(env['AUTOARR_LICENSE']);
        }
      } finally {
        await factory.dispose();
      }
    }
  });

  it('no config file or env var can replace the verification key: a license from another key fails without the services key', async () => {
    const logs: string[] = [];
    const factory = await factoryWith({ CUSTOM_MODEL_PATH: modelPath, AUTOARR_LICENSE: lic.issue(), AUTOARR_LICENSE_PUBLIC_KEY: lic.publicPem }, new Map(), logs);
    try {
      const err = await factory.createSingle('custom').catch((e: unknown) => e);
      expect(LicenseError.isInstance(err) && err.problem).toBe('bad-signature');
    } finally {
      await factory.dispose();
    }
  });
});
