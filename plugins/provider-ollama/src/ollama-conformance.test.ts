import { describeProviderConformance } from '@autoarr-llm/testkit/conformance';
import { ollamaHarness } from './test-support/ollama-harness.js';

describeProviderConformance('ollama', () => ollamaHarness());
