import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The config lives in .config/ so the repository's top level stays as documented;
// the root is set explicitly because vitest would otherwise take the config's folder.
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['packages/*/src/**/*.test.ts', 'plugins/**/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'plugins/**/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The JSON report is what .ci/run reads to print its 'N passed, N failed, N skipped' line.
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest-report.json' },
    pool: 'forks',
    maxWorkers: 2,
  },
});
