import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrations.js';

export interface OpenCallLogOptions {
  /** Open for queries only (the CLI): no migration, no write. */
  readonly?: boolean;
  /** How long a write waits for another process's lock (ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating and migrating) a call log file. WAL mode lets readers and another writer's
 * process work alongside; `busy_timeout` makes a writer wait for the lock instead of failing.
 */
export function openCallLog(path: string, options: OpenCallLogOptions = {}): Database {
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, options.readonly ? { readonly: true, fileMustExist: true } : {});
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL is durable across process crashes (only a power loss can drop the last commits).
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
