import { AbortedError } from '../errors/aborted-error.js';
import { PluginTimeoutError, type PluginStage } from '../errors/plugin-timeout-error.js';
import { boundedCall } from './bounded-call.js';

/** Which plugin a bounded call talks to (named in the error when it does not answer). */
export interface PluginCallTarget {
  /** The plugin's package (or the provider's name when it was registered in code). */
  plugin: string;
  provider?: string | undefined;
}

export interface BoundedPluginCallOptions<T> {
  /** The caller's cancellation: the call ends at once with an `AbortedError` when it fires. */
  signal?: AbortSignal | undefined;
  /** Receives what the plugin returns after the host stopped waiting (to dispose of it). */
  onLate?: ((value: T) => void) | undefined;
}

/**
 * One interaction with a plugin (its import, `create()`, `isAvailable()`, `healthCheck()`,
 * `getModels()`, `dispose()`) under a bound the host enforces itself (see `boundedCall`): a plugin
 * that never settles, or ignores the signal it was given, cannot hang the host. On timeout the call
 * rejects with a `PluginTimeoutError` naming the plugin and the stage.
 */
export function boundedPluginCall<T>(
  stage: PluginStage,
  target: PluginCallTarget,
  work: () => T | PromiseLike<T>,
  ms: number,
  options: BoundedPluginCallOptions<T> = {},
): Promise<T> {
  return boundedCall(work, ms, () => new PluginTimeoutError(target.plugin, stage, ms, { provider: target.provider }), {
    signal: options.signal,
    onLate: options.onLate,
    aborted: (reason) =>
      new AbortedError(`${target.provider ?? target.plugin}: ${stage === 'import' ? 'loading the plugin' : `${stage}()`} was cancelled`, { provider: target.provider, cause: reason }),
  });
}
