import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { RequestFeatures } from './request-features.js';
import type { Tier } from './routing-config.js';

/** What a custom router is given: the request and the features the default one computed. */
export interface RouteRequest {
  messages: readonly LLMMessage[];
  options: ResolvedCallOptions;
  features: RequestFeatures;
}

/** A custom router's verdict: the tier, and optionally a score and a reason to report. */
export interface RouteVerdict {
  tier: Tier;
  score?: number;
  reason?: string;
}

/**
 * Replaces the default scorer (in code: `createProvider(undefined, { router })`; in config:
 * `routing.router`, a module whose default export is one). It picks the tier only: the capability
 * filter, cost order and budgets still apply, so it can never send a request where it cannot be
 * served. Synchronous: it runs before every call.
 */
export type CustomRouter = (request: RouteRequest) => RouteVerdict;
