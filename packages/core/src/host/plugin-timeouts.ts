import { z } from 'zod';
import { envDurationMs } from '../config/env-schemas.js';

// One schema for every key (schemas are immutable): building a zod schema is start-up time.
// Capped at the longest timer Node can set: a bound beyond it would end every call at once.
const ms = envDurationMs();

/**
 * How long the host waits for each interaction with a plugin (`pluginTimeouts` in the config).
 * Core enforces these itself, on a timer of its own: a plugin that never answers cannot hang the
 * host, whatever it does with the signals it is given.
 */
export const PluginTimeoutsSchema = z
  .object({
    /** Importing the plugin's entry module. */
    importMs: ms.default(15_000),
    /** `plugin.create(settings, context)`. */
    createMs: ms.default(15_000),
    /** `provider.isAvailable()` (the providers' own checks give up after 3 s by default). */
    isAvailableMs: ms.default(10_000),
    /** `provider.healthCheck()`. */
    healthCheckMs: ms.default(10_000),
    /** `provider.getModels()`. */
    getModelsMs: ms.default(30_000),
    /** `provider.dispose()`: past it the host stops waiting and goes on shutting down. */
    disposeMs: ms.default(5_000),
    /**
     * Once a call's deadline passed or it was aborted, how long its provider has to stop before the
     * host ends the call itself with the typed error (and cuts a stream that goes on yielding).
     */
    abortGraceMs: ms.default(1_000),
  })
  .strict();

export type PluginTimeouts = z.output<typeof PluginTimeoutsSchema>;

/** The defaults, for hosts built without a loaded configuration. */
export const DEFAULT_PLUGIN_TIMEOUTS: PluginTimeouts = PluginTimeoutsSchema.parse({});
