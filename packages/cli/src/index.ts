export { runCli, USAGE } from './run-cli.js';
export { EXIT } from './exit-codes.js';
export { CliError } from './cli-error.js';
export type { CliIO } from './cli-io.js';
