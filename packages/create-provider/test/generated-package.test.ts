/**
 * The proof that the scaffold works for a plugin author: create-provider is packed as it would be
 * published and run from its tarball; the generated package gets this workspace's core and testkit
 * (packed with `pnpm pack`) and typescript/vitest from the public registry, then builds with its own
 * `npm run build` and passes its own `npm test`, the conformance suite included, as generated.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackage } from '@autoarr-llm/testkit';

const exec = promisify(execFile);

/** Runs a command; a failure carries its output, so a broken build or test says why. */
async function run(cmd: string, args: string[], options: { cwd?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(cmd, args, { ...options, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${options.cwd ?? process.cwd()}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`.slice(0, 8000), { cause: error });
  }
}
const self = fileURLToPath(new URL('..', import.meta.url));
const packages = join(self, '..');

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: Array<{ name: string; assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string }> }>;
}

let work: string;
let plugin: string;

const pack = (dir: string) => packPackage(dir, join(work, 'tarballs'));

beforeAll(async () => {
  for (const dir of [self, join(packages, 'core'), join(packages, 'testkit')]) {
    if (!existsSync(join(dir, 'dist/index.js'))) throw new Error(`${dir} is not built: run \`pnpm exec tsc -b packages/create-provider packages/testkit\` first`);
  }
  work = mkdtempSync(join(tmpdir(), 'create-provider-proof-'));
  mkdirSync(join(work, 'tarballs'));
  const [scaffold, core, testkit] = await Promise.all([pack(self), pack(join(packages, 'core')), pack(join(packages, 'testkit'))]);
  mkdirSync(join(work, 'scaffold'));
  await run('tar', ['-xzf', scaffold, '-C', join(work, 'scaffold')]);
  // Run from the tarball: proves the published package carries its templates and needs nothing installed.
  await run('node', [join(work, 'scaffold/package/dist/bin.js'), 'my-backend', '--scope', '@acme', '--dir', 'my-plugin'], { cwd: work });
  plugin = join(work, 'my-plugin');
  // Our packages are not on the public registry: point the generated devDependencies at the tarballs.
  const pkgFile = join(plugin, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { devDependencies: Record<string, string> };
  pkg.devDependencies['@autoarr-llm/core'] = `file:${core}`;
  pkg.devDependencies['@autoarr-llm/testkit'] = `file:${testkit}`;
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: plugin });
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a generated plugin package, as its author gets it', () => {
  it('was written whole from the published tarball, dotfiles included', () => {
    for (const file of ['.gitignore', '.changeset/config.json', 'README.md', 'tsconfig.json', 'vitest.config.ts', 'src/plugin.ts', 'src/my-backend-provider.ts', 'src/conformance.test.ts']) {
      expect(existsSync(join(plugin, file)), file).toBe(true);
    }
  });

  it('builds with its own `npm run build` (tsc, strict, standalone tsconfig), emptying dist/ first', async () => {
    mkdirSync(join(plugin, 'dist'), { recursive: true });
    writeFileSync(join(plugin, 'dist/removed-source.js'), 'stale output of a deleted source file');
    await run('npm', ['run', 'build'], { cwd: plugin });
    expect(existsSync(join(plugin, 'dist/removed-source.js'))).toBe(false);
    // `npx changeset` (what the README says to run) is the changesets CLI, installed, not the unrelated npm package.
    const { stdout: version } = await run('npx', ['--no-install', 'changeset', '--version'], { cwd: plugin });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(existsSync(join(plugin, 'dist/plugin.js'))).toBe(true);
    expect(existsSync(join(plugin, 'dist/my-backend-provider.d.ts'))).toBe(true);
    // The built entry is a plugin core accepts, named as the manifest says.
    const { stdout } = await run('node', ['--input-type=module', '-e', "const p = (await import('./dist/plugin.js')).default; const { isProviderPlugin } = await import('@autoarr-llm/core'); console.log(JSON.stringify({ plugin: isProviderPlugin(p), name: p.name, env: Object.keys(p.env) }));"], { cwd: plugin });
    expect(JSON.parse(stdout)).toEqual({ plugin: true, name: 'my-backend', env: ['MY_BACKEND_BASE_URL', 'MY_BACKEND_API_KEY', 'MY_BACKEND_MODEL', 'MY_BACKEND_TIMEOUT'] });
  }, 60_000);

  it('passes its own `npm test`: the conformance suite and its own tests, nothing failed or skipped', async () => {
    const report = join(work, 'vitest-report.json');
    await run('npm', ['test', '--', '--reporter=json', `--outputFile=${report}`], { cwd: plugin }).catch(async (error: unknown) => {
      // Name the failing tests: the JSON reporter prints nothing else.
      const json = JSON.parse(await readFile(report, 'utf8').catch(() => '{}')) as { testResults?: Array<{ assertionResults?: Array<{ fullName: string; status: string; failureMessages?: string[] }> }> };
      const failed = (json.testResults ?? []).flatMap((f) => (f.assertionResults ?? []).filter((a) => a.status === 'failed'));
      throw new Error(`${(error as Error).message}\nfailed: ${failed.map((a) => `${a.fullName}: ${(a.failureMessages ?? []).join(' ').slice(0, 600)}`).join('\n')}`, { cause: error });
    });
    const result = JSON.parse(readFileSync(report, 'utf8')) as VitestJson;
    expect(result.numFailedTests).toBe(0);
    expect(result.numPendingTests).toBe(0);
    const all = result.testResults.flatMap((f) => f.assertionResults);
    const conformance = all.filter((t) => t.ancestorTitles[0] === 'provider conformance: my-backend');
    // Every conformance section ran: complete, stream, tools (calls, choice, results), structured output and content, errors, models and health, hygiene.
    expect(new Set(conformance.map((t) => t.ancestorTitles[1]))).toEqual(new Set(['complete', 'stream', 'tools', 'tools: choice and results', 'structured output and content', 'errors', 'models and health', 'hygiene']));
    expect(conformance.length).toBeGreaterThanOrEqual(30);
    expect(conformance.every((t) => t.status === 'passed')).toBe(true);
    expect(all.length).toBeGreaterThan(conformance.length);
    // Only the sources ran, not the compiled copies the build wrote to dist/.
    expect(result.testResults.every((f) => f.name.includes('/src/'))).toBe(true);
  }, 90_000);
});
