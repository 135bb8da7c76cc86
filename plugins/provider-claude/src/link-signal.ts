/** A controller of one's own that follows `outer`; `release` removes the listener from `outer`. */
export function linkSignal(outer: AbortSignal): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.reason);
  if (outer.aborted) controller.abort(outer.reason);
  else outer.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, release: () => outer.removeEventListener('abort', onAbort) };
}
