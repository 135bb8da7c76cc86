import { afterEach, describe, expect, it } from 'vitest';
import { discoverPlugins } from './discover-plugins.js';
import { pluginFiles, tempApp } from '../test-support/temp-app.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function app(files: Record<string, string | object>) {
  const a = tempApp(files);
  cleanups.push(a.cleanup);
  return a.dir;
}
const byPackage = (records: ReturnType<typeof discoverPlugins>) => Object.fromEntries(records.map((r) => [r.package, r]));

describe('discoverPlugins', () => {
  it('finds official, third-party and allowlisted-scope plugins among the app dependencies, importing nothing', () => {
    const dir = app({
      'package.json': {
        name: 'app',
        dependencies: { '@autoarr-llm/provider-ollama': '1', 'autoarr-llm-provider-openai': '1', '@acme/autoarr-llm-provider-acme': '1', '@autoarr-premium/provider-custom': '1', lodash: '4' },
      },
      ...pluginFiles('@autoarr-llm/provider-ollama', { provider: 'ollama' }),
      ...pluginFiles('autoarr-llm-provider-openai', { provider: 'openai' }),
      ...pluginFiles('@acme/autoarr-llm-provider-acme', { provider: 'acme' }),
      ...pluginFiles('@autoarr-premium/provider-custom', { provider: 'custom', tier: 'premium' }),
      'node_modules/lodash/package.json': { name: 'lodash', version: '4.0.0' },
    });
    const records = byPackage(discoverPlugins({ appRoot: dir, allowScopes: ['@autoarr-premium'] }));
    expect(Object.keys(records).sort()).toEqual(['@acme/autoarr-llm-provider-acme', '@autoarr-llm/provider-ollama', '@autoarr-premium/provider-custom', 'autoarr-llm-provider-openai']);
    expect(records['@autoarr-llm/provider-ollama']).toMatchObject({ status: 'discovered', provider: 'ollama', source: 'dependency', version: '1.0.0' });
    expect(records['@autoarr-premium/provider-custom']).toMatchObject({ status: 'discovered', provider: 'custom', tier: 'premium', source: 'scope' });
  });

  it('a private scope that is not allowlisted is reported as ignored, with the fix', () => {
    const dir = app({
      'package.json': { name: 'app', dependencies: { '@autoarr-premium/provider-custom': '1' } },
      ...pluginFiles('@autoarr-premium/provider-custom', { provider: 'custom', tier: 'premium' }),
    });
    const [record] = discoverPlugins({ appRoot: dir });
    expect(record).toMatchObject({ status: 'ignored', package: '@autoarr-premium/provider-custom' });
    expect(record!.reason).toMatch(/allowScopes/);
  });

  it('reports not-installed, bad manifests, wrong apiVersion and entries outside the package — and keeps going', () => {
    const dir = app({
      'package.json': { name: 'app', dependencies: { '@autoarr-llm/provider-gone': '1', '@autoarr-llm/provider-bad': '1', '@autoarr-llm/provider-future': '1', '@autoarr-llm/provider-escape': '1', '@autoarr-llm/provider-ok': '1' } },
      ...pluginFiles('@autoarr-llm/provider-bad', { provider: 'bad', manifest: { apiVersion: 1, provider: 'Bad Name!' } }),
      ...pluginFiles('@autoarr-llm/provider-future', { provider: 'future', apiVersion: 2 }),
      ...pluginFiles('@autoarr-llm/provider-escape', { provider: 'escape', manifest: { apiVersion: 1, provider: 'escape', entry: './../../../etc/passwd' } }),
      ...pluginFiles('@autoarr-llm/provider-ok', { provider: 'ok' }),
    });
    const records = byPackage(discoverPlugins({ appRoot: dir, plugins: ['autoarr-llm-provider-missing'] }));
    expect(records['@autoarr-llm/provider-gone']).toMatchObject({ status: 'not-installed' });
    expect(records['autoarr-llm-provider-missing']).toMatchObject({ status: 'not-installed', source: 'config' });
    expect(records['autoarr-llm-provider-missing']!.reason).toMatch(/npm install autoarr-llm-provider-missing/);
    expect(records['@autoarr-llm/provider-bad']).toMatchObject({ status: 'failed' });
    expect(records['@autoarr-llm/provider-bad']!.reason).toMatch(/provider/);
    expect(records['@autoarr-llm/provider-future']).toMatchObject({ status: 'failed', provider: 'future' });
    expect(records['@autoarr-llm/provider-future']!.reason).toMatch(/API v2.*supports v1/);
    expect(records['@autoarr-llm/provider-escape']).toMatchObject({ status: 'failed' });
    expect(records['@autoarr-llm/provider-ok']).toMatchObject({ status: 'discovered' });
  });

  it('warns when the core peer range does not match', () => {
    const dir = app({
      'package.json': { name: 'app', dependencies: { '@autoarr-llm/provider-old': '1' } },
      ...pluginFiles('@autoarr-llm/provider-old', { provider: 'old', coreRange: '^9.0.0' }),
    });
    const [record] = discoverPlugins({ appRoot: dir });
    expect(record!.status).toBe('discovered');
    expect(record!.warnings.join()).toMatch(/expects @autoarr-llm\/core@\^9\.0\.0/);
  });

  it('settles two packages claiming one provider: config-listed > official > scope > third-party, then alphabetical', () => {
    const dir = app({
      'package.json': { name: 'app', dependencies: { '@autoarr-llm/provider-ollama': '1', 'autoarr-llm-provider-ollama2': '1', 'autoarr-llm-provider-aaa': '1', 'autoarr-llm-provider-bbb': '1' } },
      ...pluginFiles('@autoarr-llm/provider-ollama', { provider: 'ollama' }),
      ...pluginFiles('autoarr-llm-provider-ollama2', { provider: 'ollama' }),
      ...pluginFiles('autoarr-llm-provider-bbb', { provider: 'dup' }),
      ...pluginFiles('autoarr-llm-provider-aaa', { provider: 'dup' }),
    });
    const records = byPackage(discoverPlugins({ appRoot: dir }));
    expect(records['@autoarr-llm/provider-ollama']!.status).toBe('discovered');
    expect(records['autoarr-llm-provider-ollama2']!.status).toBe('duplicate');
    expect(records['autoarr-llm-provider-ollama2']!.reason).toMatch(/served by @autoarr-llm\/provider-ollama/);
    expect(records['autoarr-llm-provider-aaa']!.status).toBe('discovered');
    expect(records['autoarr-llm-provider-bbb']!.status).toBe('duplicate');

    const listed = byPackage(discoverPlugins({ appRoot: dir, plugins: ['autoarr-llm-provider-ollama2'] }));
    expect(listed['autoarr-llm-provider-ollama2']!.status).toBe('discovered');
    expect(listed['@autoarr-llm/provider-ollama']!.status).toBe('duplicate');
  });

  it('resolves from the app, walking up node_modules folders (hoisted installs)', () => {
    const dir = app({
      'package.json': { name: 'root' },
      'apps/web/package.json': { name: 'web', dependencies: { '@autoarr-llm/provider-ollama': '1' } },
      ...pluginFiles('@autoarr-llm/provider-ollama', { provider: 'ollama' }),
    });
    const [record] = discoverPlugins({ appRoot: `${dir}/apps/web` });
    expect(record).toMatchObject({ status: 'discovered', provider: 'ollama' });
  });
});
