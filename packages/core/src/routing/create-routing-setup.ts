import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BudgetGuard } from '../budget/budget-guard.js';
import type { PriceTable } from '../cost/price-table.js';
import { ConfigValidationError } from '../errors/config-validation-error.js';
import type { CustomRouter } from './custom-router.js';
import type { RoutingSetup } from './routed-chain.js';
import { Router } from './router.js';
import type { RoutingConfig } from './routing-config.js';

export interface RoutingSetupOptions {
  routing: RoutingConfig | undefined;
  guard: BudgetGuard | undefined;
  prices: PriceTable;
  appRoot: string;
  /** A provider was chosen explicitly (a name in code, or `LLM_PROVIDER`): it wins over routing. */
  explicit: boolean;
  /** A custom router given in code (over `routing.router`). */
  customRouter?: CustomRouter | undefined;
}

/** Whether routing is configured and on (tiers with candidates). */
export function routingActive(routing: RoutingConfig | undefined): routing is RoutingConfig {
  return routing !== undefined && routing.enabled && Object.values(routing.tiers).some((t) => (t?.length ?? 0) > 0);
}

/**
 * The routing layer of a chain, or undefined when neither routing nor budgets are configured (the
 * chain is then exactly what it was without them).
 */
export async function createRoutingSetup(o: RoutingSetupOptions): Promise<RoutingSetup | undefined> {
  const routed = routingActive(o.routing) && !o.explicit;
  if (!routed && !o.guard) return undefined;
  let router: Router | undefined;
  if (routed) {
    const routing = o.routing as RoutingConfig;
    const custom = o.customRouter ?? (routing.router ? await loadCustomRouter(routing.router, o.appRoot) : undefined);
    router = new Router(routing, o.prices, custom);
  }
  return { router, guard: o.guard, prices: o.prices };
}

async function loadCustomRouter(specifier: string, appRoot: string): Promise<CustomRouter> {
  const path = specifier.startsWith('.') || isAbsolute(specifier) ? resolve(appRoot, specifier) : createRequire(join(appRoot, 'package.json')).resolve(specifier);
  let loaded: unknown;
  try {
    loaded = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new ConfigValidationError([{ key: 'routing.router', source: 'config', message: `could not load ${specifier}: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const fn = (loaded as { default?: unknown; router?: unknown }).default ?? (loaded as { router?: unknown }).router;
  if (typeof fn !== 'function') throw new ConfigValidationError([{ key: 'routing.router', source: 'config', message: `${specifier} exports no router function (default export or "router")` }]);
  return fn as CustomRouter;
}
