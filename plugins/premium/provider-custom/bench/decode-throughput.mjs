// Decode throughput of the custom provider against raw node-llama-cpp on the same generated
// model (~30 MB: Q4_0, embedding 512, 8 layers, vocab 32000), and of 4 parallel sequences
// against 1. Run after building: `node plugins/premium/provider-custom/bench/decode-throughput.mjs`.
// Not part of any test run: timings depend on the machine.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGgufModel } from '@autoarr-llm/testkit';
import { getLlama, LlamaChat, LlamaLogLevel } from 'node-llama-cpp';
import { createCustomModel, signLicense } from '../dist/index.js';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 128);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const threads = availableParallelism();
const dir = await mkdtemp(join(tmpdir(), 'autoarr-bench-'));
const modelPath = join(dir, 'bench-q4_0.gguf');
const written = await writeGgufModel(modelPath, { fileType: 'Q4_0', embeddingLength: 512, blockCount: 8, vocabSize: 32000 });
console.log(`model: ${(written.fileSize / 1e6).toFixed(1)} MB, ${written.parameterCount.toLocaleString()} weights, ${threads} threads, ${TOKENS} tokens x ${ROUNDS} rounds`);

const messages = [{ role: 'user', content: 'Summarise the download queue.' }];
const history = [{ type: 'user', text: messages[0].content }, { type: 'model', response: [] }];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The machine may be shared: rounds of the two sides alternate, so load hits both alike, and the
// ratio is the median of per-round ratios.
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const now = Math.floor(Date.now() / 1000);
const license = signLicense({ v: 1, id: 'bench', licensee: 'bench', features: ['custom-model'], iat: now, exp: now + 3600 }, privateKey);
const provider = async (sequences) => {
  const p = await createCustomModel({ modelPath, device: 'cpu', threads, sequences, contextSize: 2048, license }, { licensePublicKey: publicKey });
  await p.warmUp();
  return p;
};

const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.warn, progressLogs: false });
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const context = await model.createContext({ contextSize: 2048, sequences: 1, threads });
const sequence = context.getSequence();
async function rawRound(seed) {
  const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });
  const before = sequence.tokenMeter.getState();
  const t = performance.now();
  await chat.generateResponse(history, { maxTokens: TOKENS, temperature: 0.7, seed });
  const out = sequence.tokenMeter.getState().usedOutputTokens - before.usedOutputTokens;
  chat.dispose({ disposeSequence: false });
  return out / ((performance.now() - t) / 1000);
}
async function providerRound(p, n, seed) {
  const t = performance.now();
  const all = await Promise.all(Array.from({ length: n }, (_, k) => p.complete(messages, { maxTokens: TOKENS, providerOptions: { custom: { seed: seed * 10 + k } } })));
  return all.reduce((sum, r) => sum + r.usage.outputTokens, 0) / ((performance.now() - t) / 1000);
}

try {
  const single = await provider(1);
  const rawRates = [], providerRates = [], decodeRatios = [];
  for (let i = 0; i <= ROUNDS; i++) {
    const r = await rawRound(i);
    const p = await providerRound(single, 1, i);
    if (i === 0) continue; // warm-up round
    rawRates.push(r);
    providerRates.push(p);
    decodeRatios.push(p / r);
  }
  await single.dispose();
  await context.dispose();
  await model.dispose();
  await llama.dispose();

  const one = await provider(1);
  const four = await provider(4);
  const oneRates = [], fourRates = [], parallelRatios = [];
  for (let i = 0; i <= ROUNDS; i++) {
    const a = await providerRound(one, 1, i);
    const b = await providerRound(four, 4, i);
    if (i === 0) continue;
    oneRates.push(a);
    fourRates.push(b);
    parallelRatios.push(b / a);
  }
  await one.dispose();
  await four.dispose();

  console.log(`raw node-llama-cpp    ${median(rawRates).toFixed(1)} tok/s`);
  console.log(`custom provider       ${median(providerRates).toFixed(1)} tok/s   ratio ${median(decodeRatios).toFixed(3)}x (target >= 0.97x)`);
  console.log(`1 sequence            ${median(oneRates).toFixed(1)} tok/s aggregate`);
  console.log(`4 parallel sequences  ${median(fourRates).toFixed(1)} tok/s aggregate   ratio ${median(parallelRatios).toFixed(2)}x`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
