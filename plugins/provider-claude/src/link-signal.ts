/** A controller of one's own that follows `outer`; `dispose` (or `release`) removes the listener from `outer`. */
export function linkSignal(outer: AbortSignal): { signal: AbortSignal; dispose(): void; release(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.reason);
  if (outer.aborted) controller.abort(outer.reason);
  else outer.addEventListener('abort', onAbort, { once: true });
  const dispose = () => outer.removeEventListener('abort', onAbort);
  return { signal: controller.signal, dispose, release: dispose };
}
