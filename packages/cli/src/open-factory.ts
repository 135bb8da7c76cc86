import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createConsoleLogger, openProviderFactory, type LogLevel, type ProviderFactory } from '@autoarr-llm/core';
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
  // The folder is not echoed: a flag's value is never printed back (it may be a pasted key).
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw CliError.usage('--cwd: not a folder');
  const level: LogLevel = flags.verbose ? 'debug' : 'error';
  // Every setting of core and of every configured provider is checked here, in one pass.
  return openProviderFactory({
    cwd,
    env: io.env,
    // A path typed on the command line is relative to the shell's folder, like any other CLI's (not to --cwd).
    ...(flags.config ? { configFile: resolve(io.cwd, flags.config) } : {}),
    logger: createConsoleLogger({ level, write: (line) => io.err(`${line}\n`) }),
  });
}
