#!/usr/bin/env node
// `pnpm run bootstrap [pnpm install flags]`: installs the workspace.
//
// The call log's better-sqlite3 is a native module. Where its prebuilt binary cannot be downloaded it
// compiles from source, and node-gyp then downloads Node's headers too, which fails offline or behind
// a registry-only proxy. Every official Node build ships its headers beside the binary
// (<prefix>/include/node), so node-gyp is pointed at the running Node's own. pnpm passes no npm
// config to build scripts, hence the environment variable rather than an .npmrc entry.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const env = { ...process.env };
const prefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix;

const result = spawnSync('pnpm', ['install', ...process.argv.slice(2)], { stdio: 'inherit', env });
if (result.error) {
  console.error(`pnpm install could not be started: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
