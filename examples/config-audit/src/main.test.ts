import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallLogReader } from '@autoarr-llm/call-log';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startAnthropicStandIn, startOllamaStandIn, closedPort } from '@autoarr-llm/testkit';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const answer = { recommendations: [{ setting: 'host.authenticationMethod', severity: 'high', issue: 'No authentication', suggestedValue: 'forms' }] };


// The app has @autoarr-llm/call-log installed, so it logs its calls: to a file of this run's own.
const logPath = join(mkdtempSync(join(tmpdir(), 'config-audit-log-')), 'logs.db');

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (/^(LLM_|OLLAMA_|CLAUDE_|ANTHROPIC_|AUTOARR_LLM_)/.test(k)) delete base[k];
  return { ...base, AUTOARR_LLM_LOG_PATH: logPath, ...extra };
}

describe('config-audit as a user runs it (built JS, real plugins, stand-in servers)', () => {
  it('audits through the chain: Ollama is down, Claude answers', async () => {
    const claude = await startAnthropicStandIn();
    try {
      claude.arrange({ type: 'text', chunks: [JSON.stringify(answer)] });
      const { stdout, stderr } = await run('node', ['dist/main.js', 'src/samples/sonarr.json', 'sonarr'], {
        cwd: root,
        env: env({ OLLAMA_URL: `http://127.0.0.1:${await closedPort()}`, CLAUDE_API_KEY: 'sk-ant-example-0000000000', CLAUDE_BASE_URL: claude.url }),
      });
      expect(stderr).toContain('Using LLM provider: claude');
      expect(JSON.parse(stdout)).toEqual(answer.recommendations);
      const sent = claude.lastMessagesRequest()!;
      expect(JSON.stringify(sent.body)).toContain('UNTRUSTED CONFIGURATION');
      // The call is on record: which plugin served it, its attempts, its tags.
      const reader = CallLogReader.open(logPath);
      try {
        const [call] = reader.list({ tags: { feature: 'config-audit' }, provider: 'claude' }, 1);
        expect(call).toMatchObject({ outcome: 'success', pluginPackage: '@autoarr-llm/provider-claude', tags: { feature: 'config-audit', app: 'sonarr' } });
        expect(reader.get(call!.id)!.attemptList.map((a) => a.provider)).toEqual(['claude']);
        expect(JSON.stringify(reader.get(call!.id))).not.toContain('sk-ant-example-0000000000');
      } finally {
        reader.close();
      }
    } finally {
      await claude.close();
    }
  });

  it('audits with a local Ollama when it is up (the free default chain)', async () => {
    const ollama = await startOllamaStandIn({ loaded: ['qwen2.5:7b'] });
    try {
      ollama.arrange({ type: 'text', chunks: [JSON.stringify(answer)] });
      const { stdout, stderr } = await run('node', ['dist/main.js', 'src/samples/sonarr.json', 'sonarr'], { cwd: root, env: env({ OLLAMA_URL: ollama.url }) });
      expect(stderr).toContain('Using LLM provider: ollama');
      expect(JSON.parse(stdout)).toEqual(answer.recommendations);
      expect(ollama.lastChatBody()).toMatchObject({ format: { type: 'object' }, options: { temperature: 0.3, num_predict: 2000 } });
    } finally {
      await ollama.close();
    }
  });

  it('malformed JSON from Claude: one request, no fallback, the raw answer shown, exit 1', async () => {
    const claude = await startAnthropicStandIn();
    try {
      const broken = 'Here is the audit: {"recommendations": [{"setting": "host.authenticationMethod",}';
      claude.arrange({ type: 'text', chunks: [broken] });
      const err = (await run('node', ['dist/main.js', 'src/samples/sonarr.json', 'sonarr'], {
        cwd: root,
        env: env({ OLLAMA_URL: `http://127.0.0.1:${await closedPort()}`, CLAUDE_API_KEY: 'sk-ant-example-0000000000', CLAUDE_BASE_URL: claude.url }),
      }).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(err.code).toBe(1);
      expect(err.stderr).toContain('[AUDIT_RESPONSE_INVALID] claude did not answer with JSON');
      expect(err.stderr).toContain(broken);
      expect(err.stderr).not.toContain('NO_PROVIDER_AVAILABLE');
      expect(claude.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages')).toHaveLength(1);
    } finally {
      await claude.close();
    }
  });

  it('says why no provider could serve, with exit code 4', async () => {
    const err = (await run('node', ['dist/main.js', 'src/samples/sonarr.json'], { cwd: root, env: env({ OLLAMA_URL: `http://127.0.0.1:${await closedPort()}` }) }).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(4);
    expect(err.stderr).toMatch(/ollama: .*cannot reach the Ollama daemon/);
    expect(err.stderr).toMatch(/claude: .*CLAUDE_API_KEY/);
  });
});
