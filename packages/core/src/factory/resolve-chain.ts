import type { ResolvedConfig } from '../config/resolved-config.js';
import { FREE_DEFAULT_CHAIN, PREMIUM_DEFAULT_CHAIN } from '../config/config-schema.js';
import { sourceOf } from '../config/layered-values.js';

export interface ChainPlan {
  /** Providers in the order they are tried. */
  order: string[];
  /** Why this order, in words (for `doctor`). */
  reason: string;
  fallbackEnabled: boolean;
  /** The premium chain applies (a premium plugin is installed and not known to be unlicensed). */
  premium: boolean;
}

/** What is known of the installed premium plugins when the chain is computed. */
export interface PremiumState {
  /** A premium plugin is installed (and allowlisted). */
  installed: boolean;
  /** Premium providers that refused to start for want of a valid license. */
  unlicensed?: readonly string[];
}

/**
 * Decides the provider order: an explicit name, else `LLM_PROVIDER`, else `LLM_FALLBACK_ORDER`,
 * else the default chain (free: ollama → claude; premium: custom → claude). With fallback enabled
 * a chosen provider is followed by the rest of the order; with it disabled only one is used.
 *
 * An unlicensed premium install acts as the free build: its premium providers stay in the order
 * (they are tried, and skipped with the license reason) and the free chain follows them in the
 * free chain's own order, so a paid provider never moves ahead of a local one. This is the one
 * place the order is decided; the factory, `doctor` and `complete` all use it.
 */
export function resolveChain(config: ResolvedConfig, premium: PremiumState | boolean, explicitName?: string): ChainPlan {
  const { installed, unlicensed = [] } = typeof premium === 'boolean' ? { installed: premium } : premium;
  const { fallback, provider } = config.values;
  const configuredOrder = fallback.order && fallback.order.length > 0 ? fallback.order : undefined;
  const unlicensedPremium = installed && unlicensed.length > 0;
  let base: string[];
  let baseReason: string;
  if (configuredOrder) {
    base = unlicensedPremium ? withFreeChainAfter(configuredOrder, unlicensed) : [...configuredOrder];
    baseReason = `fallback order from ${sourceOf(config.sources, 'fallback.order')}${unlicensedPremium ? `; ${unlicensed.join(', ')} unlicensed, so the free chain follows` : ''}`;
  } else if (unlicensedPremium) {
    base = [...PREMIUM_DEFAULT_CHAIN.filter((p) => unlicensed.includes(p)), ...FREE_DEFAULT_CHAIN];
    baseReason = `free default chain (premium plugin installed but ${unlicensed.join(', ')} unlicensed)`;
  } else if (installed) {
    base = [...PREMIUM_DEFAULT_CHAIN];
    baseReason = 'premium default chain (a premium plugin is installed)';
  } else {
    base = [...FREE_DEFAULT_CHAIN];
    baseReason = 'free default chain';
  }
  const premiumChain = installed && !unlicensedPremium;
  const chosen = explicitName ?? provider;
  if (chosen) {
    const why = explicitName ? `provider "${chosen}" asked for in code` : `provider "${chosen}" from ${sourceOf(config.sources, 'provider')}`;
    return fallback.enabled
      ? { order: [chosen, ...base.filter((p) => p !== chosen)], reason: `${why}, then the ${baseReason}`, fallbackEnabled: true, premium: premiumChain }
      : { order: [chosen], reason: `${why}; fallback disabled`, fallbackEnabled: false, premium: premiumChain };
  }
  return fallback.enabled
    ? { order: base, reason: baseReason, fallbackEnabled: true, premium: premiumChain }
    : { order: base.slice(0, 1), reason: `first of the ${baseReason}; fallback disabled`, fallbackEnabled: false, premium: premiumChain };
}

/**
 * A configured order with the free chain placed right after its last unlicensed premium member:
 * the free chain's members move there, in the free chain's order, ahead of anything paid that
 * followed the premium provider.
 */
function withFreeChainAfter(order: readonly string[], unlicensed: readonly string[]): string[] {
  const free: readonly string[] = FREE_DEFAULT_CHAIN;
  const lastPremium = Math.max(...order.map((p, i) => (unlicensed.includes(p) ? i : -1)));
  if (lastPremium < 0) return [...order];
  const head = order.slice(0, lastPremium + 1);
  const tail = order.slice(lastPremium + 1).filter((p) => !free.includes(p));
  return [...head, ...free.filter((p) => !head.includes(p)), ...tail];
}
