import type { AutoarrLlmConfig } from './config-schema.js';
import type { Layer, SourceLabel } from './layered-values.js';

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
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The raw layers (file, options) for provider settings, which plugins validate later. */
  readonly layers: readonly Layer[];
}
