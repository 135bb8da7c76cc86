import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import { ConfigValidationError, type ConfigIssue } from '../errors/config-validation-error.js';
import { boundedCall } from '../host/bounded-call.js';
import { MAX_TIMER_MS } from './env-schemas.js';
import { AutoarrLlmConfigSchema, CORE_ENV, type AutoarrLlmConfig, type AutoarrLlmConfigInput } from './config-schema.js';
import { envLayer, mergeLayers, sourceOf, type Layer } from './layered-values.js';
import type { ResolvedConfig } from './resolved-config.js';
import { zodIssuesToConfigIssues } from './zod-issues-to-config-issues.js';
import { checkConfigShape } from './check-config-shape.js';
import { describeParseError } from './describe-parse-error.js';
import { knownKeysAt } from './schema-keys.js';
import { hasUrlCredentials, maskSecretEnv, maskSecretValues, URL_CREDENTIALS_MESSAGE } from './secret-layer.js';

export const CONFIG_MODULE_NAME = 'autoarr-llm';

/** Where the config file is looked for, in order, in each folder from `cwd` up to the project root. */
export const CONFIG_SEARCH_PLACES = [
  'package.json',
  '.autoarr-llmrc',
  '.autoarr-llmrc.json',
  '.autoarr-llmrc.yaml',
  '.autoarr-llmrc.yml',
  'autoarr-llm.config.json',
  'autoarr-llm.config.yaml',
  'autoarr-llm.config.yml',
  'autoarr-llm.config.mjs',
  'autoarr-llm.config.js',
] as const;

export interface LoadConfigOptions {
  /** Where to start looking for a config file (default: `process.cwd()`). */
  cwd?: string;
  /** Read this file instead of searching (also `AUTOARR_LLM_CONFIG`). `false`: read no file. */
  configFile?: string | false;
  /** The environment (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Explicit options: the highest-priority source. */
  overrides?: AutoarrLlmConfigInput;
  /**
   * How long reading the config file may take (also `AUTOARR_LLM_CONFIG_TIMEOUT`, default 10000 ms):
   * a config module whose top-level await never settles ends in `CONFIG_INVALID` instead of hanging.
   */
  timeoutMs?: number;
}

/** How long reading the config file may take by default. */
export const DEFAULT_CONFIG_TIMEOUT_MS = 10_000;

/**
 * Loads the configuration: explicit options > environment variables > config file > defaults.
 * Throws one `ConfigValidationError` listing every bad key, its source and what was expected.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd ?? process.cwd());
  const explicitFile = options.configFile ?? env['AUTOARR_LLM_CONFIG'];

  const explorer = cosmiconfig(CONFIG_MODULE_NAME, {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    // Stop at the project's root (the first folder with a package.json): never read a parent project's config.
    searchStrategy: 'project',
    cache: false,
  });

  let configFile: string | undefined;
  let fileData: unknown = {};
  if (explicitFile !== false) {
    const timeoutMs = options.timeoutMs ?? configTimeoutFromEnv(env['AUTOARR_LLM_CONFIG_TIMEOUT']);
    try {
      // A FIFO or device would block the read for ever (and the process with it): refused before reading.
      for (const file of explicitFile ? [resolve(cwd, explicitFile)] : searchedFiles(cwd)) refuseSpecialFile(file);
      const found = await boundedCall(
        () => (explicitFile ? explorer.load(resolve(cwd, explicitFile)) : explorer.search(cwd)),
        timeoutMs,
        () => new ConfigFileRefusal(`it did not finish loading within ${timeoutMs} ms (a config module whose top-level await never settles?)`),
      );
      if (found && !found.isEmpty) {
        configFile = found.filepath;
        fileData = found.config;
      } else if (found) {
        configFile = found.filepath;
      }
    } catch (error) {
      const file0 = explicitFile ? resolve(cwd, explicitFile) : cwd;
      // The host's own refusals (a special file, a load that never ended) say what happened and quote nothing.
      if (error instanceof ConfigFileRefusal) throw new ConfigValidationError([{ key: '(file)', source: `file ${file0}`, message: error.message }]);
      // The parser's own message quotes the file (a code frame, or the text near the error), which
      // may be a line holding a key: only the reason and position are kept, and the cause is dropped.
      const filepath = (error as { filepath?: unknown } | undefined)?.filepath;
      const named = typeof filepath === 'string' ? filepath : /^(?:JSON|YAML) Error in (.+?):\s*\n/.exec(error instanceof Error ? error.message : '')?.[1];
      const file = named ?? (explicitFile ? resolve(cwd, explicitFile) : cwd);
      throw new ConfigValidationError([{ key: '(file)', source: `file ${file}`, message: describeParseError(error, file, readText(file)) }]);
    }
  }

  const fileLabel = `file ${configFile ?? '(none)'}`;
  const issues: ConfigIssue[] = [];
  if (typeof fileData !== 'object' || fileData === null || Array.isArray(fileData)) {
    issues.push({ key: '(root)', source: fileLabel, message: 'expected an object of settings' });
    fileData = {};
  }
  // Before anything walks them: hostile sizes and prototype keys end here, as config issues.
  const overrides: unknown = options.overrides ?? {};
  const shapeIssues = [...checkConfigShape(fileData, fileLabel), ...checkConfigShape(overrides, 'options')];
  if (shapeIssues.some((i) => i.key === '(root)' || i.message.startsWith('nested deeper'))) throw new ConfigValidationError([...issues, ...shapeIssues]);
  issues.push(...shapeIssues);

  const layers: Layer[] = [
    { label: fileLabel, data: maskSecretValues(dropForbidden(fileData)) as Record<string, unknown> },
    envLayer(env, CORE_ENV),
    { label: 'options', data: maskSecretValues(dropForbidden(overrides)) as Record<string, unknown> },
  ];
  const merged = mergeLayers(layers);
  for (const [key, value] of leaves(merged.value)) {
    if (typeof value === 'string' && hasUrlCredentials(value)) {
      issues.push({ key, source: sourceOf(merged.sources, key), message: URL_CREDENTIALS_MESSAGE });
    }
  }
  const parsed = AutoarrLlmConfigSchema.safeParse(merged.value);
  if (!parsed.success) {
    for (const issue of zodIssuesToConfigIssues(parsed.error.issues, (key) => sourceOf(merged.sources, key), '', (path) => knownKeysAt(AutoarrLlmConfigSchema, path))) issues.push(issue);
  }
  const resolved = (values: AutoarrLlmConfig): ResolvedConfig => ({
    values,
    appRoot: appRootOf(configFile, cwd),
    configFile,
    sources: merged.sources,
    env: maskSecretEnv(env),
    layers,
  });
  if (issues.length > 0 || !parsed.success) {
    const error = new ConfigValidationError(issues);
    // Without the bad keys, what remains may still be a valid config: with it, the providers' settings
    // are checked too, so one error lists every problem (`openProviderFactory`).
    const rest = AutoarrLlmConfigSchema.safeParse(withoutKeys(merged.value, issues.map((i) => i.key)));
    if (rest.success) lenient.set(error, resolved(rest.data));
    throw error;
  }
  return resolved(parsed.data);
}

const lenient = new WeakMap<object, ResolvedConfig>();

/**
 * The configuration a failed `loadConfig` would have returned without its bad keys (their
 * defaults instead), or `undefined`. Used to report the providers' problems with core's at once.
 */
export function lenientConfigOf(error: unknown): ResolvedConfig | undefined {
  return typeof error === 'object' && error !== null ? lenient.get(error) : undefined;
}

function withoutKeys(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const copy = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(copy) : typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v;
  const out = copy(value) as Record<string, unknown>;
  const removals: Array<{ parent: unknown[]; index: number }> = [];
  for (const key of keys) {
    const parts = key.split('.');
    let node: unknown = out;
    for (const part of parts.slice(0, -1)) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    const last = parts[parts.length - 1] as string;
    if (Array.isArray(node)) removals.push({ parent: node, index: Number(last) });
    else if (typeof node === 'object' && node !== null) delete (node as Record<string, unknown>)[last];
  }
  for (const { parent, index } of removals.sort((a, b) => b.index - a.index)) parent.splice(index, 1);
  return out;
}


function readText(file: string): string | undefined {
  try {
    // Only a regular file: reading a FIFO would block for ever.
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A copy without `__proto__`/`constructor`/`prototype` keys (already reported by `checkConfigShape`). */
function dropForbidden(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropForbidden);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = dropForbidden(v);
  }
  return out;
}

function* leaves(value: unknown, path = ''): Generator<[string, unknown]> {
  if (typeof value === 'object' && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
    for (const [k, v] of Object.entries(value)) yield* leaves(v, path ? `${path}.${k}` : k);
  } else {
    yield [path, value];
  }
}

/**
 * The app whose dependencies are searched for plugins: the package holding the config file, or,
 * for a file kept outside any package (`/etc/…`, a shared folder), the package of `cwd` — never
 * the config's bare folder, where no plugin is installed.
 */
function appRootOf(configFile: string | undefined, cwd: string): string {
  if (configFile) {
    const fromFile = findProjectRoot(dirname(configFile));
    if (existsSync(join(fromFile, 'package.json'))) return fromFile;
  }
  return findProjectRoot(cwd);
}

function configTimeoutFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CONFIG_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0 || ms > MAX_TIMER_MS) {
    throw new ConfigValidationError([{ key: '(file)', source: 'env AUTOARR_LLM_CONFIG_TIMEOUT', message: `expected a whole number of milliseconds, from 1 to ${MAX_TIMER_MS}` }]);
  }
  return ms;
}

/** The files the search reads, folder by folder up to the project's root (as cosmiconfig's `project` strategy walks). */
function* searchedFiles(from: string): Generator<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const place of CONFIG_SEARCH_PLACES) yield join(dir, place);
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'package.yaml')) || dirname(dir) === dir) return;
  }
}

function refuseSpecialFile(file: string): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat && !stat.isFile() && !stat.isDirectory()) throw new ConfigFileRefusal(`${file} is not a regular file (a FIFO, socket or device cannot be read as a config file)`);
}

/** A config file the host refused to read, or a read it gave up on: its message is safe to show. */
class ConfigFileRefusal extends Error {}

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
