import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finds an installed package's folder as Node would from the app: `node_modules/<name>` in the
 * app's folder and each parent. Resolving from the app (never from core's own location) is what
 * makes this right under pnpm's strict layout, where core cannot see the app's dependencies.
 */
export function findPackageDir(fromDir: string, packageName: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', packageName, 'package.json');
    if (existsSync(candidate)) return realpathSync(dirname(candidate));
    if (dirname(dir) === dir) return undefined;
  }
}
