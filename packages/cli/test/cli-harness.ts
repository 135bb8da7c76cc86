/**
 * Runs the BUILT `autoarr-llm` binary as a user would: a spawned `node dist/bin.js` in a temporary
 * application folder whose node_modules link this workspace's core and plugins, with a real config
 * file and only the environment variables the test gives. Every output of every run is checked for
 * the canary API key, and every process still running when a test ends is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from '@autoarr-llm/testkit';

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
export const BIN = join(workspace, 'packages/cli/dist/bin.js');

/** Long enough to be scrubbed (core ignores secrets under 6 characters), unlike anything else in the output. */
export const CANARY_KEY = 'sk-ant-canary-3f9c1e7d5b2a';

const LINKED = {
  '@autoarr-llm/core': 'packages/core',
  '@autoarr-llm/provider-ollama': 'plugins/provider-ollama',
  '@autoarr-llm/provider-claude': 'plugins/provider-claude',
} as const;

for (const file of [BIN, ...Object.values(LINKED).map((dir) => join(workspace, dir, 'dist/index.js'))]) {
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: build first (pnpm exec tsc -b packages/cli plugins/provider-ollama plugins/provider-claude)`);
  }
}

export interface TempApp {
  dir: string;
  write(file: string, content: string): void;
  remove(): void;
}

/** A fresh application folder that depends on the Ollama and Claude plugins, as an npm install would lay it out. */
export function createTempApp(files: Record<string, string> = {}): TempApp {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-cli-'));
  const scope = join(dir, 'node_modules/@autoarr-llm');
  mkdirSync(scope, { recursive: true });
  for (const [name, path] of Object.entries(LINKED)) symlinkSync(join(workspace, path), join(dir, 'node_modules', name), 'dir');
  // Discovery reads the app's dependencies: the plugins must be listed, not just present.
  const dependencies = Object.fromEntries(Object.keys(LINKED).map((name) => [name, '^0.1.0']));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cli-test-app', private: true, type: 'module', dependencies }, null, 2));
  const app: TempApp = {
    dir,
    write: (file, content) => writeFileSync(join(dir, file), content),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [file, content] of Object.entries(files)) app.write(file, content);
  return app;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Written to stdin, which is then closed (stdin is closed empty otherwise). */
  stdin?: string;
  /** Kill the process after this long (ms) and fail. */
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();

/** What a spawned run looks like while it runs, for tests that act on it (Ctrl-C) before it ends. */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout contains `text`. */
  waitForStdout(text: string): Promise<void>;
  /** Milliseconds after the start at which each stdout chunk arrived. */
  stdoutTimes: number[];
  done: Promise<RunResult>;
}

export function startCli(args: readonly string[], options: RunOptions): RunningCli {
  // Only what the test sets, plus PATH: the developer's own LLM_* or CLAUDE_* variables must not leak in.
  const env = { PATH: process.env['PATH'] ?? '', ...options.env };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  const stdoutTimes: number[] = [];
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    stdoutTimes.push(performance.now() - started);
    for (const w of waiters.filter((x) => stdout.includes(x.text))) w.resolve();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  child.stdin.end(options.stdin ?? '');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const done = new Promise<RunResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`autoarr-llm ${args.join(' ')} did not end within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      // The key must appear in no output of any command, whatever the test checks besides.
      if (stdout.includes(CANARY_KEY) || stderr.includes(CANARY_KEY)) {
        reject(new Error(`autoarr-llm ${args.join(' ')} printed the API key:\nstdout: ${stdout}\nstderr: ${stderr}`));
      } else {
        resolve({ code, signal, stdout, stderr });
      }
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stdoutTimes,
    waitForStdout: (text) =>
      stdout.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve })),
    done,
  };
}

/** Runs the binary to its end. */
export function runCli(args: readonly string[], options: RunOptions): Promise<RunResult> {
  return startCli(args, options).done;
}

/** Runs with `--json` and parses stdout (failing with the raw output when it is not JSON). */
export async function runCliJson(args: readonly string[], options: RunOptions): Promise<RunResult & { json: any }> {
  const result = await runCli([...args, '--json'], options);
  try {
    return { ...result, json: JSON.parse(result.stdout) };
  } catch {
    throw new Error(`stdout of ${args.join(' ')} --json is not JSON (exit ${result.code}):\n${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** Kills whatever a test left running (call from afterEach). */
export function killStragglers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}


/** The API key a request to the Anthropic stand-in carried (the SDK sends it as x-api-key or a bearer token). */
export function keySentWith(headers: Record<string, string | string[] | undefined> | undefined): string | undefined {
  const key = headers?.['x-api-key'];
  if (typeof key === 'string') return key;
  const auth = headers?.['authorization'];
  return typeof auth === 'string' ? auth.replace(/^Bearer /, '') : undefined;
}

export { closedPort };
