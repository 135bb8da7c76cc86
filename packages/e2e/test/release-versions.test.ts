/**
 * What `changeset version` does to the published packages when core takes a minor step, run with
 * this repository's own changesets config and package.json files in a throwaway copy (the real
 * @changesets/cli binary, nothing mocked). Plugins and testkit declare core as a peer over the
 * whole 0.x line, and the config bumps peer dependents only when core leaves their range, so a
 * core minor gives every other package only the bump its own changesets ask for.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const workspace = fileURLToPath(new URL('../../..', import.meta.url));
const CHANGESET_BIN = join(workspace, 'node_modules/@changesets/cli/bin.js');
// The semver that core itself checks plugin peer ranges with.
const semver = createRequire(join(workspace, 'packages/core/package.json'))('semver') as {
  inc(version: string, release: 'major' | 'minor' | 'patch'): string | null;
  major(version: string): number;
  satisfies(version: string, range: string): boolean;
};

let copy: string | undefined;
afterEach(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
  copy = undefined;
});

/** Every workspace package.json, by folder (what changesets reads through pnpm-workspace.yaml). */
function workspacePackageFiles(): string[] {
  const files: string[] = [];
  for (const parent of ['packages', 'plugins', 'plugins/premium', 'examples']) {
    for (const name of readdirSync(join(workspace, parent))) {
      const file = join(parent, name, 'package.json');
      if (existsSync(join(workspace, file))) files.push(file);
    }
  }
  return files;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

/** A copy holding what `changeset version` reads and writes, with the given changesets only. */
function releaseCopy(changesets: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-release-'));
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json', ...workspacePackageFiles()]) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(workspace, file), join(dir, file));
  }
  for (const [name, text] of Object.entries(changesets)) writeFileSync(join(dir, '.changeset', `${name}.md`), text);
  // The changelog generator named in the config resolves from the copy's node_modules.
  symlinkSync(join(workspace, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function versions(dir: string): Record<string, string> {
  return Object.fromEntries(workspacePackageFiles().map((f) => readJson(join(dir, f))).filter((p) => !p['private']).map((p) => [p['name'], p['version']]));
}

describe('changeset version with a core minor', () => {
  it('gives plugins and testkit only the bump their own changesets ask for, and their peer range still takes the new core', async () => {
    const before = versions(workspace);
    copy = releaseCopy({
      'core-minor': '---\n"@autoarr-llm/core": minor\n---\n\nA new capability.\n',
      'claude-fix': '---\n"@autoarr-llm/provider-claude": patch\n---\n\nA fix.\n',
    });
    await run(process.execPath, [CHANGESET_BIN, 'version'], { cwd: copy, env: { ...process.env, CI: '1' } });
    const after = versions(copy);

    const core = after['@autoarr-llm/core']!;
    expect(core).toBe(semver.inc(before['@autoarr-llm/core']!, 'minor'));
    expect(after['@autoarr-llm/provider-claude']).toBe(semver.inc(before['@autoarr-llm/provider-claude']!, 'patch'));
    // No changeset of their own: unchanged (they were 1.0.0 here before the peer ranges were widened).
    for (const name of ['@autoarr-llm/provider-ollama', '@autoarr-llm/testkit', '@autoarr-premium/provider-custom']) expect(after[name], name).toBe(before[name]);
    for (const [name, version] of Object.entries(after)) expect(semver.major(version), name).toBe(0);

    // Every package that declares core as a peer (the third-party example included) still accepts it.
    for (const file of workspacePackageFiles()) {
      const pkg = readJson(join(copy, file));
      const peer: string | undefined = pkg['peerDependencies']?.['@autoarr-llm/core'];
      if (peer === undefined) continue;
      expect(semver.satisfies(core, peer.replace(/^workspace:/, '')), `${pkg['name']} peer ${peer}`).toBe(true);
    }
  });

  it('a core major (1.0) is out of every peer range: each peer dependent is released with it', async () => {
    copy = releaseCopy({ 'core-major': '---\n"@autoarr-llm/core": major\n---\n\nThe plugin contract changed.\n' });
    await run(process.execPath, [CHANGESET_BIN, 'version'], { cwd: copy, env: { ...process.env, CI: '1' } });
    const after = versions(copy);
    expect(after['@autoarr-llm/core']).toBe('1.0.0');
    expect(semver.major(after['@autoarr-llm/provider-ollama']!)).toBe(1);
  });
});
