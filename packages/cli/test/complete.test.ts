import { startAnthropicStandIn, startOllamaStandIn, type AnthropicStandIn, type OllamaStandIn } from '@autoarr-llm/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_KEY, closedPort, createTempApp, keySentWith, killStragglers, runCli, runCliJson, startCli, type TempApp } from './cli-harness.js';

let ollama: OllamaStandIn;
/** An Ollama that is up (so the chain picks it) but fails every chat: its own instance, so its queue of failures never reaches other tests. */
let failing: OllamaStandIn;
let claude: AnthropicStandIn;
let app: TempApp;

beforeAll(async () => {
  [ollama, failing, claude] = await Promise.all([startOllamaStandIn({ loaded: ['qwen2.5:7b'] }), startOllamaStandIn({ loaded: ['qwen2.5:7b'] }), startAnthropicStandIn()]);
  // Enough for any number of retries inside the provider pipeline.
  failing.arrange(...Array.from({ length: 100 }, () => ({ type: 'error' as const, error: 'server' as const })));
  // YAML this time: the CLI reads config files exactly as an application would.
  app = createTempApp({ 'autoarr-llm.config.yaml': 'fallback:\n  order: [ollama, claude]\nproviders:\n  claude:\n    model: claude-haiku-5-5\n' });
});
afterEach(killStragglers);
afterAll(async () => {
  await Promise.all([ollama?.close(), failing?.close(), claude?.close()]);
  app?.remove();
});

const env = () => ({ OLLAMA_URL: ollama.url, CLAUDE_BASE_URL: claude.url, CLAUDE_API_KEY: CANARY_KEY });

describe('autoarr-llm complete / chat', () => {
  it('streams the answer to stdout as it arrives', async () => {
    ollama.arrange({ type: 'text', chunks: ['one ', 'two ', 'three'], delayMs: 400 });
    const run = startCli(['complete', 'count to three'], { cwd: app.dir, env: env() });
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('one two three\n');
    // Streamed, not printed at the end: the first words arrived well before the last.
    const firstText = run.stdoutTimes[0] ?? Infinity;
    expect(run.stdoutTimes.length).toBeGreaterThanOrEqual(3);
    expect((run.stdoutTimes.at(-1) ?? 0) - firstText).toBeGreaterThan(600);
    expect(ollama.lastRequest()).toMatchObject({ stream: true, messages: [{ role: 'user', text: 'count to three' }] });
    // Who answered is only mentioned when it is not the first choice: stdout stays the bare answer.
    expect(r.stderr).toBe('');
  });

  it('falls back to claude when ollama fails, and says so on stderr', async () => {
    claude.arrange({ type: 'text', chunks: ['Claude ', 'here.'] });
    const chatsBefore = failing.requests.filter((q) => q.path === '/api/chat').length;
    const r = await runCli(['chat', 'who are you?'], { cwd: app.dir, env: { ...env(), OLLAMA_URL: failing.url } });
    expect(r.code, r.stderr).toBe(0);
    // Ollama was really tried first and failed.
    expect(failing.requests.filter((q) => q.path === '/api/chat').length).toBeGreaterThan(chatsBefore);
    expect(r.stdout).toBe('Claude here.\n');
    expect(r.stderr).toContain('(answered by claude, model claude-haiku-5-5)');
    expect(keySentWith(claude.lastMessagesRequest()?.headers)).toBe(CANARY_KEY);
    expect(claude.lastRequest()).toMatchObject({ model: 'claude-haiku-5-5', messages: [{ role: 'user', text: 'who are you?' }] });
  });

  it('the first choice skipped as unreachable: who answered is still said on stderr', async () => {
    claude.arrange({ type: 'text', chunks: ['From ', 'Claude.'] });
    const down = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(['complete', 'hello'], { cwd: app.dir, env: { ...env(), OLLAMA_URL: down } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('From Claude.\n');
    expect(r.stderr).toContain('(answered by claude, model claude-haiku-5-5)');
  });

  it('--json: the final response as one object, naming the provider that answered', async () => {
    claude.arrange({ type: 'text', chunks: ['{"ok":', 'true}'] });
    const r = await runCliJson(['complete', 'json please'], { cwd: app.dir, env: { ...env(), OLLAMA_URL: failing.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ content: '{"ok":true}', provider: 'claude', model: 'claude-haiku-5-5' });
  });

  it('"-" reads the prompt from stdin; --system, --model, --temperature and --max-tokens reach the backend', async () => {
    const r = await runCli(['complete', '-', '--system', 'Be brief.', '--model', 'qwen2.5:7b', '--temperature', '0.2', '--max-tokens', '64'], {
      cwd: app.dir,
      env: env(),
      stdin: 'Summarise this:\nline one\nline two\n',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(ollama.lastRequest()).toMatchObject({
      model: 'qwen2.5:7b',
      system: 'Be brief.',
      temperature: 0.2,
      maxTokens: 64,
      messages: [{ role: 'user', text: 'Summarise this:\nline one\nline two' }],
    });
  });

  it('Ctrl-C cancels the request on the backend and exits 130', async () => {
    ollama.arrange({ type: 'stall', chunks: ['partial answer'] });
    const run = startCli(['complete', 'tell me a long story'], { cwd: app.dir, env: env() });
    await run.waitForStdout('partial answer');
    expect(ollama.inFlight()).toBe(1);
    run.child.kill('SIGINT');
    const r = await run.done;
    // Exit 130 (not death by signal) proves the handler ran; without it the stall would never end.
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cancelling');
    expect(r.stdout).toBe('partial answer\n');
    await expect.poll(() => ollama.inFlight()).toBe(0);
  });

  it('nothing available: exit 4 with every reason (and as JSON with --json)', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(['complete', 'hi'], { cwd: app.dir, env: { OLLAMA_URL: down, CLAUDE_BASE_URL: claude.url } });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error [NO_PROVIDER_AVAILABLE]');
    expect(r.stderr).toContain(`cannot reach the Ollama daemon at ${down}`);
    expect(r.stderr).toContain('CLAUDE_API_KEY');
    const j = await runCliJson(['complete', 'hi'], { cwd: app.dir, env: { OLLAMA_URL: down, CLAUDE_BASE_URL: claude.url } });
    expect(j.code).toBe(4);
    expect(j.json.error.code).toBe('NO_PROVIDER_AVAILABLE');
    expect(j.json.error.attempts.map((a: { provider: string }) => a.provider)).toEqual(['ollama', 'claude']);
  });

  it('--provider naming a provider that is not installed: exit 4 naming the package, no quiet fallback', async () => {
    const r = await runCli(['complete', '--provider', 'gemini', 'hi'], { cwd: app.dir, env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('@autoarr-llm/provider-gemini');
    expect(r.stdout).toBe('');
  });

  it('the provider refusing the request (model not found, fallback off): exit 5', async () => {
    const r = await runCli(['complete', '--model', 'no-such-model', 'hi'], {
      cwd: app.dir,
      env: { ...env(), LLM_FALLBACK_ENABLED: 'false', OLLAMA_AUTO_DOWNLOAD: 'false' },
    });
    expect(r.code, r.stderr).toBe(5);
    // The one provider's own error, not a "no provider available" wrapped around it.
    expect(r.stderr).toContain('error [MODEL_NOT_FOUND]');
    expect(r.stderr).toContain('ollama pull no-such-model');
  });
});
