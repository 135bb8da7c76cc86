import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Packs the package in `dir` as `pnpm publish` would (workspace ranges rewritten) and returns the
 * tarball's path. Each pack gets its own folder under `into`, so packs can run side by side.
 */
export async function packPackage(dir: string, into: string, timeoutMs = 120_000): Promise<string> {
  mkdirSync(into, { recursive: true });
  const dest = mkdtempSync(join(into, 'pack-'));
  await run('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, timeout: timeoutMs });
  const created = readdirSync(dest).filter((f) => f.endsWith('.tgz'));
  if (created.length !== 1) throw new Error(`pnpm pack in ${dir} produced ${created.length} tarballs`);
  return join(dest, created[0] as string);
}
