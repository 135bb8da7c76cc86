import type { ResolvedConfig } from '../config/resolved-config.js';
import { FREE_DEFAULT_CHAIN, PREMIUM_DEFAULT_CHAIN } from '../config/config-schema.js';
import { sourceOf } from '../config/layered-values.js';

export interface ChainPlan {
  /** Providers in the order they are tried. */
  order: string[];
  /** Why this order, in words (for `doctor`). */
  reason: string;
  fallbackEnabled: boolean;
  /** The premium chain applies (a premium plugin is installed). */
  premium: boolean;
}

/**
 * Decides the provider order: an explicit name, else `LLM_PROVIDER`, else `LLM_FALLBACK_ORDER`,
 * else the default chain (free: ollama → claude; premium: custom → claude). With fallback enabled
 * a chosen provider is followed by the rest of the order; with it disabled only one is used.
 */
export function resolveChain(config: ResolvedConfig, premiumInstalled: boolean, explicitName?: string): ChainPlan {
  const { fallback, provider } = config.values;
  const configuredOrder = fallback.order && fallback.order.length > 0 ? fallback.order : undefined;
  const base = configuredOrder ?? [...(premiumInstalled ? PREMIUM_DEFAULT_CHAIN : FREE_DEFAULT_CHAIN)];
  const baseReason = configuredOrder
    ? `fallback order from ${sourceOf(config.sources, 'fallback.order')}`
    : premiumInstalled
      ? 'premium default chain (a premium plugin is installed)'
      : 'free default chain';
  const chosen = explicitName ?? provider;
  if (chosen) {
    const why = explicitName ? `provider "${chosen}" asked for in code` : `provider "${chosen}" from ${sourceOf(config.sources, 'provider')}`;
    return fallback.enabled
      ? { order: [chosen, ...base.filter((p) => p !== chosen)], reason: `${why}, then the ${baseReason}`, fallbackEnabled: true, premium: premiumInstalled }
      : { order: [chosen], reason: `${why}; fallback disabled`, fallbackEnabled: false, premium: premiumInstalled };
  }
  return fallback.enabled
    ? { order: base, reason: baseReason, fallbackEnabled: true, premium: premiumInstalled }
    : { order: base.slice(0, 1), reason: `first of the ${baseReason}; fallback disabled`, fallbackEnabled: false, premium: premiumInstalled };
}

/** The free chain's members not yet in `order` (an unlicensed premium install acts as a free one). */
export function freeChainRemainder(order: readonly string[]): string[] {
  return FREE_DEFAULT_CHAIN.filter((p) => !order.includes(p));
}
