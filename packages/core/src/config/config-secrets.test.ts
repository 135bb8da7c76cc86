import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { resolveProviderSettings } from './resolve-provider-settings.js';
import { ConfigValidationError } from '../errors/config-validation-error.js';
import { definePlugin } from '../plugin/define-plugin.js';
import { secretString } from './env-schemas.js';
import { z } from 'zod';
import { tempApp } from '../test-support/temp-app.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function app(files: Record<string, string | object>) {
  const a = tempApp({ 'package.json': { name: 'app' }, ...files });
  cleanups.push(a.cleanup);
  return a.dir;
}
const KEY = 'sk-ant-file-secret-0123456789';
const ENV_KEY = 'sk-ant-env-secret-9876543210';

async function failure(promise: Promise<unknown>): Promise<ConfigValidationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(ConfigValidationError.isInstance(error)).toBe(true);
  return error as ConfigValidationError;
}

describe('secrets in configuration', () => {
  it('the loaded config holds every secret, from the file, the options and the environment, masked', async () => {
    const dir = app({ 'autoarr-llm.config.json': { providers: { claude: { apiKey: KEY } } } });
    const config = await loadConfig({ cwd: dir, env: { CLAUDE_API_KEY: ENV_KEY, AUTOARR_LICENSE: 'license-token-abcdef', OLLAMA_URL: 'http://127.0.0.1:1' }, overrides: { providers: { custom: { license: 'license-in-code-123456' } } } });
    const printed = [JSON.stringify(config), inspect(config, { depth: 20 }), JSON.stringify(config.layers), inspect(config.env), JSON.stringify(config.values)].join('\n');
    for (const secret of [KEY, ENV_KEY, 'license-token-abcdef', 'license-in-code-123456']) expect(printed).not.toContain(secret);
    expect(config.env['OLLAMA_URL']).toBe('http://127.0.0.1:1');
    // The plugin still gets the real key, through its schema (the environment wins over the file).
    const plugin = definePlugin({ name: 'claude', apiVersion: 1, env: { CLAUDE_API_KEY: 'apiKey' }, configSchema: z.object({ apiKey: secretString().optional() }), create: () => { throw new Error('unused'); } });
    expect((await resolveProviderSettings(config, plugin)).apiKey?.reveal()).toBe(ENV_KEY);
    const fromFile = await resolveProviderSettings(await loadConfig({ cwd: dir, env: {} }), plugin);
    expect(fromFile.apiKey?.reveal()).toBe(KEY);
  });

  it.each([
    ['autoarr-llm.config.yaml', `providers:\n  claude:\n    apiKey: ${KEY}\n    model: [unclosed\n`],
    ['autoarr-llm.config.json', `{ "providers": { "claude": { "apiKey": "${KEY}" nope } } }`],
    ['.autoarr-llmrc', `{ "providers": { "claude": { "apiKey": "${KEY}", } `],
  ])('a parse error in %s never echoes the file\'s lines', async (file, text) => {
    const dir = app({ [file]: text });
    const error = await failure(loadConfig({ cwd: dir, env: {} }));
    const everything = [error.message, JSON.stringify(error.toJSON()), inspect(error, { depth: 10 }), String(error.stack)].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('sk-ant');
    expect(error.issues[0]).toMatchObject({ key: '(file)', source: `file ${dir}/${file}` });
    expect(error.issues[0]!.message).toMatch(/not valid (YAML|JSON)/);
  });

  it('a URL with user:password@ is refused, wherever it comes from, without printing it', async () => {
    const dir = app({ 'autoarr-llm.config.json': { providers: { ollama: { baseUrl: 'http://admin:hunter2-pass@127.0.0.1:11434' } } } });
    const fromFile = await failure(loadConfig({ cwd: dir, env: {} }));
    expect(fromFile.issues).toEqual([expect.objectContaining({ key: 'providers.ollama.baseUrl', message: expect.stringMatching(/credentials/) })]);
    expect(fromFile.message).not.toContain('hunter2');
    const plugin = definePlugin({ name: 'ollama', apiVersion: 1, env: { OLLAMA_URL: 'baseUrl' }, configSchema: z.object({ baseUrl: z.url().optional() }), create: () => { throw new Error('unused'); } });
    const fromEnv = await failure(loadConfig({ cwd: app({}), env: { OLLAMA_URL: 'https://u:hunter2-pass@host.example' } }).then((c) => resolveProviderSettings(c, plugin)));
    expect(fromEnv.issues).toEqual([expect.objectContaining({ key: 'providers.ollama.baseUrl', source: 'env OLLAMA_URL', message: expect.stringMatching(/credentials/) })]);
    expect(fromEnv.message).not.toContain('hunter2');
  });
});
