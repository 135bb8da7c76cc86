/**
 * A failure read off the wire, before it is typed: an HTTP error answer, an error event inside a
 * stream, or a body outside the wire format. Only the fields the mapping needs are kept (never the
 * raw body, which may echo request details).
 */
export class OpenAIWireError extends Error {
  constructor(
    readonly kind: 'http' | 'stream-error' | 'malformed',
    message: string,
    readonly details: { status?: number | undefined; type?: string | undefined; code?: string | undefined; retryAfterMs?: number | undefined } = {},
  ) {
    super(message);
    this.name = 'OpenAIWireError';
  }
}
