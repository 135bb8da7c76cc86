// Decode throughput on the committed real model (llama2.c TinyStories 260K, test/fixtures/):
// the custom provider against raw node-llama-cpp at temperature 0 — both produce the same
// tokens, so both do the same work — in interleaved rounds; then llama.cpp thread counts on an
// idle and on a busy machine (one CPU-spinning worker per core), which is what the default
// thread count is chosen from. Run after building; `pnpm bench premium` runs it.
import { generateKeyPairSync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { getLlama, LlamaChat, LlamaLogLevel } from 'node-llama-cpp';
import { createCustomModel, signLicense } from '../dist/index.js';

const TOKENS = Number(process.env.BENCH_STORIES_TOKENS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const modelPath = fileURLToPath(new URL('../test/fixtures/stories260K.gguf', import.meta.url));
const cores = availableParallelism();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const prompt = 'Once upon a time';
const messages = [{ role: 'user', content: prompt }];
const history = [{ type: 'user', text: prompt }, { type: 'model', response: [] }];

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const now = Math.floor(Date.now() / 1000);
const license = signLicense({ v: 1, id: 'bench', licensee: 'bench', features: ['custom-model'], iat: now, exp: now + 3600 }, privateKey);
const provider = (threads) => createCustomModel({ modelPath, device: 'cpu', threads, sequences: 1, contextSize: 1024, license }, { licensePublicKey: publicKey });

async function rawSide(threads) {
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error, progressLogs: false });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 1024, sequences: 1, threads });
  const sequence = context.getSequence();
  return {
    async round() {
      const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });
      const before = sequence.tokenMeter.getState().usedOutputTokens;
      const t = performance.now();
      await chat.generateResponse(history, { maxTokens: TOKENS, temperature: 0 });
      const out = sequence.tokenMeter.getState().usedOutputTokens - before;
      chat.dispose({ disposeSequence: false });
      return out / ((performance.now() - t) / 1000);
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}
async function providerRound(p, tokens = TOKENS) {
  const t = performance.now();
  const r = await p.complete(messages, { maxTokens: tokens, temperature: 0 });
  return r.usage.outputTokens / ((performance.now() - t) / 1000);
}

// 1. Provider vs raw, 1 thread (the default on this machine, see below), interleaved rounds.
const raw = await rawSide(1);
const p = await provider(1);
await p.warmUp();
const rawRates = [], providerRates = [], ratios = [];
for (let i = 0; i <= ROUNDS; i++) {
  const a = i % 2 === 0 ? await raw.round() : await providerRound(p);
  const b = i % 2 === 0 ? await providerRound(p) : await raw.round();
  if (i === 0) continue; // warm-up round
  const [r, q] = i % 2 === 0 ? [a, b] : [b, a];
  rawRates.push(r);
  providerRates.push(q);
  ratios.push(q / r);
}
await p.dispose();
await raw.dispose();
console.log(`TinyStories 260K (F32, real trained model), ${TOKENS} tokens x ${ROUNDS} rounds, temperature 0, 1 thread`);
console.log(`raw node-llama-cpp    ${median(rawRates).toFixed(1)} tok/s`);
console.log(`custom provider       ${median(providerRates).toFixed(1)} tok/s   ratio ${median(ratios).toFixed(3)}x (target >= 0.97x)`);

// 2. Thread counts, idle and with every core busy (another process's load on a shared host).
function busy(n) {
  const workers = Array.from({ length: n }, () => new Worker('const end = Date.now() + 600000; while (Date.now() < end) {}', { eval: true }));
  return () => Promise.all(workers.map((w) => w.terminate()));
}
const counts = [...new Set([1, Math.max(1, Math.floor(cores / 2)), cores])];
const providers = new Map();
for (const n of counts) {
  const q = await provider(n);
  await q.warmUp();
  providers.set(n, q);
}
const rates = new Map(counts.map((n) => [n, { idle: [], busy: [] }]));
for (const state of ['idle', 'busy']) {
  const stop = state === 'busy' ? busy(cores) : undefined;
  for (let i = 0; i <= Math.min(ROUNDS, 4); i++) {
    for (const n of counts) {
      const rate = await providerRound(providers.get(n), 64);
      if (i > 0) rates.get(n)[state].push(rate);
    }
  }
  await stop?.();
}
for (const q of providers.values()) await q.dispose();
console.log(`threads (${cores} cores; busy = ${cores} spinning workers), 64 tokens per round:`);
for (const n of counts) {
  const r = rates.get(n);
  console.log(`  ${String(n).padStart(2)} thread${n === 1 ? ' ' : 's'}   idle ${median(r.idle).toFixed(1).padStart(7)} tok/s   busy ${median(r.busy).toFixed(1).padStart(7)} tok/s`);
}
