import { isAbsolute, resolve } from 'node:path';
import type { ResolvedConfig } from '@autoarr-llm/core';
import { defaultLogPath } from './default-log-path.js';

/** The call log file of a configuration: `log.path` (relative to the app's root), else the per-user default. */
export function resolveLogPath(config: Pick<ResolvedConfig, 'values' | 'appRoot' | 'env'>): string {
  const path = config.values.log.path;
  if (path) return isAbsolute(path) ? path : resolve(config.appRoot, path);
  return defaultLogPath(config.env);
}
