import { describeProviderConformance } from '@autoarr-llm/testkit/conformance';
import { openAICompatibleHarness } from './test-support/openai-compatible-harness.js';

// The shared suite every provider plugin runs: completion, streaming, tools, cancellation, every
// scripted backend failure, health, models and secret hygiene, against the stand-in server.
describeProviderConformance('openai-compatible', () => openAICompatibleHarness());
