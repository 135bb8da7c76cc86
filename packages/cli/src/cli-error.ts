import { EXIT } from './exit-codes.js';

/**
 * A failure the command line itself detects (a bad flag, a provider that cannot do what was asked),
 * as opposed to the `LLMError`s core and the providers throw. `code` is what `--json` reports.
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;
  /** Print the usage text after the message (bad command lines, not failed requests). */
  readonly showUsage: boolean;

  constructor(code: string, message: string, options: { exitCode?: number; showUsage?: boolean } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.USAGE;
    this.showUsage = options.showUsage ?? false;
  }

  /** A bad command line: exit 2, with the usage text. */
  static usage(message: string): CliError {
    return new CliError('USAGE', message, { exitCode: EXIT.USAGE, showUsage: true });
  }
}
