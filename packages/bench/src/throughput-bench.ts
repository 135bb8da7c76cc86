import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';
import type { ThroughputMessage, ThroughputVariant } from './throughput-client.js';

const ROUNDS = 36;
const PROCESSES_A_SIDE = 3;

interface Client {
  variant: ThroughputVariant;
  child: ChildProcess;
  /** Batch time (ms), one per round. */
  times: number[];
  /** The client's CPU time (ms) per batch, every thread of it (GC helpers included). */
  cpu: number[];
}

function startClient(variant: ThroughputVariant, url: string): Promise<Client> {
  const child = fork(fileURLToPath(new URL('./throughput-client.js', import.meta.url)), [variant, url], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: ThroughputMessage) => (message.type === 'ready' ? resolve({ variant, child, times: [], cpu: [] }) : reject(new Error(`throughput client ${variant}: ${JSON.stringify(message)}`))));
    child.once('exit', (code) => reject(new Error(`throughput client ${variant} exited (${code})`)));
  });
}

function runBatch(client: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    client.child.once('message', (message: ThroughputMessage) => {
      if (message.type === 'done') {
        client.times.push(message.ms);
        client.cpu.push(message.cpuMs);
        resolve();
      } else reject(new Error(`throughput client ${client.variant}: ${message.type === 'failed' ? message.message : message.type}`));
    });
    client.child.send('batch');
  });
}

function stopClient(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    if (child.connected) child.send('exit');
    else child.kill('SIGTERM');
  });
}

/**
 * Throughput at 200 concurrent streams, the raw SDK against the whole stack. Each runs in client
 * processes of its own, as an application using one code path would (in one process the two
 * shared compiled code, and each collected the other's garbage). Three processes a side: a
 * process's own placement (JIT decisions, heap layout) moves its figures by several per cent, as
 * two raw SDK processes show (the A/A ratio, the method's own noise). Clients take turns, one batch
 * at a time, raw and stack alternating, in an order that rotates every round; each round gives the
 * ratio of the two sides' total batch time, and the median of the rounds' ratios is reported.
 */
export async function throughputBench(url: string): Promise<string[]> {
  const clients: Client[] = [];
  try {
    // Started (and warmed) one after the other, so that warm-ups do not compete.
    for (let i = 0; i < PROCESSES_A_SIDE; i++) for (const variant of ['raw', 'pipeline'] as const) clients.push(await startClient(variant, url));
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < clients.length; k++) await runBatch(clients[(round + k) % clients.length] as Client);
    }
  } finally {
    // Wait for the clients to be gone: nothing measured later may share the CPU with them.
    await Promise.all(clients.map(({ child }) => stopClient(child)));
  }
  const raw = clients.filter((c) => c.variant === 'raw');
  const stack = clients.filter((c) => c.variant === 'pipeline');
  const total = (side: Client[], round: number) => side.reduce((sum, c) => sum + (c.times[round] as number), 0);
  const ratios = Array.from({ length: ROUNDS }, (_, round) => total(raw, round) / total(stack, round));
  const [rawA, rawB] = raw as [Client, Client];
  const aa = median(rawA.times.map((t, i) => t / (rawB.times[i] as number)));
  const pooled = (side: Client[]) => median(side.flatMap((c) => c.times));
  const cpu = (side: Client[]) => median(side.flatMap((c) => c.cpu));
  return [
    `  200 concurrent streams x 20 chunks (${PROCESSES_A_SIDE} client processes a side, ${ROUNDS} rounds): raw ${pooled(raw).toFixed(1)} ms, whole stack ${pooled(stack).toFixed(1)} ms a batch; client CPU ${cpu(raw).toFixed(1)} vs ${cpu(stack).toFixed(1)} ms a batch`,
    `    throughput vs raw SDK: ${median(ratios).toFixed(3)}x median of ${ROUNDS} rounds (pooled ${(pooled(raw) / pooled(stack)).toFixed(3)}x; target >= 0.95x); the method's own noise, one raw SDK process vs another: ${aa.toFixed(3)}x`,
  ];
}
