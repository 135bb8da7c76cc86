import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMResponse, Usage } from '../contract/response.js';
import type { RouteSummary } from '../contract/route-summary.js';
import type { AttemptRecord } from './call-context.js';
import type { LedgerEntry } from './usage-ledger.js';

/**
 * What the pipeline emits after every call: for logging, cost tracking and quality monitoring.
 * Built only when someone listens (`onCall`, or a call sink such as the call log): a call nobody
 * records pays nothing for it.
 */
export interface CallEvent {
  /** Unique id of the call (the call log stores it under this id). */
  id: string;
  /** Epoch milliseconds at which the call started. */
  startedAt: number;
  /** The provider that answered (or, on failure, the chain's primary). */
  provider: string;
  model: string | undefined;
  /** The providers the call could use, in order. */
  chain: readonly string[];
  outcome: 'success' | 'error';
  errorCode: string | undefined;
  /** The error the caller got (its message is scrubbed of known secrets). */
  error: unknown;
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
  /** The validated request (read-only: sinks copy what they keep). */
  messages: readonly LLMMessage[];
  /** The validated call options, with the caller's `tags` and `logContent`. */
  options: ResolvedCallOptions;
  /** The answer, on success. */
  response: LLMResponse | undefined;
  /** What a stream delivered before it was cut. */
  partialText: string | undefined;
  /** Why the router chose the provider/model (routed calls; undefined otherwise). */
  route: RouteSummary | undefined;
}

export type CallListener = (event: CallEvent) => void;
