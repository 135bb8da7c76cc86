// The helpers live in core (providers use them too); the testkit keeps its names for tests.
export { abortableSleep, waitForAbort } from '@autoarr-llm/core';
