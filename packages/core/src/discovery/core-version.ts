import { readFileSync } from 'node:fs';

/** This copy of core's version, read from its package.json (dist/discovery → package root). */
export const CORE_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

export const CORE_PACKAGE_NAME = '@autoarr-llm/core';
