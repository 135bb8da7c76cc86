import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { ConfigValidationError } from '../errors/config-validation-error.js';
import { tempApp } from '../test-support/temp-app.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function app(files: Record<string, string | object>) {
  const a = tempApp(files);
  cleanups.push(a.cleanup);
  return a.dir;
}

describe('loadConfig', () => {
  it('defaults with no file and no env', async () => {
    const dir = app({ 'package.json': { name: 'app' } });
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.values).toMatchObject({ fallback: { enabled: true }, plugins: [], allowScopes: [], providers: {} });
    expect(config.values.provider).toBeUndefined();
    expect(config.appRoot).toBe(dir);
  });

  it.each([
    ['autoarr-llm.config.json', JSON.stringify({ provider: 'claude' })],
    ['autoarr-llm.config.yaml', 'provider: claude\n'],
    ['.autoarr-llmrc', '{"provider":"claude"}'],
    ['autoarr-llm.config.mjs', 'export default { provider: "claude" };'],
  ])('reads %s', async (file, content) => {
    const dir = app({ 'package.json': { name: 'app' }, [file]: content });
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.values.provider).toBe('claude');
    expect(config.configFile).toBe(`${dir}/${file}`);
  });

  it('reads package.json#autoarr-llm', async () => {
    const dir = app({ 'package.json': { name: 'app', 'autoarr-llm': { provider: 'ollama', allowScopes: ['@autoarr-premium'] } } });
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.values.provider).toBe('ollama');
    expect(config.values.allowScopes).toEqual(['@autoarr-premium']);
  });

  it('precedence: options > env > file > defaults, each value remembering its source', async () => {
    const dir = app({
      'package.json': { name: 'app' },
      'autoarr-llm.config.json': { provider: 'ollama', fallback: { enabled: true, order: ['ollama', 'claude'] } },
    });
    const config = await loadConfig({ cwd: dir, env: { LLM_PROVIDER: 'claude', LLM_FALLBACK_ENABLED: 'false' }, overrides: { fallback: { order: ['custom'] } } });
    expect(config.values.provider).toBe('claude');
    expect(config.values.fallback).toEqual({ enabled: false, order: ['custom'] });
    expect(config.sources.get('provider')).toBe('env LLM_PROVIDER');
    expect(config.sources.get('fallback.enabled')).toBe('env LLM_FALLBACK_ENABLED');
    expect(config.sources.get('fallback.order')).toBe('options');
  });

  it('parses LLM_FALLBACK_ORDER as a comma-separated list', async () => {
    const dir = app({ 'package.json': { name: 'app' } });
    const config = await loadConfig({ cwd: dir, env: { LLM_FALLBACK_ORDER: ' claude, ollama ,' } });
    expect(config.values.fallback.order).toEqual(['claude', 'ollama']);
  });

  it('an invalid config fails once, listing every bad key with its source and the expected form', async () => {
    const dir = app({ 'package.json': { name: 'app' }, 'autoarr-llm.config.json': { allowScopes: ['not-a-scope'], plugins: [42], fallbak: {} } });
    const err = await loadConfig({ cwd: dir, env: { LLM_FALLBACK_ENABLED: 'maybe' } }).catch((e: unknown) => e);
    expect(ConfigValidationError.isInstance(err)).toBe(true);
    const issues = (err as ConfigValidationError).issues;
    const file = `file ${dir}/autoarr-llm.config.json`;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'fallback.enabled', source: 'env LLM_FALLBACK_ENABLED', message: expect.stringMatching(/true or false/) }),
        expect.objectContaining({ key: 'allowScopes.0', source: file, message: expect.stringMatching(/npm scope/) }),
        expect.objectContaining({ key: 'plugins.0', source: file }),
        expect.objectContaining({ key: 'fallbak', source: file, message: expect.stringMatching(/unknown setting/) }),
      ]),
    );
    expect((err as Error).message).toContain('fallback.enabled (from env LLM_FALLBACK_ENABLED)');
  });

  it('a config file that cannot be parsed is a ConfigValidationError naming the file', async () => {
    const dir = app({ 'package.json': { name: 'app' }, 'autoarr-llm.config.json': '{ nope' });
    const err = await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(ConfigValidationError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain('autoarr-llm.config.json');
  });

  it('a config file that does not exist says so, naming it', async () => {
    const dir = app({ 'package.json': { name: 'app' } });
    const err = (await loadConfig({ cwd: dir, env: {}, configFile: 'missing.json' }).catch((e: unknown) => e)) as ConfigValidationError;
    expect(err.issues).toEqual([{ key: '(file)', source: `file ${dir}/missing.json`, message: 'cannot be read (ENOENT)' }]);
  });

  it('AUTOARR_LLM_CONFIG names the file explicitly', async () => {
    const dir = app({ 'package.json': { name: 'app' }, 'conf/llm.yaml': 'provider: claude\n' });
    const config = await loadConfig({ cwd: dir, env: { AUTOARR_LLM_CONFIG: 'conf/llm.yaml' } });
    expect(config.values.provider).toBe('claude');
  });

  it('the app root is the package holding the config file; for a file outside any package, the package of cwd', async () => {
    const dir = app({ 'package.json': { name: 'app' }, 'config/llm.json': { provider: 'claude' } });
    expect((await loadConfig({ cwd: dir, env: {}, configFile: 'config/llm.json' })).appRoot).toBe(dir);
    const elsewhere = app({ 'llm.json': { provider: 'claude' } });
    const config = await loadConfig({ cwd: dir, env: {}, configFile: `${elsewhere}/llm.json` });
    expect(config.configFile).toBe(`${elsewhere}/llm.json`);
    expect(config.values.provider).toBe('claude');
    expect(config.appRoot).toBe(dir);
  });

  it('does not read a parent project\'s config', async () => {
    const dir = app({ 'package.json': { name: 'outer' }, 'autoarr-llm.config.json': { provider: 'claude' }, 'inner/package.json': { name: 'inner' } });
    const config = await loadConfig({ cwd: `${dir}/inner`, env: {} });
    expect(config.values.provider).toBeUndefined();
    expect(config.appRoot).toBe(`${dir}/inner`);
  });
});
