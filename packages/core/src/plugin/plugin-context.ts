import type { ConfigEnv } from '../config/resolved-config.js';
import type { Logger } from '../logging/logger.js';

/**
 * What the host gives a plugin's `create`: deliberately narrow, so plugins never reach into the
 * host's container or configuration.
 */
export interface PluginContext {
  /** The host's logger (secrets are scrubbed from what it writes). */
  readonly logger: Logger;
  /** The application's root folder (where its package.json and config file are). */
  readonly appRoot: string;
  /** The environment the host was configured from; secret variables (`*_API_KEY`, `*_TOKEN`, `*_LICENSE`, …) are `Secret`s. */
  readonly env: ConfigEnv;
  /**
   * Values the host application hands to plugins in code (never from a file or an environment
   * variable), by key. Premium plugins read their license verification key override here in tests.
   */
  readonly services: ReadonlyMap<string, unknown>;
}
