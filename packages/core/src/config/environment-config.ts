import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigValidationError } from '../errors/config-validation-error.js';
import { AutoarrLlmConfigSchema, CORE_ENV } from './config-schema.js';
import { envLayer, mergeLayers, sourceOf } from './layered-values.js';
import type { ResolvedConfig } from './resolved-config.js';
import { maskSecretEnv } from './secret-layer.js';
import { zodIssuesToConfigIssues } from './zod-issues-to-config-issues.js';

/**
 * The configuration from environment variables and defaults only, read synchronously: what
 * `new ProviderFactory()` uses when given no config. It reads no config file (that needs the async
 * `loadConfig()`); plugins are discovered from the project holding `cwd`.
 */
export function environmentConfig(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): ResolvedConfig {
  const layers = [envLayer(env, CORE_ENV)];
  const merged = mergeLayers(layers);
  const parsed = AutoarrLlmConfigSchema.safeParse(merged.value);
  if (!parsed.success) throw new ConfigValidationError(zodIssuesToConfigIssues(parsed.error.issues, (key) => sourceOf(merged.sources, key)));
  let appRoot = resolve(cwd);
  for (let dir = appRoot; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      appRoot = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return { values: parsed.data, appRoot, configFile: undefined, sources: merged.sources, env: maskSecretEnv(env), layers: [{ label: 'file (none)', data: {} }, ...layers, { label: 'options', data: {} }] };
}
