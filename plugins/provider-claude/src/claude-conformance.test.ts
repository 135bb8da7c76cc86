import { describeProviderConformance } from '@autoarr-llm/testkit/conformance';
import { claudeHarness } from './claude-harness.test-helper.js';

// API version 2026-10-21 (the SDK's default) rejects temperature, which the suite requires to be
// passed through; 2023-06-01 is the newest version that accepts it. The default-version behaviour
// (temperature left out) is covered in claude-provider.test.ts.
describeProviderConformance('claude', () => claudeHarness({ apiVersion: '2023-06-01' }));
