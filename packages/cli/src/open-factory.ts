import { createConsoleLogger, loadConfig, ProviderFactory, type LogLevel } from '@autoarr-llm/core';
import type { CliIO } from './cli-io.js';

export interface GlobalFlags {
  cwd?: string | undefined;
  config?: string | undefined;
  verbose?: boolean | undefined;
}

/** Loads the configuration and builds the factory the way an application would. */
export async function openFactory(io: CliIO, flags: GlobalFlags): Promise<ProviderFactory> {
  const config = await loadConfig({ cwd: flags.cwd ?? io.cwd, env: io.env, ...(flags.config ? { configFile: flags.config } : {}) });
  const level: LogLevel = flags.verbose ? 'debug' : 'error';
  return new ProviderFactory({ config, logger: createConsoleLogger({ level, write: (line) => io.err(`${line}\n`) }) });
}
