import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

let cwd: string;
let out: string[];
let err: string[];
const io = () => ({ cwd, out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) });

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'create-provider-cli-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('runCli', () => {
  it('creates the package and tells what to do next', () => {
    expect(runCli(['my-backend', '--scope', '@acme'], io())).toBe(0);
    expect(out[0]).toBe('Created @acme/autoarr-llm-provider-my-backend in autoarr-llm-provider-my-backend (21 files).');
    expect(out.join('\n')).toMatch(/cd autoarr-llm-provider-my-backend\n {2}npm install\n {2}npm run build && npm test/);
    expect(err).toEqual([]);
  });

  it('an invalid name: exit 1, a clear reason and the usage, nothing written', () => {
    expect(runCli(['My_Backend'], io())).toBe(1);
    expect(err[0]).toBe('create-provider: Invalid provider name "My_Backend": a provider name is lower-case letters, digits and single dashes, starting with a letter (e.g. "my-backend", "llamafile2").');
    expect(err.join('\n')).toContain('Usage: create-provider <name>');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('no name: exit 1; --help: the usage and exit 0', () => {
    expect(runCli([], io())).toBe(1);
    expect(err[0]).toBe('create-provider: Give the provider name.');
    expect(runCli(['--help'], io())).toBe(0);
    expect(out[0]).toMatch(/^Usage: create-provider <name> \[--dir <path>\] \[--scope <@scope>\]/);
  });

  it('warns when the name is an official provider, and still creates it', () => {
    expect(runCli(['ollama'], io())).toBe(0);
    expect(err[0]).toMatch(/"ollama" is also an official provider/);
  });
});

describe('the built bin', () => {
  it('runs as a command: exit code 1 and the reason on stderr for a bad name; 0 and the package for a good one', async () => {
    expect(existsSync(bin), 'build first: pnpm exec tsc -b packages/create-provider').toBe(true);
    const bad = await run('node', [bin, 'Nope!'], { cwd }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Invalid provider name "Nope!"/);
    const good = await run('node', [bin, 'echo-backend'], { cwd });
    expect(good.stdout).toMatch(/^Created autoarr-llm-provider-echo-backend/);
    expect(existsSync(join(cwd, 'autoarr-llm-provider-echo-backend/src/echo-backend-provider.ts'))).toBe(true);
  });
});
