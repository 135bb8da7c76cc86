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

export const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
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
