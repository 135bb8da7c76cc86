import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { closedPort } from '@autoarr-llm/testkit';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));


function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (/^(LLM_|OLLAMA_|CLAUDE_|ANTHROPIC_|CUSTOM_|AUTOARR_)/.test(k)) delete base[k];
  return { ...base, ...extra };
}

describe('premium build (this folder, as configured)', () => {
  it('allowlists the private scope: the premium plugin is found; without a license the chain doctor prints is the free one after it', async () => {
    const { stdout } = await run('node', [cli, 'doctor', '--json'], { cwd: root, env: env({ CLAUDE_API_KEY: '', OLLAMA_URL: `http://127.0.0.1:${await closedPort()}` }) }).catch(
      (e: { stdout: string }) => e,
    );
    const report = JSON.parse(stdout) as { plugins: Array<{ package: string; status: string; tier?: string }>; chain: { order: string[]; reason: string } };
    expect(report.plugins.find((p) => p.package === '@autoarr-premium/provider-custom')).toMatchObject({ tier: 'premium' });
    // No license here: custom is tried and skipped, then the free chain in its own order (local first).
    expect(report.chain.order).toEqual(['custom', 'ollama', 'claude']);
    expect(report.chain.reason).toMatch(/premium plugin installed but custom unlicensed/);
  });

  it('without a license the custom provider is refused with the reason and the free chain follows', async () => {
    const err = (await run('node', ['dist/main.js', 'hello'], { cwd: root, env: env({ OLLAMA_URL: `http://127.0.0.1:${await closedPort()}` }) }).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(4);
    expect(err.stderr).toMatch(/custom: .*licen[cs]e/i);
    expect(err.stderr).toMatch(/claude: /);
    expect(err.stderr).toMatch(/ollama: /);
  });
});
