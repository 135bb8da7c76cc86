// Socket-level failures that mean nothing is listening (or reachable) at the URL.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
// The connection broke while the answer was on its way.
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** The socket error code (`ECONNREFUSED`, …) of an error or of its causes (fetch wraps it). */
export function socketErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * What a network-level error means for a provider: `unreachable` (nothing answers at the URL: the
 * provider is unavailable), `broken` (the connection closed mid-answer: a server failure), or
 * undefined (not a network error this knows). `code` is the socket error code found.
 */
export function classifyNetworkFailure(error: unknown): { kind: 'unreachable' | 'broken'; code: string } | undefined {
  const code = socketErrorCode(error);
  if (code && UNREACHABLE.has(code)) return { kind: 'unreachable', code };
  if (code && BROKEN.has(code)) return { kind: 'broken', code };
  // undici reports a body cut mid-way as a bare TypeError('terminated').
  if (error instanceof TypeError && error.message === 'terminated') return { kind: 'broken', code: 'terminated' };
  return undefined;
}
