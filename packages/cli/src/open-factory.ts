import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createConsoleLogger, loadConfig, ProviderFactory, type LogLevel } from '@autoarr-llm/core';
import { CliError } from './cli-error.js';
import type { CliIO } from './cli-io.js';

export interface GlobalFlags {
  cwd?: string | undefined;
  config?: string | undefined;
  verbose?: boolean | undefined;
  json?: boolean | undefined;
}

/** Loads the configuration and builds the factory the way an application in that folder would. */
export async function openFactory(io: CliIO, flags: GlobalFlags): Promise<ProviderFactory> {
  const cwd = resolve(io.cwd, flags.cwd ?? '.');
  // Without this check a typo in --cwd silently finds no config and no plugins.
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw CliError.usage(`--cwd: ${cwd} is not a folder`);
  // A path typed on the command line is relative to the shell's folder, like any other CLI's (not to --cwd).
  const config = await loadConfig({ cwd, env: io.env, ...(flags.config ? { configFile: resolve(io.cwd, flags.config) } : {}) });
  const level: LogLevel = flags.verbose ? 'debug' : 'error';
  return new ProviderFactory({ config, logger: createConsoleLogger({ level, write: (line) => io.err(`${line}\n`) }) });
}
