import { startAnthropicStandIn, startOllamaStandIn, type AnthropicStandIn, type OllamaStandIn } from '@autoarr-llm/testkit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_KEY, createTempApp, killStragglers, runCli, runCliJson, type TempApp } from './cli-harness.js';

let ollama: OllamaStandIn;
let claude: AnthropicStandIn;
const apps: TempApp[] = [];

beforeAll(async () => {
  [ollama, claude] = await Promise.all([startOllamaStandIn(), startAnthropicStandIn()]);
});
afterEach(killStragglers);
afterAll(async () => {
  await Promise.all([ollama?.close(), claude?.close()]);
  for (const app of apps) app.remove();
});

function app(files: Record<string, string>): TempApp {
  const a = createTempApp(files);
  apps.push(a);
  return a;
}

const env = () => ({ OLLAMA_URL: ollama.url, CLAUDE_BASE_URL: claude.url, CLAUDE_API_KEY: CANARY_KEY });

describe('autoarr-llm config', () => {
  it('prints the effective configuration with each value\'s source; the API key is masked', async () => {
    const a = app({ 'autoarr-llm.config.yaml': 'provider: ollama\nproviders:\n  ollama:\n    model: llama3.2\n' });
    const file = `${a.dir}/autoarr-llm.config.yaml`;
    for (const args of [['config'], ['config', '--json']]) {
      const r = await runCli(args, { cwd: a.dir, env: { ...env(), LLM_FALLBACK_ORDER: 'ollama,claude' } });
      expect(r.code, r.stderr).toBe(0);
      const c = JSON.parse(r.stdout);
      expect(c.configFile).toBe(file);
      expect(c.core).toMatchObject({ provider: 'ollama', fallback: { enabled: true, order: ['ollama', 'claude'] } });
      expect(c.sources).toMatchObject({ provider: `file ${file}`, 'fallback.order': 'env LLM_FALLBACK_ORDER', 'fallback.enabled': 'default' });
      expect(c.providers.claude.settings.apiKey).toBe('[redacted]');
      expect(c.providers.claude.sources).toMatchObject({ apiKey: 'env CLAUDE_API_KEY', baseUrl: 'env CLAUDE_BASE_URL', model: 'default' });
      expect(c.providers.ollama.settings).toMatchObject({ model: 'llama3.2', baseUrl: ollama.url });
      expect(c.providers.ollama.sources).toMatchObject({ model: `file ${file}`, baseUrl: 'env OLLAMA_URL', timeout: 'default' });
      // (runCli fails the test if the key appears anywhere in stdout or stderr.)
    }
  });

  it('a key in the config file is masked too, and ANTHROPIC_API_KEY is named as its source when used', async () => {
    const a = app({ 'autoarr-llm.config.json': JSON.stringify({ providers: { claude: { apiKey: CANARY_KEY } } }) });
    const r = await runCliJson(['config'], { cwd: a.dir, env: { OLLAMA_URL: ollama.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.providers.claude.settings.apiKey).toBe('[redacted]');
    expect(r.json.providers.claude.sources.apiKey).toBe(`file ${a.dir}/autoarr-llm.config.json`);
    const viaEnv = await runCliJson(['config'], { cwd: a.dir, env: { ANTHROPIC_API_KEY: CANARY_KEY } });
    expect(viaEnv.json.providers.claude.sources.apiKey).toBe('env ANTHROPIC_API_KEY');
  });
});

describe('bad command lines: exit 2', () => {
  const a = () => app({});

  it('an unknown flag: the message and the usage on stderr', async () => {
    const r = await runCli(['doctor', '--frobnicate'], { cwd: a().dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("Unknown option '--frobnicate'");
    expect(r.stderr).toContain('Usage: autoarr-llm <command> [options]');
  });

  it('with --json: the error as JSON on stdout', async () => {
    const r = await runCliJson(['models', '--frobnicate'], { cwd: a().dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('USAGE');
    expect(r.json.error.message).toContain('--frobnicate');
  });

  it('an unknown command, no command, a missing argument, a bad number, a flag of another command', { timeout: 120_000 }, async () => {
    const dir = a().dir;
    const cases: Array<[string[], string]> = [
      [['frobnicate'], 'unknown command "frobnicate"'],
      [[], 'no command given'],
      [['complete'], 'complete needs a prompt'],
      [['pull'], 'pull needs a model'],
      [['complete', '--temperature', 'warm', 'hi'], '--temperature expects a number'],
      [['complete', '--max-tokens', '0', 'hi'], '--max-tokens expects a positive whole number'],
      [['models', '--model', 'x'], 'models does not take --model'],
      [['providers', 'extra'], 'providers: takes no arguments (got 1)'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { cwd: dir, env: env() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Usage: autoarr-llm');
    }
  });

  it('a value given to a flag (or a stray argument) is never echoed back', { timeout: 120_000 }, async () => {
    const dir = a().dir;
    const value = 'sk-ant-pasted-by-mistake-0123456789';
    for (const args of [
      ['complete', '--temperature', value, 'hi'],
      ['complete', '--max-tokens', value, 'hi'],
      ['complete', '--timeout', value, 'hi'],
      ['complete', '--provider', value, 'hi'],
      ['doctor', '--provider', value],
      ['providers', value],
      [value],
      ['doctor', '--cwd', value],
    ]) {
      for (const json of [false, true]) {
        const r = await runCli(json ? [...args, '--json'] : args, { cwd: dir, env: env() });
        expect(r.code, args.join(' ')).toBe(2);
        expect(`${r.stdout}${r.stderr}`, args.join(' ')).not.toContain('pasted-by-mistake');
      }
    }
  });

  it('--help prints the usage on stdout, exit 0', async () => {
    const r = await runCli(['--help'], { cwd: a().dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes:');
  });
});

describe('invalid configuration: exit 3', () => {
  it('an invalid config file names each bad key and the file, for every command', { timeout: 120_000 }, async () => {
    const a = app({ 'autoarr-llm.config.json': JSON.stringify({ fallbak: { enabled: false }, fallback: { enabled: 'perhaps' } }) });
    const file = `${a.dir}/autoarr-llm.config.json`;
    for (const args of [['doctor'], ['complete', 'hi'], ['models'], ['config']]) {
      const r = await runCli(args, { cwd: a.dir, env: env() });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain(`fallbak (from file ${file}): unknown setting`);
      expect(r.stderr).toContain(`fallback.enabled (from file ${file})`);
    }
    const j = await runCliJson(['doctor'], { cwd: a.dir, env: env() });
    expect(j.code).toBe(3);
    expect(j.json.error.code).toBe('CONFIG_INVALID');
    expect(j.json.error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'fallbak', source: `file ${file}` })]));
  });

  it('misspelled provider settings and unknown provider sections: one error lists them with core\'s, for every command', { timeout: 120_000 }, async () => {
    const a = app({
      'autoarr-llm.config.yaml': 'fallbak: {}\nproviders:\n  ollama:\n    baseURL: http://127.0.0.1:1\n    modle: qwen\n  claude:\n    max_tokens: 10\n  olama:\n    model: x\n',
    });
    const file = `${a.dir}/autoarr-llm.config.yaml`;
    for (const args of [['config'], ['complete', 'hi'], ['doctor']]) {
      const j = await runCliJson([...args], { cwd: a.dir, env: { ...env(), OLLAMA_TIMEOUT: '3000000' } });
      expect(j.code, args.join(' ')).toBe(3);
      expect(j.json.error.code).toBe('CONFIG_INVALID');
      expect(j.json.error.issues).toEqual(
        expect.arrayContaining([
          { key: 'fallbak', source: `file ${file}`, message: 'unknown setting: did you mean "fallback"?' },
          { key: 'providers.ollama.baseURL', source: `file ${file}`, message: 'unknown setting: did you mean "baseUrl"?' },
          { key: 'providers.ollama.modle', source: `file ${file}`, message: 'unknown setting: did you mean "model"?' },
          expect.objectContaining({ key: 'providers.ollama.timeout', source: 'env OLLAMA_TIMEOUT', message: expect.stringMatching(/at most/) }),
          { key: 'providers.claude.max_tokens', source: `file ${file}`, message: 'unknown setting: did you mean "maxTokens"?' },
          expect.objectContaining({ key: 'providers.olama', message: expect.stringMatching(/did you mean "ollama"/) }),
        ]),
      );
      expect(j.json.error.issues).toHaveLength(6);
    }
  });

  it('a parse error never prints the file\'s lines (the key on them), in text or JSON', async () => {
    const a = app({ 'autoarr-llm.config.yaml': `providers:\n  claude:\n    apiKey: ${CANARY_KEY}\n    model: [unclosed\n` });
    for (const args of [['config'], ['config', '--json']]) {
      const r = await runCli(args, { cwd: a.dir, env: env() });
      expect(r.code).toBe(3);
      expect(`${r.stdout}${r.stderr}`).toMatch(/not valid YAML: .* at line \d+, column \d+/);
    }
  });

  it('a YAML file that does not parse names the file', async () => {
    const a = app({ 'autoarr-llm.config.yaml': 'fallback: [unclosed\n' });
    const r = await runCli(['doctor'], { cwd: a.dir, env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${a.dir}/autoarr-llm.config.yaml`);
  });

  it('--config naming a file that does not exist', async () => {
    const a = app({});
    const r = await runCliJson(['config', '--config', 'missing.json'], { cwd: a.dir, env: env() });
    expect(r.code).toBe(3);
    expect(r.json.error.message).toContain(`${a.dir}/missing.json`);
  });

  it('a relative --config is read from the shell\'s folder, not --cwd; the app root stays the app, so its plugins are found', async () => {
    const a = app({});
    // The shell's folder is no package: only the config file lives there.
    const shell = mkdtempSync(join(tmpdir(), 'autoarr-llm-shell-'));
    try {
      writeFileSync(join(shell, 'llm.json'), JSON.stringify({ provider: 'claude' }));
      const r = await runCliJson(['config', '--cwd', a.dir, '--config', 'llm.json'], { cwd: shell, env: env() });
      expect(r.code, JSON.stringify(r.json)).toBe(0);
      expect(r.json.configFile).toBe(`${shell}/llm.json`);
      expect(r.json.sources.provider).toBe(`file ${shell}/llm.json`);
      expect(r.json.appRoot).toBe(a.dir);
      expect(Object.keys(r.json.providers).sort()).toEqual(['claude', 'ollama']);
    } finally {
      rmSync(shell, { recursive: true, force: true });
    }
  });

  it('OLLAMA_TIMEOUT=abc names the variable, for every command', { timeout: 120_000 }, async () => {
    const a = app({});
    for (const args of [['doctor'], ['complete', 'hi'], ['models'], ['providers'], ['config'], ['pull', 'llama3.2']]) {
      const r = await runCli(args, { cwd: a.dir, env: { ...env(), OLLAMA_TIMEOUT: 'abc' } });
      expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(3);
      expect(`${r.stdout}${r.stderr}`).toContain('providers.ollama.timeout (from env OLLAMA_TIMEOUT)');
    }
    const j = await runCliJson(['complete', 'hi'], { cwd: a.dir, env: { ...env(), OLLAMA_TIMEOUT: 'abc' } });
    expect(j.code).toBe(3);
    expect(j.json.error.issues).toEqual([expect.objectContaining({ key: 'providers.ollama.timeout', source: 'env OLLAMA_TIMEOUT' })]);
  });
});
