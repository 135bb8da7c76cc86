import type { AutoarrLlmConfig } from './config-schema.js';
import type { Layer, SourceLabel } from './layered-values.js';
import type { Secret } from '../secret/secret.js';

/** Environment variables as configuration reads them: secret ones (`*_API_KEY`, `*_TOKEN`, `*_LICENSE`, …) held in a `Secret`. */
export type ConfigEnv = Readonly<Record<string, string | Secret | undefined>>;

/** The effective configuration, with where each value came from. */
export interface ResolvedConfig {
  readonly values: AutoarrLlmConfig;
  /** The application's root: the config file's folder, else the nearest folder with a package.json, else cwd. */
  readonly appRoot: string;
  /** The config file that was read, if any. */
  readonly configFile: string | undefined;
  /** Per leaf key, where its value came from. */
  readonly sources: ReadonlyMap<string, SourceLabel>;
  /** The environment configuration was read from (providers read their own variables from it). */
  readonly env: ConfigEnv;
  /** The raw layers (file, options) for provider settings, which plugins validate later. */
  readonly layers: readonly Layer[];
}
