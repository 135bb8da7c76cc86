/** Where a command writes and what it reads: injectable so tests run commands in-process too. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** stderr is a terminal: progress is drawn as a bar there, else printed as plain lines. */
  errIsTTY: boolean;
  /** Width of the stderr terminal (the progress bar fits into it). */
  errColumns: number;
  /** All of standard input (for `complete -`). */
  readStdin(): Promise<string>;
  /**
   * Calls `handler` on the next Ctrl-C only; returns a function that removes it. Only the first
   * Ctrl-C is ours (it cancels the request): a second one gets Node's default, ending the process.
   */
  onInterrupt(handler: () => void): () => void;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// Taken before `reserveStdout` sends every other writer to stderr: the command's own output only.
const writeStdout = process.stdout.write.bind(process.stdout);

export const processIO: CliIO = {
  out: (text) => void writeStdout(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  errIsTTY: process.stderr.isTTY === true,
  errColumns: process.stderr.columns ?? 80,
  readStdin: () => readAll(process.stdin),
  onInterrupt: (handler) => {
    process.once('SIGINT', handler);
    return () => void process.off('SIGINT', handler);
  },
};

/**
 * Keeps stdout for the command's own output (the answer, the `--json` document): anything else in
 * the process that writes to stdout (a plugin's `console.log`, a library's banner) goes to stderr.
 */
export function reserveStdout(): void {
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
}

/** Exit code when the reader of stdout went away (`autoarr-llm complete … | head`): as a SIGPIPE ends other tools. */
export const EXIT_STDOUT_CLOSED = 141;

/**
 * A reader that stops reading (`| head`) is not a crash: once stdout is closed there is nobody to
 * answer, so the process ends at once, quietly (whatever request was in flight dies with its socket).
 */
export function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_STDOUT_CLOSED);
    throw error;
  });
  // Nothing useful can be done about a closed stderr: drop what would go there.
  process.stderr.on('error', () => undefined);
}
