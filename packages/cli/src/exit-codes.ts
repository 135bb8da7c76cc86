/** The command's exit codes (documented in docs/cli.md). */
export const EXIT = {
  OK: 0,
  /** An unexpected failure. */
  ERROR: 1,
  /** Bad command line: unknown command or flag, missing argument. */
  USAGE: 2,
  /** The configuration is invalid. */
  CONFIG: 3,
  /** No provider could serve. */
  NO_PROVIDER: 4,
  /** The provider failed the request (auth, rate limit, model not found, …). */
  PROVIDER: 5,
} as const;
