import type { CliIO } from './cli-io.js';

/** One download step, read defensively: the provider is duck-typed, so is its progress. */
export interface ProgressStep {
  status: string;
  completed: number | undefined;
  total: number | undefined;
}

export interface ProgressReporter {
  update(progress: unknown): void;
  /** Ends the bar's line (a drawn bar has no newline of its own). */
  finish(): void;
}

const BAR_WIDTH = 30;

export function readProgress(progress: unknown): ProgressStep {
  const p = (typeof progress === 'object' && progress !== null ? progress : {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  return { status: typeof p['status'] === 'string' ? p['status'] : 'working', completed: num(p['completed']), total: num(p['total']) };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function percentOf(step: ProgressStep): number | undefined {
  if (step.total === undefined || step.total === 0) return undefined;
  return Math.min(100, Math.floor(((step.completed ?? 0) / step.total) * 100));
}

/**
 * Progress on stderr (stdout is for the result). On a terminal: one bar redrawn in place per step
 * (`\r`), a new line when the step changes. Elsewhere (CI logs, pipes): plain lines, one per step
 * and per 10 % of a download, so a log is readable and not flooded with thousands of lines.
 */
export function createProgressReporter(io: CliIO): ProgressReporter {
  let lastStatus: string | undefined;
  let lastDecile = -1;
  let drawn = false;

  const tty = (step: ProgressStep) => {
    const percent = percentOf(step);
    if (step.status !== lastStatus && drawn) io.err('\n');
    lastStatus = step.status;
    if (percent === undefined) {
      io.err(`\r\x1b[K${step.status}`);
    } else {
      const filled = Math.round((percent / 100) * BAR_WIDTH);
      const bytes = `${formatBytes(step.completed ?? 0)}/${formatBytes(step.total ?? 0)}`;
      const line = `${step.status} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}% ${bytes}`;
      // Never wider than the terminal: a wrapped line cannot be redrawn with \r.
      io.err(`\r\x1b[K${line.slice(0, Math.max(20, io.errColumns - 1))}`);
    }
    drawn = true;
  };

  const plain = (step: ProgressStep) => {
    const percent = percentOf(step);
    const decile = percent === undefined ? -1 : Math.floor(percent / 10);
    if (step.status === lastStatus && decile === lastDecile) return;
    lastStatus = step.status;
    lastDecile = decile;
    io.err(percent === undefined ? `${step.status}\n` : `${step.status} ${percent}% (${formatBytes(step.completed ?? 0)} of ${formatBytes(step.total ?? 0)})\n`);
  };

  return {
    update: (progress) => (io.errIsTTY ? tty : plain)(readProgress(progress)),
    finish: () => {
      if (drawn) io.err('\n');
      drawn = false;
    },
  };
}
