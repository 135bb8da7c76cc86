import type { LLMProvider } from '@autoarr-llm/core';
import type { ErrorKind, NormalizedRequest, Scenario } from '../scenario.js';

/**
 * What a provider's test gives the conformance suite: a provider wired to a scripted backend (a
 * stand-in server speaking the provider's wire format, or an in-process script), and a way to
 * script that backend and read what it received.
 */
export interface ConformanceHarness {
  /** A new provider talking to the scripted backend. */
  createProvider(): Promise<LLMProvider>;
  /** Script the backend's next answers, one per request. */
  arrange(...scenarios: Scenario[]): void;
  /** The last request the backend received, provider-neutral. */
  lastRequest(): NormalizedRequest | undefined;
  /** Requests the backend is still serving (a cancelled request must leave this count). */
  inFlight(): number;
  /** A provider whose backend cannot be reached at all (for `isAvailable` / `healthCheck`). */
  createUnreachableProvider?(): Promise<LLMProvider>;
  /** Failures this backend can produce; the rest are skipped with the reason. Default: all. */
  errorKinds?: readonly ErrorKind[];
  /** A secret (API key) the provider holds: it must appear in no error, log or printed form. */
  canarySecret?: string;
  /** Lines the provider logged, to check for the canary. */
  capturedLogs?(): string[];
  /** The model id the provider uses by default. */
  defaultModel: string;
  /**
   * Whether the backend accepts sampling parameters (temperature). False for APIs that reject them,
   * where the provider must leave them out: the suite then checks that none is sent. Default true.
   */
  sampling?: boolean;
  /** Whether scripted text is returned verbatim (false for real models). Default true. */
  scriptedText?: boolean;
  close(): Promise<void>;
}
