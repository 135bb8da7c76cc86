import { z } from 'zod';
import { PROVIDER_API_VERSION, type LLMProvider } from '../contract/llm-provider.js';
import type { PluginContext } from './plugin-context.js';
import type { StandardSchemaV1 } from './standard-schema.js';

const BRAND = Symbol.for('autoarr-llm.plugin');

export type PluginTier = 'free' | 'premium';

export interface PluginDefinition<TSettings = unknown> {
  /** The provider name users select (`LLM_PROVIDER=<name>`). */
  name: string;
  /** The provider contract version this plugin implements (`PROVIDER_API_VERSION`). */
  apiVersion: number;
  tier?: PluginTier;
  description?: string;
  /** Validates the provider's settings (any Standard Schema: zod, valibot, …). */
  configSchema: StandardSchemaV1<unknown, TSettings>;
  /** Environment variables this plugin reads: `{ OLLAMA_URL: 'baseUrl' }` (settings key, dotted). */
  env?: Readonly<Record<string, string>>;
  /** Settings keys holding secrets, masked wherever configuration is printed. */
  secretKeys?: readonly string[];
  create(settings: TSettings, context: PluginContext): LLMProvider | Promise<LLMProvider>;
}

export interface ProviderPlugin<TSettings = unknown> extends Readonly<Required<Pick<PluginDefinition<TSettings>, 'name' | 'apiVersion' | 'tier' | 'configSchema' | 'create'>>> {
  readonly description: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  readonly [BRAND]: true;
}

const DefinitionShape = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'provider names are lower-case letters, digits and dashes'),
  apiVersion: z.number().int().positive(),
  tier: z.enum(['free', 'premium']).optional(),
  env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string().min(1)).optional(),
  create: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', 'create must be a function'),
  configSchema: z.custom((v) => typeof v === 'object' && v !== null && '~standard' in v, 'configSchema must be a Standard Schema (zod 4, valibot, …)'),
});

/**
 * Defines a provider plugin: the default export of a plugin package's entry. The host recognises
 * the result by a brand (not a class), so plugins built against another copy of core still load.
 */
export function definePlugin<TSettings>(definition: PluginDefinition<TSettings>): ProviderPlugin<TSettings> {
  const checked = DefinitionShape.safeParse(definition);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new TypeError(`definePlugin(${String(definition?.name)}): ${issue?.path.join('.') || 'definition'}: ${issue?.message}`);
  }
  return Object.freeze({
    name: definition.name,
    apiVersion: definition.apiVersion,
    tier: definition.tier ?? 'free',
    description: definition.description,
    configSchema: definition.configSchema,
    env: Object.freeze({ ...(definition.env ?? {}) }),
    secretKeys: Object.freeze([...(definition.secretKeys ?? [])]),
    create: definition.create,
    [BRAND]: true as const,
  });
}

export function isProviderPlugin(value: unknown): value is ProviderPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export { PROVIDER_API_VERSION };
