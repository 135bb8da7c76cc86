import { parseArgs } from 'node:util';
import { processIO, type CliIO } from './cli-io.js';
import { complete } from './commands/complete.js';
import { doctor } from './commands/doctor.js';
import { models } from './commands/models.js';
import { providers } from './commands/providers.js';
import { showConfig } from './commands/show-config.js';
import { describeError } from './describe-error.js';
import { EXIT } from './exit-codes.js';
import { exitCodeFor } from './exit-code-for.js';

export const USAGE = `Usage: autoarr-llm <command> [options]

Commands:
  doctor [--ask <prompt>]    config sources, plugins, each provider's state, the chain and why;
                             with --ask, answer the prompt through the chain
  providers                  installed providers and their state
  models [provider]          models of one provider, or of all
  complete <prompt>          answer a prompt through the chain (streamed)
  config                     the effective configuration (secrets masked)

Options:
  --provider <name>          use this provider first (else LLM_PROVIDER, else the fallback order)
  --model <id>  --system <text>  --temperature <n>  --max-tokens <n>  --timeout <ms>
  --cwd <dir>                the application folder (default: the current folder)
  --config <file>            read this config file instead of searching
  --json                     machine-readable output
  --verbose                  log what happens (to stderr)
  -h, --help                 this text

Exit codes: 0 ok, 1 unexpected error, 2 bad usage, 3 invalid config, 4 no provider available,
5 the provider failed the request.
`;

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} expects a number, got "${value}"`);
  return n;
}

class UsageError extends Error {}

/** Runs the command line; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        ask: { type: 'string' },
        provider: { type: 'string' },
        model: { type: 'string' },
        system: { type: 'string' },
        temperature: { type: 'string' },
        'max-tokens': { type: 'string' },
        timeout: { type: 'string' },
        cwd: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT.USAGE;
  }
  const { values: v, positionals } = parsed;
  const [command, ...args] = positionals;
  if (v.help || command === undefined || command === 'help') {
    (v.help || command === 'help' ? io.out : io.err)(USAGE);
    return v.help || command === 'help' ? EXIT.OK : EXIT.USAGE;
  }
  const global = { cwd: v.cwd, config: v.config, verbose: v.verbose, json: v.json };
  try {
    switch (command) {
      case 'doctor':
        return await doctor(io, { ...global, ask: v.ask, provider: v.provider });
      case 'providers':
        return await providers(io, global);
      case 'models':
        return await models(io, global, args[0]);
      case 'complete':
      case 'chat': {
        const prompt = args.join(' ').trim();
        if (!prompt) throw new UsageError(`${command} needs a prompt: autoarr-llm ${command} "your question"`);
        return await complete(io, {
          ...global,
          provider: v.provider,
          model: v.model,
          system: v.system,
          temperature: number('temperature', v.temperature),
          maxTokens: number('max-tokens', v['max-tokens']),
          timeout: number('timeout', v.timeout),
        }, prompt);
      }
      case 'config':
        return await showConfig(io, global);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return EXIT.USAGE;
    }
    const d = describeError(error);
    if (v.json) io.out(`${JSON.stringify(d.json, null, 2)}\n`);
    else io.err(`${d.text}\n`);
    return exitCodeFor(error);
  }
}
