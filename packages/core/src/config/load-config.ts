import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import { ConfigValidationError, type ConfigIssue } from '../errors/config-validation-error.js';
import { boundedCall } from '../host/bounded-call.js';
import { AutoarrLlmConfigSchema, CORE_ENV, type AutoarrLlmConfigInput } from './config-schema.js';
import { envLayer, mergeLayers, sourceOf, type Layer } from './layered-values.js';
import type { ResolvedConfig } from './resolved-config.js';
import { zodIssuesToConfigIssues } from './zod-issues-to-config-issues.js';

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
        () => new Error(`it did not finish loading within ${timeoutMs} ms (a config module whose top-level await never settles?)`),
      );
      if (found && !found.isEmpty) {
        configFile = found.filepath;
        fileData = found.config;
      } else if (found) {
        configFile = found.filepath;
      }
    } catch (error) {
      const file = explicitFile ? resolve(cwd, explicitFile) : cwd;
      throw new ConfigValidationError(
        [{ key: '(file)', source: `file ${file}`, message: `could not be read: ${error instanceof Error ? error.message : String(error)}` }],
        { cause: error },
      );
    }
  }

  const issues: ConfigIssue[] = [];
  if (typeof fileData !== 'object' || fileData === null || Array.isArray(fileData)) {
    issues.push({ key: '(root)', source: `file ${configFile}`, message: 'expected an object of settings' });
    fileData = {};
  }

  const layers: Layer[] = [
    { label: `file ${configFile ?? '(none)'}`, data: fileData as Record<string, unknown> },
    envLayer(env, CORE_ENV),
    { label: 'options', data: (options.overrides ?? {}) as Record<string, unknown> },
  ];
  const merged = mergeLayers(layers);
  const parsed = AutoarrLlmConfigSchema.safeParse(merged.value);
  if (!parsed.success) issues.push(...zodIssuesToConfigIssues(parsed.error.issues, (key) => sourceOf(merged.sources, key)));
  if (issues.length > 0 || !parsed.success) throw new ConfigValidationError(issues);

  return {
    values: parsed.data,
    appRoot: configFile ? dirname(configFile) : findProjectRoot(cwd),
    configFile,
    sources: merged.sources,
    env,
    layers,
  };
}

function configTimeoutFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CONFIG_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0 || ms > 2 ** 31 - 1) {
    throw new ConfigValidationError([{ key: '(file)', source: 'env AUTOARR_LLM_CONFIG_TIMEOUT', message: 'expected a whole number of milliseconds, at least 1' }]);
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
  if (stat && !stat.isFile() && !stat.isDirectory()) throw new Error(`${file} is not a regular file (a FIFO, socket or device cannot be read as a config file)`);
}

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
