/** Official plugins: `@autoarr-llm/provider-<name>`. */
export const OFFICIAL_PATTERN = /^@autoarr-llm\/provider-[a-z0-9][a-z0-9-]*$/;
/** Third-party plugins: `autoarr-llm-provider-<name>` or `@scope/autoarr-llm-provider-<name>`. */
export const THIRD_PARTY_PATTERN = /^(@[a-z0-9][a-z0-9._~-]*\/)?autoarr-llm-provider-[a-z0-9][a-z0-9._-]*$/;

export function scopeOf(packageName: string): string | undefined {
  return packageName.startsWith('@') ? packageName.slice(0, packageName.indexOf('/')) : undefined;
}

/** Is this dependency a plugin candidate by name alone (official or third-party pattern)? */
export function matchesPluginName(packageName: string): boolean {
  return OFFICIAL_PATTERN.test(packageName) || THIRD_PARTY_PATTERN.test(packageName);
}

/**
 * Ranking for two packages claiming one provider name (lower wins): programmatic registration,
 * then a package listed in the config's `plugins`, then the official `@autoarr-llm` scope, then an
 * allowlisted private scope, then third-party; ties go to the alphabetically first package name.
 */
export function precedenceRank(source: string, packageName: string): number {
  if (source === 'registered') return 0;
  if (source === 'config') return 1;
  if (OFFICIAL_PATTERN.test(packageName)) return 2;
  if (source === 'scope') return 3;
  return 4;
}
