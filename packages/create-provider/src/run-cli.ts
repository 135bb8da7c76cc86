import { relative } from 'node:path';
import { createProviderPackage, UsageError } from './create-provider-package.js';
import { parseArgs, USAGE } from './parse-args.js';
import { OFFICIAL_PROVIDER_NAMES } from './provider-name.js';

export interface CliIo {
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The `create-provider` command; returns the exit code (0 done, 1 a problem the user can fix). */
export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    if (args.name === undefined) throw new UsageError('Give the provider name.');
    const created = createProviderPackage({ name: args.name, dir: args.dir, scope: args.scope, cwd: io.cwd });
    if (OFFICIAL_PROVIDER_NAMES.includes(created.name)) {
      io.err(`Note: "${created.name}" is also an official provider; where both are installed, the official one is used unless the app lists yours in its config's "plugins".`);
    }
    const where = relative(io.cwd, created.dir) || '.';
    io.out(`Created ${created.packageName} in ${where} (${created.files.length} files).`);
    io.out('');
    io.out('Next:');
    io.out(`  cd ${where}`);
    io.out('  npm install');
    io.out('  npm run build && npm test     # the conformance suite runs against the stand-in server');
    io.out('');
    io.out(`Then replace the template's backend (src/wire.ts, src/${created.name}-provider.ts and the stand-in in src/test-support/) with yours; README.md walks through it.`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`create-provider: ${error.message}`);
      io.err('');
      io.err(USAGE);
      return 1;
    }
    throw error;
  }
}
