import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from "node:path";
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

/**
 * An app with `count` installed provider plugins. Each plugin's entry spends `importCostMs` of CPU
 * when imported, standing in for an SDK that is slow to load.
 */
export function fixtureApp(count: number, importCostMs: number): string {
  const dir = mkdtempSync(join(tmpdir(), `autoarr-llm-bench-${count}-`));
  const deps: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const name = `autoarr-llm-provider-bench${i}`;
    deps[name] = '1.0.0';
    const pkgDir = join(dir, 'node_modules', name);
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(
      join(pkgDir, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', type: 'module', 'autoarr-llm-plugin': { apiVersion: 1, provider: `bench${i}`, entry: './plugin.js' }, peerDependencies: { '@autoarr-llm/core': '*' } }),
    );
    writeFileSync(
      join(pkgDir, 'plugin.js'),
      `import { definePlugin } from '@autoarr-llm/core';
import { MockProvider } from '@autoarr-llm/testkit';
const until = performance.now() + ${importCostMs};
while (performance.now() < until) {}
export default definePlugin({ name: 'bench${i}', apiVersion: 1,
  configSchema: { '~standard': { version: 1, vendor: 'bench', validate: (value) => ({ value }) } },
  create: () => new MockProvider({ name: 'bench${i}' }) });
`,
    );
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-app', private: true, type: 'module', dependencies: deps }));
  writeFileSync(join(dir, 'autoarr-llm.config.json'), JSON.stringify({ fallback: { order: ['bench0'] } }));
  mkdirSync(join(dir, 'node_modules/@autoarr-llm'), { recursive: true });
  for (const pkg of ['core', 'testkit']) symlinkSync(join(packagesDir, pkg), join(dir, 'node_modules/@autoarr-llm', pkg), 'dir');
  return dir;
}

