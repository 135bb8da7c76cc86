import { homedir } from 'node:os';
import { join } from 'node:path';

/** The call log's file name inside the data folder. */
export const LOG_FILE_NAME = 'logs.db';

/**
 * The per-user data folder the call log lives in when `log.path` is unset:
 * Linux and others `$XDG_DATA_HOME/autoarr-llm` (default `~/.local/share/autoarr-llm`),
 * macOS `~/Library/Application Support/autoarr-llm`, Windows `%LOCALAPPDATA%\autoarr-llm`.
 */
export function defaultLogPath(env: Readonly<Record<string, unknown>> = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  // A configuration's environment may hold masked secrets; folder variables are plain strings.
  const text = (name: string): string | undefined => (typeof env[name] === 'string' ? (env[name] as string) : undefined);
  if (platform === 'win32') return join(text('LOCALAPPDATA') ?? join(home, 'AppData', 'Local'), 'autoarr-llm', LOG_FILE_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'autoarr-llm', LOG_FILE_NAME);
  const xdg = text('XDG_DATA_HOME');
  return join(xdg && xdg.length > 0 ? xdg : join(home, '.local', 'share'), 'autoarr-llm', LOG_FILE_NAME);
}
