import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
// The two functions only (a third of semver's modules): discovery is on every start-up's path.
import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';
import { PROVIDER_API_VERSION } from '../contract/llm-provider.js';
import type { PluginRef } from '../config/config-schema.js';
import { CORE_PACKAGE_NAME, CORE_VERSION } from './core-version.js';
import { findPackageDir } from './find-package-dir.js';
import { MANIFEST_KEY, PluginManifestSchema } from './plugin-manifest.js';
import { matchesPluginName, precedenceRank, scopeOf } from './plugin-name-rules.js';
import type { PluginRecord, PluginSource } from './plugin-record.js';

export interface DiscoverPluginsOptions {
  /** The application's folder: its package.json lists the dependencies; resolution starts here. */
  appRoot: string;
  /** The config's explicit `plugins` list. */
  plugins?: readonly PluginRef[];
  /** Private scopes whose packages may be plugins (`@autoarr-premium`). */
  allowScopes?: readonly string[];
}

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [MANIFEST_KEY]?: unknown;
}

function readJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/**
 * Finds plugin candidates and validates their manifests, importing nothing. Every candidate gets
 * a record: a broken one is reported, never thrown, so one bad plugin cannot take the host down.
 */
export function discoverPlugins(options: DiscoverPluginsOptions): PluginRecord[] {
  const appRoot = resolve(options.appRoot);
  const allowScopes = new Set(options.allowScopes ?? []);
  const candidates = new Map<string, { source: PluginSource; strict: boolean }>();
  const records: PluginRecord[] = [];

  for (const ref of options.plugins ?? []) {
    const name = typeof ref === 'string' ? ref : ref.package;
    const strict = typeof ref === 'string' ? false : ref.strict === true;
    const scope = scopeOf(name);
    // Listing a package does not allowlist its scope: a private scope is trusted only through allowScopes.
    if (scope !== undefined && !matchesPluginName(name) && !allowScopes.has(scope)) {
      records.push(blank(name, 'config', strict, {
        status: 'ignored',
        reason: `scope ${scope} is not allowlisted: add "${scope}" to "allowScopes" in the autoarr-llm config to load it`,
      }));
      continue;
    }
    candidates.set(name, { source: 'config', strict });
  }
  const listed = new Set(records.map((r) => r.package));

  let appPkg: PackageJson = {};
  try {
    appPkg = readJson(join(appRoot, 'package.json'));
  } catch {
    // An app without package.json can still name plugins in its config.
  }
  const deps = new Set([
    ...Object.keys(appPkg.dependencies ?? {}),
    ...Object.keys(appPkg.optionalDependencies ?? {}),
    ...Object.keys(appPkg.devDependencies ?? {}),
  ]);
  for (const name of [...deps].sort()) {
    if (candidates.has(name) || listed.has(name)) continue;
    const scope = scopeOf(name);
    if (matchesPluginName(name)) {
      candidates.set(name, { source: 'dependency', strict: false });
    } else if (scope !== undefined && allowScopes.has(scope)) {
      // Allowlisted private scope: a member is a plugin only if it carries a manifest.
      if (readManifestField(appRoot, name) !== undefined) candidates.set(name, { source: 'scope', strict: false });
    } else if (scope !== undefined && scope !== '@autoarr-llm' && readManifestField(appRoot, name) !== undefined) {
      records.push(blank(name, 'dependency', false, {
        status: 'ignored',
        reason: `scope ${scope} is not allowlisted: add "${scope}" to "allowScopes" in the autoarr-llm config to load it`,
      }));
    }
  }

  for (const [name, { source, strict }] of candidates) records.push(inspectCandidate(appRoot, name, source, strict));
  settleDuplicates(records);
  return records;
}

function readManifestField(appRoot: string, name: string): unknown {
  const dir = findPackageDir(appRoot, name);
  if (!dir) return undefined;
  try {
    return readJson(join(dir, 'package.json'))[MANIFEST_KEY];
  } catch {
    return undefined;
  }
}

function blank(name: string, source: PluginSource, strict: boolean, extra: Partial<PluginRecord>): PluginRecord {
  return {
    package: name,
    provider: undefined,
    version: undefined,
    source,
    status: 'failed',
    tier: undefined,
    dir: undefined,
    manifest: undefined,
    reason: undefined,
    warnings: [],
    strict,
    ...extra,
  };
}

function inspectCandidate(appRoot: string, name: string, source: PluginSource, strict: boolean): PluginRecord {
  const dir = findPackageDir(appRoot, name);
  if (!dir) {
    return blank(name, source, strict, {
      status: 'not-installed',
      reason:
        source === 'config'
          ? `listed in the config's "plugins" but not installed in ${appRoot} (install it: npm install ${name})`
          : `listed in ${join(appRoot, 'package.json')} but not installed (run your package manager's install)`,
    });
  }
  let pkg: PackageJson;
  try {
    pkg = readJson(join(dir, 'package.json'));
  } catch (error) {
    return blank(name, source, strict, { dir, reason: `its package.json cannot be read: ${(error as Error).message}` });
  }
  const record = blank(name, source, strict, { dir, version: pkg.version });
  const raw = pkg[MANIFEST_KEY];
  if (raw === undefined) {
    record.reason = `its package.json has no "${MANIFEST_KEY}" manifest: it is not an autoarr-llm plugin`;
    return record;
  }
  const parsed = PluginManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    record.reason = `invalid "${MANIFEST_KEY}" manifest: ${issue?.path.join('.') || '(manifest)'}: ${issue?.message}`;
    return record;
  }
  const manifest = parsed.data;
  record.manifest = manifest;
  record.provider = manifest.provider;
  record.tier = manifest.tier;
  if (manifest.apiVersion !== PROVIDER_API_VERSION) {
    record.reason = `implements provider API v${manifest.apiVersion}, but this ${CORE_PACKAGE_NAME} (${CORE_VERSION}) supports v${PROVIDER_API_VERSION}: install a version of ${name} built for it`;
    return record;
  }
  if (entryOutside(dir, manifest.entry)) {
    record.reason = `manifest entry ${manifest.entry} points outside the package`;
    return record;
  }
  const range = pkg.peerDependencies?.[CORE_PACKAGE_NAME];
  if (range === undefined) {
    record.warnings.push(`does not declare ${CORE_PACKAGE_NAME} as a peerDependency`);
  } else if (validRange(range) && !satisfies(CORE_VERSION, range, { includePrerelease: true })) {
    record.warnings.push(`expects ${CORE_PACKAGE_NAME}@${range}; this host has ${CORE_VERSION}`);
  }
  record.status = 'discovered';
  return record;
}

function settleDuplicates(records: PluginRecord[]): void {
  const byProvider = new Map<string, PluginRecord[]>();
  for (const r of records) {
    if (r.status !== 'discovered' || r.provider === undefined) continue;
    byProvider.set(r.provider, [...(byProvider.get(r.provider) ?? []), r]);
  }
  for (const [provider, group] of byProvider) {
    if (group.length < 2) continue;
    group.sort((a, b) => precedenceRank(a.source, a.package) - precedenceRank(b.source, b.package) || a.package.localeCompare(b.package));
    const [winner, ...losers] = group;
    for (const loser of losers) {
      loser.status = 'duplicate';
      loser.reason = `provider "${provider}" is served by ${winner?.package} instead (config-listed beats official @autoarr-llm beats allowlisted scope beats third-party; then alphabetical)`;
    }
  }
}

/**
 * Whether a manifest entry leaves its package: by its path, or through a symlink (an entry linked
 * to a file elsewhere would run code the package does not hold). `dir` is already a real path.
 * An entry that does not exist yet is judged by its path; importing it fails later with the reason.
 */
export function entryOutside(dir: string, entry: string): boolean {
  const inside = (path: string) => {
    const rel = relative(dir, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..');
  };
  const path = resolve(dir, entry);
  if (!inside(path)) return true;
  try {
    return !inside(realpathSync(path));
  } catch {
    return false;
  }
}
