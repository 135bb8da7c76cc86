import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { openCallLog } from './open-call-log.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function file(): string {
  const d = mkdtempSync(join(tmpdir(), 'autoarr-migrate-'));
  dirs.push(d);
  return join(d, 'logs.db');
}

describe('call log schema migrations', () => {
  it('bring a new file to the current version, and are a no-op on a current one', () => {
    const path = file();
    const db = openCallLog(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['calls', 'attempts', 'calls_fts', 'calls_started_at', 'calls_provider_model', 'calls_outcome']));
    db.close();
  });

  it('refuse a file written by a newer version', () => {
    const path = file();
    const raw = new BetterSqlite3(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openCallLog(path)).toThrow(/newer version/);
  });
});
