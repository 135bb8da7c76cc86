import { describeProviderConformance } from './conformance/describe-provider-conformance.js';
import { mockHarness } from './mock-harness.js';

describeProviderConformance('mock', async () => mockHarness());
