import { z } from 'zod';

/**
 * The key of the static manifest in a plugin's package.json. It differs from the app-config key
 * (`autoarr-llm`) so a package.json is never mistaken for the other kind.
 */
export const MANIFEST_KEY = 'autoarr-llm-plugin';

/** The static manifest the host reads before importing anything. */
export const PluginManifestSchema = z.object({
  apiVersion: z.number().int().positive(),
  /** The provider name this plugin serves (`LLM_PROVIDER=<provider>`). */
  provider: z.string().regex(/^[a-z][a-z0-9-]*$/, 'provider names are lower-case letters, digits and dashes'),
  /** The module whose default export is the plugin, relative to the package root. */
  entry: z.string().regex(/^\.\//, 'entry must be a relative path starting with ./'),
  tier: z.enum(['free', 'premium']).default('free'),
  displayName: z.string().optional(),
});
export type PluginManifest = z.output<typeof PluginManifestSchema>;
