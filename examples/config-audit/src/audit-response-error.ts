/** The model's answer was not a valid audit: the raw answer is kept for diagnosis. */
export class AuditResponseError extends Error {
  readonly code = 'AUDIT_RESPONSE_INVALID';
  readonly raw: string;
  readonly provider: string;
  constructor(message: string, raw: string, provider: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AuditResponseError';
    this.raw = raw;
    this.provider = provider;
  }
}
