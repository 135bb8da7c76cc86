// The drawn bar needs a terminal, which a spawned process's piped stderr is not: checked in-process.
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../src/cli-io.js';
import { createProgressReporter, formatBytes } from '../src/create-progress-reporter.js';

function fakeIO(tty: boolean, columns = 100): { io: CliIO; written: () => string } {
  let err = '';
  const io: CliIO = {
    out: () => undefined,
    err: (t) => void (err += t),
    env: {},
    cwd: '/',
    errIsTTY: tty,
    errColumns: columns,
    readStdin: async () => '',
    onInterrupt: () => () => undefined,
  };
  return { io, written: () => err };
}

const download = (completed: number) => ({ status: 'pulling 6a0746a1ec1a', digest: 'sha256:6a07', total: 2_000_000_000, completed });

describe('createProgressReporter', () => {
  it('on a terminal: one bar redrawn in place, a new line per step', () => {
    const { io, written } = fakeIO(true);
    const p = createProgressReporter(io);
    p.update({ status: 'pulling manifest' });
    p.update(download(0));
    p.update(download(1_000_000_000));
    p.update(download(2_000_000_000));
    p.update({ status: 'success' });
    p.finish();
    const out = written();
    expect(out).toContain(`\r\x1b[Kpulling 6a0746a1ec1a [${'#'.repeat(15)}${'-'.repeat(15)}]  50% 1.0 GB/2.0 GB`);
    expect(out).toContain(`\r\x1b[Kpulling 6a0746a1ec1a [${'#'.repeat(30)}] 100% 2.0 GB/2.0 GB`);
    // Three steps, three lines: the redraws of one step share a line.
    expect(out.split('\n')).toHaveLength(4);
    expect(out.endsWith('success\n')).toBe(true);
  });

  it('never draws wider than the terminal (a wrapped line could not be redrawn)', () => {
    const { io, written } = fakeIO(true, 40);
    const p = createProgressReporter(io);
    p.update(download(500_000_000));
    for (const line of written().split('\r\x1b[K').filter(Boolean)) expect(line.length).toBeLessThanOrEqual(39);
  });

  it('elsewhere: plain lines, one per step and per 10 % (not one per progress event)', () => {
    const { io, written } = fakeIO(false);
    const p = createProgressReporter(io);
    p.update({ status: 'pulling manifest' });
    for (let done = 0; done <= 2_000_000_000; done += 20_000_000) p.update(download(done));
    p.update({ status: 'success' });
    p.finish();
    const lines = written().trim().split('\n');
    expect(lines).toHaveLength(1 + 11 + 1);
    expect(lines[1]).toBe('pulling 6a0746a1ec1a 0% (0 B of 2.0 GB)');
    expect(lines[11]).toBe('pulling 6a0746a1ec1a 100% (2.0 GB of 2.0 GB)');
    expect(written()).not.toMatch(/\r|\x1b/);
  });

  it('reads odd progress objects without throwing (the provider is duck-typed)', () => {
    const { io, written } = fakeIO(false);
    const p = createProgressReporter(io);
    p.update(null);
    p.update({ status: 'x', total: 0, completed: 5 });
    p.update({ total: 'lots' });
    expect(written()).toBe('working\nx\nworking\n');
  });

  it('formatBytes', () => {
    expect([formatBytes(0), formatBytes(999), formatBytes(1500), formatBytes(4_683_087_332)]).toEqual(['0 B', '999 B', '1.5 KB', '4.7 GB']);
  });
});
