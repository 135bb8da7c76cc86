import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { processIO, type CliIO } from './cli-io.js';
import { budget } from './commands/budget.js';
import { complete } from './commands/complete.js';
import { doctor } from './commands/doctor.js';
import { logs } from './commands/logs.js';
import { models, removeModel } from './commands/models.js';
import { providers } from './commands/providers.js';
import { pull } from './commands/pull.js';
import { route } from './commands/route.js';
import { showConfig } from './commands/show-config.js';
import { describeError } from './describe-error.js';
import { EXIT } from './exit-codes.js';
import { exitCodeFor } from './exit-code-for.js';
import { parseNumberFlag } from './parse-number-flag.js';
import { soleFailure } from './sole-failure.js';
import { USAGE } from './usage.js';

export { USAGE } from './usage.js';

const OPTIONS = {
  ask: { type: 'string' },
  provider: { type: 'string' },
  model: { type: 'string' },
  system: { type: 'string' },
  temperature: { type: 'string' },
  'max-tokens': { type: 'string' },
  timeout: { type: 'string' },
  remove: { type: 'string' },
  cwd: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  // logs
  n: { type: 'string', short: 'n' },
  query: { type: 'string', short: 'q' },
  outcome: { type: 'string' },
  tag: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  by: { type: 'string' },
  before: { type: 'string' },
  explain: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which command takes which command-specific options (the global ones go with every command). */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  doctor: ['ask', 'provider'],
  providers: [],
  models: ['remove'],
  pull: ['provider'],
  complete: ['provider', 'model', 'system', 'temperature', 'max-tokens', 'timeout'],
  chat: ['provider', 'model', 'system', 'temperature', 'max-tokens', 'timeout'],
  config: [],
  logs: ['n', 'query', 'provider', 'model', 'outcome', 'tag', 'since', 'until', 'by', 'before'],
  route: ['explain', 'system', 'max-tokens'],
  budget: [],
};
const GLOBAL_OPTIONS = ['cwd', 'config', 'json', 'verbose', 'help'];

/** Runs the command line; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  // Known before parsing succeeds, so that even a bad command line answers in JSON when asked to.
  const end = argv.indexOf('--');
  const json = (end === -1 ? argv : argv.slice(0, end)).includes('--json');
  try {
    return await dispatch(argv, io);
  } catch (thrown) {
    const error = soleFailure(thrown);
    const d = describeError(error);
    if (json) io.out(`${JSON.stringify(d.json, null, 2)}\n`);
    else io.err(`${d.text}\n`);
    if (error instanceof CliError && error.showUsage && !json) io.err(`\n${USAGE}`);
    return exitCodeFor(error);
  }
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw CliError.usage(error instanceof Error ? error.message : String(error));
  }
  const { values: v, positionals } = parsed;
  const [command, ...args] = positionals;
  if (v.help || command === 'help') {
    io.out(USAGE);
    return EXIT.OK;
  }
  if (command === undefined) throw CliError.usage('no command given');
  const allowed = COMMAND_OPTIONS[command];
  if (!allowed) throw CliError.usage(/^[a-z][a-z-]{0,19}$/.test(command) ? `unknown command "${command}"` : 'unknown command');
  // An option another command takes would otherwise be silently ignored (`models --model x`).
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key) && !GLOBAL_OPTIONS.includes(key)) throw CliError.usage(`${command} does not take --${key}`);
  }
  const maxArgs = command === 'complete' || command === 'chat' || command === 'route' ? Infinity : command === 'logs' ? 2 : command === 'models' || command === 'pull' ? 1 : 0;
  // Not echoed: an extra argument is as likely a pasted key as a typo.
  if (args.length > maxArgs) throw CliError.usage(`${command}: takes ${maxArgs === 0 ? 'no arguments' : `at most ${maxArgs} argument`} (got ${args.length})`);
  // A provider name is checked here so that core's messages, which name the provider, never carry a stray value.
  if (v.provider !== undefined && !/^[a-z][a-z0-9-]{0,31}$/.test(v.provider)) throw CliError.usage('--provider expects a provider name (up to 32 lower-case letters, digits and dashes)');

  const global = { cwd: v.cwd, config: v.config, verbose: v.verbose, json: v.json };
  switch (command) {
    case 'doctor':
      if (v.ask !== undefined && v.ask.trim() === '') throw CliError.usage('--ask needs a prompt');
      return doctor(io, { ...global, ask: v.ask, provider: v.provider });
    case 'providers':
      return providers(io, global);
    case 'models':
      if (v.remove !== undefined) {
        if (!args[0]) throw CliError.usage('models --remove needs the provider: autoarr-llm models custom --remove <model>');
        return removeModel(io, global, args[0], v.remove);
      }
      return models(io, global, args[0]);
    case 'pull': {
      const model = args[0]?.trim();
      if (!model) throw CliError.usage('pull needs a model: autoarr-llm pull llama3.2');
      return pull(io, { ...global, provider: v.provider }, model);
    }
    case 'config':
      return showConfig(io, global);
    case 'logs':
      return logs(io, { ...global, n: v.n, query: v.query, provider: v.provider, model: v.model, outcome: v.outcome, tag: v.tag, since: v.since, until: v.until, by: v.by, before: v.before }, args);
    case 'budget':
      return budget(io, global);
    case 'route': {
      // Nothing is sent either way: --explain says so on the command line.
      const prompt = (args.length === 1 && args[0] === '-' ? await io.readStdin() : args.join(' ')).trim();
      if (!prompt) throw CliError.usage(args[0] === '-' ? 'route: standard input was empty' : 'route needs a prompt: autoarr-llm route --explain "your question" (or - to read it from stdin)');
      return route(io, { ...global, system: v.system, maxTokens: parseNumberFlag('max-tokens', v['max-tokens'], 'positive-integer') }, prompt);
    }
    default: {
      // complete / chat
      const prompt = (args.length === 1 && args[0] === '-' ? await io.readStdin() : args.join(' ')).trim();
      if (!prompt) throw CliError.usage(args[0] === '-' ? `${command}: standard input was empty` : `${command} needs a prompt: autoarr-llm ${command} "your question" (or - to read it from stdin)`);
      return complete(
        io,
        {
          ...global,
          provider: v.provider,
          model: v.model,
          system: v.system,
          temperature: parseNumberFlag('temperature', v.temperature, 'number'),
          maxTokens: parseNumberFlag('max-tokens', v['max-tokens'], 'positive-integer'),
          timeout: parseNumberFlag('timeout', v.timeout, 'positive-integer'),
        },
        prompt,
      );
    }
  }
}
