import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';
import type { ThroughputMessage, ThroughputVariant } from './throughput-client.js';

/**
 * Fresh client processes for each generation: two processes running identical code differ by up to
 * 15-25 % for their whole life on this kind of machine (with or without V8's concurrent threads, one
 * stand-in server or one each), so the figure needs many processes a side, not many rounds.
 */
const GENERATIONS = 8;
const PROCESSES_A_SIDE = 2;
const ROUNDS = 6;
/**
 * Unmeasured rounds first, so that every client starts measuring from the same recent history
 * (the first-started had idled while the others warmed up).
 */
const WARM_ROUNDS = 2;

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
 * shared compiled code, and each collected the other's garbage). A process's own placement (JIT
 * decisions, heap layout, core) moves its figures by several per cent, as two raw SDK processes
 * show (the A/A ratio, the method's own noise): so the clients are replaced by fresh ones for each
 * of several generations, and the figure is over many placements, not three. Within a generation
 * clients take turns, one batch at a time, in an order that rotates every round (after unmeasured
 * warm rounds, see WARM_ROUNDS); each round gives the ratio of the two sides' total batch time,
 * and the median of all rounds' ratios is reported, with each generation's for the spread.
 */
export async function throughputBench(
  url: string,
  sides: readonly [ThroughputVariant, ThroughputVariant] = ['raw', 'pipeline'],
  labels: readonly [string, string] = ['raw', 'whole stack'],
  generations = GENERATIONS,
): Promise<string[]> {
  const [sideA, sideB] = sides;
  const raw: Client[] = [];
  const stack: Client[] = [];
  const aa: number[] = [];
  const ratios: number[] = [];
  const perGeneration: number[] = [];
  for (let generation = 0; generation < generations; generation++) {
    const clients: Client[] = [];
    try {
      // Started (and warmed) one after the other, so that warm-ups do not compete; which side
      // starts first alternates between generations.
      const order = generation % 2 === 0 ? [sideA, sideB] : [sideB, sideA];
      for (let i = 0; i < PROCESSES_A_SIDE; i++) for (const variant of order) clients.push(await startClient(variant, url));
      for (let round = 0; round < WARM_ROUNDS + ROUNDS; round++) {
        for (let k = 0; k < clients.length; k++) await runBatch(clients[(round + k) % clients.length] as Client);
      }
      for (const c of clients) {
        c.times.splice(0, WARM_ROUNDS);
        c.cpu.splice(0, WARM_ROUNDS);
      }
    } finally {
      // Wait for the clients to be gone: nothing measured later may share the CPU with them.
      await Promise.all(clients.map(({ child }) => stopClient(child)));
    }
    const r = clients.filter((c) => c.variant === sideA);
    const s = clients.filter((c) => c.variant === sideB);
    const total = (side: Client[], round: number) => side.reduce((sum, c) => sum + (c.times[round] as number), 0);
    for (let round = 0; round < ROUNDS; round++) ratios.push(total(r, round) / total(s, round));
    const [rawA, rawB] = r as [Client, Client];
    for (let round = 0; round < ROUNDS; round++) aa.push((rawA.times[round] as number) / (rawB.times[round] as number));
    perGeneration.push(median(ratios.slice(-ROUNDS)));
    raw.push(...r);
    stack.push(...s);
  }
  const pooled = (side: Client[]) => median(side.flatMap((c) => c.times));
  const cpu = (side: Client[]) => median(side.flatMap((c) => c.cpu));
  const rounds = generations * ROUNDS;
  const [a, b] = labels;
  return [
    `  200 concurrent streams x 20 chunks (${generations} generations of ${PROCESSES_A_SIDE} fresh client processes a side, ${rounds} rounds): ${a} ${pooled(raw).toFixed(1)} ms, ${b} ${pooled(stack).toFixed(1)} ms a batch; client CPU ${cpu(raw).toFixed(1)} vs ${cpu(stack).toFixed(1)} ms a batch`,
    `    throughput of ${b} vs ${a}: ${median(ratios).toFixed(3)}x median of ${rounds} rounds (pooled ${(pooled(raw) / pooled(stack)).toFixed(3)}x; target >= ${sideA === 'raw' ? '0.95' : '0.97'}x); the method's own noise, one ${a} process vs another: ${median(aa).toFixed(3)}x`,
    `    by generation: ${perGeneration.map((r) => r.toFixed(3)).join(', ')}`,
  ];
}
