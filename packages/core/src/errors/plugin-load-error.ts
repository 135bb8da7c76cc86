import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

export type PluginProblem =
  | 'not-installed'
  | 'bad-manifest'
  | 'api-version'
  | 'import-failed'
  | 'bad-export'
  | 'duplicate'
  | 'name-mismatch'
  | 'create-failed'
  | 'unknown-provider';

/** A plugin could not be found, validated or imported. `plugin` names the package (or provider). */
export class PluginLoadError extends LLMError {
  static readonly code = 'PLUGIN_LOAD_FAILED';
  static override readonly isInstance = isInstanceByCode<PluginLoadError>(PluginLoadError.code);
  readonly plugin: string;
  readonly problem: PluginProblem;
  constructor(plugin: string, problem: PluginProblem, message: string, options: LLMErrorOptions = {}) {
    super(PluginLoadError.code, message, { retryable: false, ...options });
    this.name = 'PluginLoadError';
    this.plugin = plugin;
    this.problem = problem;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), plugin: this.plugin, problem: this.problem };
  }
}
