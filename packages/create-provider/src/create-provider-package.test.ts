import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginManifestSchema } from '@autoarr-llm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderPackage, TEMPLATES_DIR } from './create-provider-package.js';
import { DEPENDENCY_VERSIONS } from './dependency-versions.js';
import { renderTemplate } from './render-template.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'create-provider-unit-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

describe('createProviderPackage', () => {
  it('writes the package into ./autoarr-llm-provider-<name> with every placeholder filled', () => {
    const created = createProviderPackage({ name: 'my-backend', cwd });
    expect(created.dir).toBe(join(cwd, 'autoarr-llm-provider-my-backend'));
    expect(created.files).toEqual([
      '.changeset/README.md',
      '.changeset/config.json',
      '.gitignore',
      'README.md',
      'package.json',
      'src/conformance.test.ts',
      'src/index.ts',
      'src/map-error.ts',
      'src/my-backend-provider.test.ts',
      'src/my-backend-provider.ts',
      'src/plugin.ts',
      'src/read-ndjson.ts',
      'src/request-deadline.ts',
      'src/settings.ts',
      'src/test-support/harness.ts',
      'src/test-support/stand-in-server.ts',
      'src/to-wire-request.ts',
      'src/wire-error.ts',
      'src/wire.ts',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    for (const file of created.files) expect(readFileSync(join(created.dir, file), 'utf8'), file).not.toMatch(/\{\{|__name__/);
    expect(readFileSync(join(created.dir, 'src/plugin.ts'), 'utf8')).toContain('configSchema: MyBackendSettingsSchema');
    expect(readFileSync(join(created.dir, 'src/settings.ts'), 'utf8')).toContain("MY_BACKEND_BASE_URL: 'baseUrl'");
  });

  it('writes a package.json core accepts: manifest, core as a peer, the build and test tools as dev dependencies', () => {
    const { dir } = createProviderPackage({ name: 'vllm', scope: '@acme', dir: 'plugins/vllm', cwd });
    expect(dir).toBe(join(cwd, 'plugins/vllm'));
    const pkg = readJson(join(dir, 'package.json'));
    expect(pkg['name']).toBe('@acme/autoarr-llm-provider-vllm');
    expect(PluginManifestSchema.parse(pkg['autoarr-llm-plugin'])).toEqual({ apiVersion: 1, provider: 'vllm', entry: './dist/plugin.js', tier: 'free' });
    expect(pkg['peerDependencies']).toEqual({ '@autoarr-llm/core': DEPENDENCY_VERSIONS.core });
    expect(pkg['devDependencies']).toEqual({
      '@changesets/cli': DEPENDENCY_VERSIONS.changesetsCli,
      '@autoarr-llm/core': DEPENDENCY_VERSIONS.core,
      '@autoarr-llm/testkit': DEPENDENCY_VERSIONS.testkit,
      '@types/node': DEPENDENCY_VERSIONS.typesNode,
      typescript: DEPENDENCY_VERSIONS.typescript,
      vitest: DEPENDENCY_VERSIONS.vitest,
    });
    // dist/ is emptied before each build: a file whose source was deleted is never published.
    expect(pkg['scripts']).toMatchObject({ clean: expect.stringContaining("rmSync('dist'"), build: 'npm run clean && tsc -p tsconfig.json', test: 'vitest run' });
    expect(pkg['files']).toEqual(['dist', '!dist/**/*.test.*', '!dist/test-support']);
    // Standalone: nothing of this monorepo's tsconfig.base.json.
    const tsconfig = readJson(join(dir, 'tsconfig.json'));
    expect(tsconfig['extends']).toBeUndefined();
    expect(tsconfig['compilerOptions']).toMatchObject({ strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', noUncheckedIndexedAccess: true, verbatimModuleSyntax: true });
  });

  it('refuses a folder that is not empty, and writes nothing', () => {
    const dir = join(cwd, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    expect(() => createProviderPackage({ name: 'x', dir, cwd })).toThrow(/is not empty; nothing was written/);
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });

  it('accepts an existing empty folder', () => {
    mkdirSync(join(cwd, 'empty'));
    expect(createProviderPackage({ name: 'x', dir: 'empty', cwd }).files.length).toBeGreaterThan(10);
  });

  it('refuses a bad name or scope before touching the disk', () => {
    expect(() => createProviderPackage({ name: 'Bad_Name', cwd })).toThrow(/Invalid provider name "Bad_Name"/);
    expect(() => createProviderPackage({ name: 'ok', scope: 'acme', cwd })).toThrow(/Invalid scope "acme"/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('templates', () => {
  it('use only known placeholders', () => {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    const values = { name: 'n', packageName: 'p', pascalName: 'P', camelName: 'p', envPrefix: 'N', coreVersion: '1', testkitVersion: '1', zodVersion: '1', typescriptVersion: '1', vitestVersion: '1', typesNodeVersion: '1', changesetsCliVersion: '1' };
    for (const file of walk(TEMPLATES_DIR)) expect(() => renderTemplate(readFileSync(file, 'utf8'), values, file)).not.toThrow();
    expect(() => renderTemplate('{{nmae}}', values)).toThrow(/unknown placeholder \{\{nmae\}\}/);
  });

  it('pin core and testkit to the release line of this workspace', () => {
    const line = (pkg: string) => (readJson(join(TEMPLATES_DIR, `../../${pkg}/package.json`)) as { version: string }).version.split('.');
    const [coreMajor, coreMinor] = line('core');
    // The core peer spans the rest of the 0.x line: a core minor must not leave the plugin out.
    expect(DEPENDENCY_VERSIONS.core).toBe(coreMajor === '0' ? `>=0.${coreMinor}.0 <1` : `^${coreMajor}.0.0`);
    const [major, minor] = line('testkit');
    // A caret range on 0.x covers one minor line only.
    expect(DEPENDENCY_VERSIONS.testkit).toBe(major === '0' ? `^0.${minor}.0` : `^${major}.0.0`);
  });
});
