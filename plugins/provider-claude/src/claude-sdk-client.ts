import Anthropic from '@anthropic-ai/sdk';
import { onCallAbort, type CallAbort } from '@autoarr-llm/core';

/** The key under which a request's cancellation rides in its `fetchOptions` to `fetchWithTimeout`. */
export const REQUEST_CANCEL: unique symbol = Symbol('autoarr-llm.claude.requestCancel');

/** A request's cancellation, and (once the request is sent) how to drop the link. */
export class RequestCancel {
  readonly abort: CallAbort;
  unlink: (() => void) | undefined;

  constructor(abort: CallAbort) {
    this.abort = abort;
  }

  /** The request is over: drop the link to the SDK's controller. */
  release(): void {
    this.unlink?.();
    this.unlink = undefined;
  }
}

type FetchWithTimeout = Anthropic['fetchWithTimeout'];

/**
 * The SDK client, with a request's cancellation linked straight to the controller the SDK creates
 * for each request (`fetchWithTimeout` is the SDK's public hook for sending one). A call through
 * the pipeline is cancelled through its scope: no AbortSignal of its own, and no listener of the
 * SDK's on one to release. Requests without a `RequestCancel` are sent exactly as the SDK does.
 */
export class ClaudeSdkClient extends Anthropic {
  override fetchWithTimeout(...args: Parameters<FetchWithTimeout>): ReturnType<FetchWithTimeout> {
    const controller = args[3];
    const cancel = (args[4]?.fetchOptions as { [REQUEST_CANCEL]?: RequestCancel } | undefined)?.[REQUEST_CANCEL];
    if (cancel) {
      cancel.unlink?.();
      if (cancel.abort.aborted) controller.abort(cancel.abort.reason);
      else cancel.unlink = onCallAbort(cancel.abort, (reason) => controller.abort(reason));
    }
    return super.fetchWithTimeout(...args);
  }
}
