import { UsageError } from './create-provider-package.js';

export interface ParsedArgs {
  help: boolean;
  name: string | undefined;
  dir: string | undefined;
  scope: string | undefined;
}

export const USAGE = `Usage: create-provider <name> [--dir <path>] [--scope <@scope>]

Creates an autoarr-llm provider plugin package: autoarr-llm-provider-<name>
(or <@scope>/autoarr-llm-provider-<name>), ready to build and to pass the conformance suite.

  <name>            the provider name users select (LLM_PROVIDER=<name>):
                    lower-case letters, digits and dashes, starting with a letter
  --dir <path>      where to write it (default: ./autoarr-llm-provider-<name>); must be empty
  --scope <@scope>  publish under an npm scope, e.g. --scope @acme
  -h, --help        show this help

With pnpm: pnpm create @autoarr-llm/provider <name>    With npm: npm init @autoarr-llm/provider <name>`;

/** Reads `<name> [--dir <path>] [--scope @x]` (also `--dir=<path>`); anything else is a usage error. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { help: false, name: undefined, dir: undefined, scope: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      out.help = true;
      continue;
    }
    const option = /^--(dir|scope)(?:=(.*))?$/.exec(arg);
    if (option) {
      const key = option[1] as 'dir' | 'scope';
      const value = option[2] ?? argv[++i];
      if (value === undefined || value === '' || (option[2] === undefined && value.startsWith('--'))) throw new UsageError(`--${key} needs a value.`);
      out[key] = value;
      continue;
    }
    if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}.`);
    if (out.name !== undefined) throw new UsageError(`Only one provider name, please (got "${out.name}" and "${arg}").`);
    out.name = arg;
  }
  return out;
}
