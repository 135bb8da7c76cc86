import type { Usage } from '../contract/response.js';
import type { RouteSummary } from '../contract/route-summary.js';
import type { AttemptRecord } from './call-context.js';
import type { LedgerEntry } from './usage-ledger.js';

/** What the pipeline emits after every call: for logging, cost tracking and quality monitoring. */
export interface CallEvent {
  /** The provider that answered (or, on failure, the chain's primary). */
  provider: string;
  model: string | undefined;
  outcome: 'success' | 'error';
  errorCode: string | undefined;
  durationMs: number;
  /** Streams: time to the first chunk. */
  firstChunkMs: number | undefined;
  streamed: boolean;
  cached: boolean;
  coalesced: boolean;
  usage: Usage | undefined;
  ledger: LedgerEntry | undefined;
  /** Every attempt on every provider, in order. */
  attempts: AttemptRecord[];
  /** Why the router chose the provider/model (routed calls; undefined otherwise). */
  route: RouteSummary | undefined;
}

export type CallListener = (event: CallEvent) => void;
