/** The command's exit codes (documented in docs/cli.md). */
export const EXIT = {
  OK: 0,
  /** An unexpected failure. */
  ERROR: 1,
  /** Bad command line: unknown command or flag, missing argument, a provider asked to do what it cannot. */
  USAGE: 2,
  /** The configuration is invalid. */
  CONFIG: 3,
  /** No provider could serve (unreachable, unconfigured, plugin not installed). */
  NO_PROVIDER: 4,
  /** The provider failed the request (auth, rate limit, model not found, …). */
  PROVIDER: 5,
  /** Cancelled with Ctrl-C (128 + SIGINT, as shells report it). */
  INTERRUPTED: 130,
} as const;
