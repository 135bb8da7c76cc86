import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./fixtures/log-worker.mjs', import.meta.url));

export interface WorkerSettings {
  appDir: string;
  logPath: string;
  calls: number;
  concurrency?: number;
  stream?: boolean;
  latencyMs?: number;
  tag?: string;
  reportMs?: number;
  exit?: 'dispose' | 'natural' | 'wait';
  log?: Record<string, unknown>;
}

export interface RunningWorker {
  child: ChildProcess;
  /** Every JSON line the worker printed so far. */
  lines: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the log worker in its own process (as another user when `uid` is given). */
export function startLogWorker(settings: WorkerSettings, uid?: number): RunningWorker {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, LOG_WORKER: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'inherit'],
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not ours
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, exited };
}
