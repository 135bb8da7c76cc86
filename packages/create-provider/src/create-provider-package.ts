import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEPENDENCY_VERSIONS } from './dependency-versions.js';
import { providerNameProblem, providerNames, scopeProblem, type ProviderNames } from './provider-name.js';
import { renderTemplate } from './render-template.js';

/** The template folder, beside `src/` and `dist/` alike. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

// npm drops `.gitignore` from published tarballs (and dot-folders are easy to lose), so the
// templates hold them under these names.
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore', _changeset: '.changeset' };

export interface CreateProviderPackageOptions {
  /** The provider name (`my-backend`). */
  name: string;
  /** Where to write the package. Default: `./autoarr-llm-provider-<name>` under `cwd`. */
  dir?: string | undefined;
  /** An npm scope (`@acme`) for the package name. */
  scope?: string | undefined;
  cwd?: string;
}

export interface CreatedPackage extends ProviderNames {
  dir: string;
  /** Written files, relative to `dir`, sorted. */
  files: string[];
}

/** A problem the user can fix (bad name, folder not empty): the CLI prints it and exits 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Writes a new plugin package from the templates. Refuses a bad name or a folder that is not empty. */
export function createProviderPackage(options: CreateProviderPackageOptions): CreatedPackage {
  const problem = providerNameProblem(options.name);
  if (problem) throw new UsageError(`Invalid provider name "${options.name}": ${problem}.`);
  if (options.scope !== undefined) {
    const scopeIssue = scopeProblem(options.scope);
    if (scopeIssue) throw new UsageError(`Invalid scope "${options.scope}": ${scopeIssue}.`);
  }
  const names = providerNames(options.name, options.scope);
  const dir = resolve(options.cwd ?? process.cwd(), options.dir ?? `autoarr-llm-provider-${names.name}`);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a folder.`);
    if (readdirSync(dir).length > 0) throw new UsageError(`${dir} is not empty; nothing was written. Choose another folder with --dir.`);
  }

  const values = {
    name: names.name,
    packageName: names.packageName,
    pascalName: names.pascalName,
    camelName: names.camelName,
    envPrefix: names.envPrefix,
    coreVersion: DEPENDENCY_VERSIONS.core,
    testkitVersion: DEPENDENCY_VERSIONS.testkit,
    zodVersion: DEPENDENCY_VERSIONS.zod,
    typescriptVersion: DEPENDENCY_VERSIONS.typescript,
    vitestVersion: DEPENDENCY_VERSIONS.vitest,
    typesNodeVersion: DEPENDENCY_VERSIONS.typesNode,
    changesetsCliVersion: DEPENDENCY_VERSIONS.changesetsCli,
  };
  // Render everything before writing anything, so a broken template leaves no half-written package.
  const outputs = templateFiles(TEMPLATES_DIR).map((template) => {
    const target = template
      .replace(/\.tmpl$/, '')
      .split('/')
      .map((segment) => RENAMED[segment] ?? segment.replace(/__name__/g, names.name))
      .join('/');
    return { target, text: renderTemplate(readFileSync(join(TEMPLATES_DIR, template), 'utf8'), values, template) };
  });
  for (const { target, text } of outputs) {
    const file = join(dir, target);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return { ...names, dir, files: outputs.map((o) => o.target).sort() };
}

/** Template files, relative to `root`, with `/` separators. */
function templateFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? templateFiles(root, full) : [relative(root, full).split(/[\\/]/).join('/')];
  });
}
