import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, ProviderFactory, type AutoarrLlmConfigInput, type Logger, type ProviderRegistration } from '@autoarr-llm/core';

/** The call-log package folder (what an app's node_modules/@autoarr-llm/call-log points at). */
export const CALL_LOG_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface TempLogApp {
  dir: string;
  logPath: string;
  cleanup(): void;
}

/** An application folder with `@autoarr-llm/call-log` installed, as an app that depends on it has. */
export function tempLogApp(options: { install?: boolean } = {}): TempLogApp {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-call-log-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'log-app', dependencies: { '@autoarr-llm/call-log': '*' } }));
  if (options.install !== false) {
    mkdirSync(join(dir, 'node_modules', '@autoarr-llm'), { recursive: true });
    symlinkSync(CALL_LOG_DIR, join(dir, 'node_modules', '@autoarr-llm', 'call-log'), 'dir');
  }
  return { dir, logPath: join(dir, 'data', 'logs.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A factory for the app, with providers registered in code. */
export async function logFactory(
  app: TempLogApp,
  providers: Record<string, ProviderRegistration>,
  overrides: AutoarrLlmConfigInput = {},
  logger?: Logger,
  env: Record<string, string> = {},
): Promise<ProviderFactory> {
  const config = await loadConfig({
    cwd: app.dir,
    configFile: false,
    env,
    overrides: { ...overrides, log: { path: app.logPath, ...overrides.log } },
  });
  const factory = new ProviderFactory({ config, discover: false, ...(logger ? { logger } : {}) });
  for (const [name, registration] of Object.entries(providers)) factory.registerProvider(name, registration);
  return factory;
}
