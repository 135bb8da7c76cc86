export { describeProviderConformance } from './describe-provider-conformance.js';
export type { ConformanceHarness } from './conformance-harness.js';
