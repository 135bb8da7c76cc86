export { MockProvider, type MockProviderOptions, type MockCall } from './mock-provider.js';
export type { Scenario, ErrorKind, NormalizedRequest, ScriptedToolCall } from './scenario.js';
export { scenarioText } from './scenario.js';
export { EXPECTED_ERROR, errorForKind } from './error-for-kind.js';
export { abortableSleep, waitForAbort } from './abortable-sleep.js';
export { mockHarness } from './mock-harness.js';
export * from './servers/anthropic-stand-in-server.js';
export * from './servers/ollama-stand-in-server.js';
