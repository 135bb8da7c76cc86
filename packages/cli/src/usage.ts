export const USAGE = `Usage: autoarr-llm <command> [options]

Commands:
  doctor [--ask <prompt>]    config sources, plugins, each provider's state, the chain and why;
                             with --ask, answer the prompt through the chain
  providers                  installed providers and their state
  models [provider]          models of one provider, or of all
  models <provider> --remove <model>
                             delete a downloaded model (providers that keep a model cache)
  pull <model>               download a model (--provider: which one; default: the first that can);
                             custom: hf:<user>/<repo>/<file>.gguf or an http(s) URL of a GGUF file
  complete <prompt>          answer a prompt through the chain, streamed ("-": read it from stdin)
  chat <prompt>              the same as complete
  config                     the effective configuration (secrets masked)
  logs                       recent calls from the call log (-n <count>, -q <text> full-text search,
                             --provider, --model, --outcome success|error, --tag key=value,
                             --since/--until <30m|12h|7d|date>)
  logs show <id>             one call with every attempt and its content
  logs stats [--by <period>] per provider/model: calls, error rate, p50/p95 latency and first
                             chunk, tokens, cost (--by hour|day|week|month)
  logs path                  where the call log is
  logs prune --before <when> delete calls started before a date or a duration ago (30d)
  route --explain <prompt>   how routing would route the prompt (features, score, tier, candidates,
                             choice) without sending it ("-": read it from stdin)
  budget                     each budget's spend and reservations against its limit

Options:
  --provider <name>          use this provider first (else LLM_PROVIDER, else the fallback order)
  --model <id>  --system <text>  --temperature <n>  --max-tokens <n>  --timeout <ms>
  --cwd <dir>                the application folder (default: the current folder)
  --config <file>            read this config file instead of searching
  --json                     machine-readable output on stdout (errors too)
  --verbose                  log what happens (to stderr)
  -h, --help                 this text

Exit codes: 0 ok, 1 unexpected error, 2 bad usage, 3 invalid config, 4 no provider available,
5 the provider failed the request, 130 cancelled (Ctrl-C), 141 stdout closed early (| head).
`;
