import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The interactions with a plugin that the host bounds (see `boundedPluginCall`). */
export type PluginStage = 'import' | 'create' | 'isAvailable' | 'healthCheck' | 'getModels' | 'dispose';

/**
 * A plugin did not answer within the host's bound for that stage (its import, `create()`,
 * `isAvailable()`, `healthCheck()`, `getModels()` or `dispose()`). The host stopped waiting: whatever
 * the plugin returns later is discarded (a provider created late is disposed).
 */
export class PluginTimeoutError extends LLMError {
  static readonly code = 'PLUGIN_TIMEOUT';
  static override readonly isInstance = isInstanceByCode<PluginTimeoutError>(PluginTimeoutError.code);
  /** The plugin's package (or the provider's name when it was registered in code). */
  readonly plugin: string;
  readonly stage: PluginStage;
  readonly timeoutMs: number;
  constructor(plugin: string, stage: PluginStage, timeoutMs: number, options: LLMErrorOptions = {}) {
    const who = options.provider && options.provider !== plugin ? `Plugin ${plugin} (provider "${options.provider}")` : `Plugin ${plugin}`;
    const what = stage === 'import' ? 'finish importing' : `answer ${stage}()`;
    // A hung plugin may answer next time (a daemon waking up): another call can try again.
    super(PluginTimeoutError.code, `${who} did not ${what} within ${timeoutMs} ms`, { retryable: true, ...options });
    this.name = 'PluginTimeoutError';
    this.plugin = plugin;
    this.stage = stage;
    this.timeoutMs = timeoutMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), plugin: this.plugin, stage: this.stage, timeoutMs: this.timeoutMs };
  }
}
