import type { PluginManifest } from './plugin-manifest.js';

/** How a candidate came to be considered. */
export type PluginSource = 'config' | 'dependency' | 'scope' | 'registered';

/**
 * `discovered`: manifest valid, not imported yet (imports happen only when the provider is selected).
 * `loaded`: imported and valid. `failed`/`not-installed`/`duplicate`/`ignored`: see `reason`.
 */
export type PluginStatus = 'discovered' | 'loaded' | 'failed' | 'not-installed' | 'duplicate' | 'ignored';

/** One line of the load report (what `autoarr-llm doctor` prints). */
export interface PluginRecord {
  /** The package name (or `(registered)` for programmatic registrations). */
  package: string;
  provider: string | undefined;
  version: string | undefined;
  source: PluginSource;
  status: PluginStatus;
  tier: 'free' | 'premium' | undefined;
  /** The package folder, after symlinks. */
  dir: string | undefined;
  manifest: PluginManifest | undefined;
  /** Why it failed, or was skipped. */
  reason: string | undefined;
  warnings: string[];
  /** Configured with `strict: true`: a failure fails the host. */
  strict: boolean;
}
