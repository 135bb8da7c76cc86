import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A throwaway app folder with files, for config and discovery tests. */
export function tempApp(files: Record<string, string | object>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-app-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Files of a plugin package installed under `node_modules/<name>`, with an ESM entry. */
export function pluginFiles(
  name: string,
  options: { provider: string; apiVersion?: number; tier?: 'free' | 'premium'; entrySource?: string; manifest?: unknown; coreRange?: string },
): Record<string, string | object> {
  const base = `node_modules/${name}`;
  const manifest = options.manifest ?? { apiVersion: options.apiVersion ?? 1, provider: options.provider, entry: './plugin.mjs', tier: options.tier ?? 'free' };
  return {
    [`${base}/package.json`]: {
      name,
      version: '1.0.0',
      type: 'module',
      'autoarr-llm-plugin': manifest,
      peerDependencies: { '@autoarr-llm/core': options.coreRange ?? '>=0.1.0' },
    },
    [`${base}/plugin.mjs`]: options.entrySource ?? `throw new Error('entry of ${name} should not be imported here');`,
  };
}

/**
 * Links this workspace's core and testkit into a temp app's node_modules, as an install would, so
 * fixture plugins can `import '@autoarr-llm/core'` and use MockProvider.
 */
export function linkWorkspacePackages(dir: string): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  mkdirSync(join(dir, 'node_modules/@autoarr-llm'), { recursive: true });
  symlinkSync(join(root, 'core'), join(dir, 'node_modules/@autoarr-llm/core'), 'dir');
  symlinkSync(join(root, 'testkit'), join(dir, 'node_modules/@autoarr-llm/testkit'), 'dir');
}

/** Source of a fixture plugin entry: a MockProvider named `provider`, configured by its settings. */
export function mockPluginSource(provider: string, tier: 'free' | 'premium' = 'free', extra = ''): string {
  return `import { definePlugin, LicenseError } from '@autoarr-llm/core';
import { MockProvider } from '@autoarr-llm/testkit';
globalThis.__imported ??= [];
globalThis.__imported.push(${JSON.stringify(provider)});
${extra}
export default definePlugin({
  name: ${JSON.stringify(provider)},
  apiVersion: 1,
  tier: ${JSON.stringify(tier)},
  env: { ${provider.toUpperCase()}_AVAILABLE: 'available' },
  configSchema: { '~standard': { version: 1, vendor: 'fixture', validate: (v) => {
    const value = { ...(v ?? {}) };
    if (typeof value.available === 'string') {
      if (!['true', 'false'].includes(value.available)) return { issues: [{ message: 'expected true or false', path: ['available'] }] };
      value.available = value.available === 'true';
    }
    return { value };
  } } },
  create(settings) {
    if (settings.license === 'invalid') throw new LicenseError('expired', 'license expired on 2026-01-01');
    return new MockProvider({ name: ${JSON.stringify(provider)}, available: settings.available !== false, script: settings.script ?? [], defaultResponse: 'answer from ${provider}' });
  },
});
`;
}
