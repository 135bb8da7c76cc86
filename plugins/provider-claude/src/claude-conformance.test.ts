import { describeProviderConformance } from '@autoarr-llm/testkit/conformance';
import { claudeHarness } from './claude-harness.test-helper.js';

// API version 2026-10-21 (the SDK's default) rejects temperature, which the suite requires to be
// passed through; 2023-06-01 is the newest version that accepts it.
describeProviderConformance('claude', () => claudeHarness({ apiVersion: '2023-06-01' }));

// The SDK's default API version rejects sampling parameters: the provider must leave them out, and
// everything else in the suite still holds.
describeProviderConformance('claude (default API version)', async () => ({ ...(await claudeHarness()), sampling: false }));
