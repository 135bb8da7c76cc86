/**
 * Generates a small, valid llama-architecture GGUF model with random (seeded) weights and a
 * SentencePiece-style vocabulary with a ChatML chat template, which llama.cpp (and so
 * node-llama-cpp) can load and run. Meant for tests and benchmarks where no real model
 * weights can be downloaded: the text it writes is gibberish, but every code path of
 * loading, tokenizing, chat templating, sampling, grammars and streaming runs for real.
 */
import {
  GgmlType,
  GgufValueType,
  LlamaFileType,
} from './gguf-constants.js';
import {
  gguf,
  writeGgufFile,
  type GgufTensorPlacement,
  type GgufTensorSpec,
  type GgufWriteValue,
} from './write-gguf-file.js';

export type GgufModelFileType = 'F32' | 'F16' | 'Q8_0' | 'Q4_0';

export interface WriteGgufModelOptions {
  /** `general.name`; defaults to "autoarr-test-model". */
  readonly name?: string;
  /** Hidden size (`llama.embedding_length`); defaults to 64. A multiple of 32. */
  readonly embeddingLength?: number;
  /** Transformer layers (`llama.block_count`); defaults to 2. */
  readonly blockCount?: number;
  /** Attention heads; defaults to embeddingLength / 16 below 256, embeddingLength / 64 from 256 on. */
  readonly headCount?: number;
  /** Key/value heads (grouped-query attention); defaults to headCount. */
  readonly headCountKv?: number;
  /** FFN size; defaults to 8/3 of embeddingLength rounded up to a multiple of 32. */
  readonly feedForwardLength?: number;
  /**
   * Tokens in the vocabulary; defaults to (and may not be less than) the base vocabulary
   * ({@link BASE_VOCABULARY_SIZE} tokens). Extra tokens get synthetic letter pieces.
   */
  readonly vocabSize?: number;
  /** `llama.context_length`; defaults to 2048. */
  readonly contextLength?: number;
  /** Type of the 2-D weight tensors (norm weights always stay F32); defaults to 'F16'. */
  readonly fileType?: GgufModelFileType;
  /** Seed of the deterministic weight generator; defaults to 42. */
  readonly seed?: number;
  /** `tokenizer.chat_template`; defaults to {@link CHATML_TEMPLATE}. */
  readonly chatTemplate?: string;
  /**
   * Steer generation away from byte tokens and control tokens other than `<|im_end|>`, so
   * sampled text is made of readable pieces instead of stray bytes; defaults to true. It
   * reserves hidden dimension 0 as a constant "bias channel" (no layer writes to it) and
   * gives those tokens a strongly negative output weight on it. Grammars can still pick them.
   */
  readonly readableOutput?: boolean;
  /** `llama.rope.freq_base`; defaults to 10000. */
  readonly ropeFreqBase?: number;
  /** `llama.attention.layer_norm_rms_epsilon`; defaults to 1e-5. */
  readonly rmsNormEpsilon?: number;
}

export interface WrittenGgufModel {
  readonly path: string;
  readonly fileSize: number;
  readonly fileType: GgufModelFileType;
  /** Total number of weights over all tensors. */
  readonly parameterCount: number;
  readonly tensorCount: number;
  /** Absolute offset of the tensor data section. */
  readonly dataOffset: number;
  readonly embeddingLength: number;
  readonly blockCount: number;
  readonly headCount: number;
  readonly headCountKv: number;
  readonly feedForwardLength: number;
  readonly contextLength: number;
  readonly vocabSize: number;
  readonly tokens: {
    readonly unk: number;
    readonly bos: number;
    readonly eos: number;
    readonly imStart: number;
    readonly imEnd: number;
  };
  readonly tensors: readonly GgufTensorPlacement[];
}

/** The ChatML template (Qwen/OpenHermes style) that llama.cpp and node-llama-cpp recognise. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** llama.cpp's `llama_token_type` values (`tokenizer.ggml.token_type`). */
const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

const SPACE = '\u2581'; // SentencePiece's "▁", which stands for a space
const UNK_ID = 0;
const BOS_ID = 1;
const EOS_SPM_ID = 2;
const BYTE_TOKENS_START = 3;
const IM_START_ID = BYTE_TOKENS_START + 256;
const IM_END_ID = IM_START_ID + 1;

const FILE_TYPES: Readonly<Record<GgufModelFileType, { tensor: GgmlType; llama: number }>> = {
  F32: { tensor: GgmlType.F32, llama: LlamaFileType.ALL_F32 },
  F16: { tensor: GgmlType.F16, llama: LlamaFileType.MOSTLY_F16 },
  Q8_0: { tensor: GgmlType.Q8_0, llama: LlamaFileType.MOSTLY_Q8_0 },
  Q4_0: { tensor: GgmlType.Q4_0, llama: LlamaFileType.MOSTLY_Q4_0 },
};

const WORDS = [
  'the', 'and', 'you', 'is', 'to', 'of', 'in', 'it', 'on', 'for', 'with', 'what', 'can', 'help',
  'hello', 'movie', 'show', 'series', 'season', 'episode', 'search', 'download', 'quality', 'true',
  'false', 'yes', 'no',
];
const SINGLE_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyz',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'0123456789',
  ...'.,!?:;\'"-()[]{}/_*=+#@&%<>|',
];

interface VocabEntry {
  readonly piece: string;
  readonly score: number;
  readonly type: number;
}

function buildBaseVocabulary(): VocabEntry[] {
  const entries: VocabEntry[] = [
    { piece: '<unk>', score: 0, type: TokenType.UNKNOWN },
    { piece: '<s>', score: 0, type: TokenType.CONTROL },
    { piece: '</s>', score: 0, type: TokenType.CONTROL },
  ];
  for (let b = 0; b < 256; b++) {
    const hex = b.toString(16).toUpperCase().padStart(2, '0');
    entries.push({ piece: `<0x${hex}>`, score: 0, type: TokenType.BYTE });
  }
  entries.push({ piece: '<|im_start|>', score: 0, type: TokenType.CONTROL });
  entries.push({ piece: '<|im_end|>', score: 0, type: TokenType.CONTROL });
  const seen = new Set(entries.map((e) => e.piece));
  const normal: string[] = [SPACE, ...SINGLE_CHARS];
  // Every prefix of "▁word" is a piece, so SentencePiece's pairwise merges can reach the word.
  for (const word of WORDS) {
    const full = SPACE + word;
    for (let end = 2; end <= full.length; end++) normal.push(full.slice(0, end));
  }
  for (const piece of normal) {
    if (seen.has(piece)) continue;
    seen.add(piece);
    entries.push({ piece, score: -entries.length, type: TokenType.NORMAL });
  }
  return entries;
}

const BASE_VOCABULARY: readonly VocabEntry[] = buildBaseVocabulary();
/** Size of the vocabulary without synthetic tokens (specials, 256 bytes, ChatML, pieces). */
export const BASE_VOCABULARY_SIZE = BASE_VOCABULARY.length;

function buildVocabulary(size: number): VocabEntry[] {
  const entries = [...BASE_VOCABULARY];
  const seen = new Set(entries.map((e) => e.piece));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let length = 2; entries.length < size; length++) {
    const total = letters.length ** length;
    for (let n = 0; n < total && entries.length < size; n++) {
      let piece = '';
      for (let k = 0, rest = n; k < length; k++, rest = Math.floor(rest / letters.length)) {
        piece = (letters[rest % letters.length] ?? 'a') + piece;
      }
      for (const candidate of [SPACE + piece, piece]) {
        if (entries.length >= size || seen.has(candidate)) continue;
        seen.add(candidate);
        entries.push({ piece: candidate, score: -entries.length, type: TokenType.NORMAL });
      }
    }
  }
  return entries;
}

/** mulberry32: a small, fast, deterministic 32-bit PRNG. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a tensor name mixed with the seed, so each tensor has its own stream. */
function tensorSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`writeGgufModel: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Writes a random-weight llama GGUF model to `path` and describes what was written. */
export async function writeGgufModel(
  path: string,
  options: WriteGgufModelOptions = {},
): Promise<WrittenGgufModel> {
  const fileType = options.fileType ?? 'F16';
  const types = FILE_TYPES[fileType];
  if (types === undefined) {
    throw new Error(`writeGgufModel: unknown fileType ${String(fileType)}`);
  }
  const nEmbd = positiveInteger('embeddingLength', options.embeddingLength ?? 64);
  const nLayer = positiveInteger('blockCount', options.blockCount ?? 2);
  const nHead = positiveInteger('headCount', options.headCount ?? nEmbd / (nEmbd >= 256 ? 64 : 16));
  const nHeadKv = positiveInteger('headCountKv', options.headCountKv ?? nHead);
  const nFf = positiveInteger(
    'feedForwardLength',
    options.feedForwardLength ?? Math.ceil((nEmbd * 8) / 3 / 32) * 32,
  );
  const nCtx = positiveInteger('contextLength', options.contextLength ?? 2048);
  const nVocab = positiveInteger('vocabSize', options.vocabSize ?? BASE_VOCABULARY_SIZE);
  const seed = options.seed ?? 42;
  if (nEmbd % 32 !== 0) {
    throw new Error(`writeGgufModel: embeddingLength must be a multiple of 32, got ${nEmbd}`);
  }
  if (nFf % 32 !== 0) {
    throw new Error(`writeGgufModel: feedForwardLength must be a multiple of 32, got ${nFf}`);
  }
  if (nEmbd % nHead !== 0 || (nEmbd / nHead) % 2 !== 0) {
    throw new Error(
      `writeGgufModel: embeddingLength ${nEmbd} must split into ${nHead} heads of an even size`,
    );
  }
  if (nHead % nHeadKv !== 0) {
    throw new Error(`writeGgufModel: headCount ${nHead} must be a multiple of headCountKv ${nHeadKv}`);
  }
  if (nVocab < BASE_VOCABULARY_SIZE) {
    throw new Error(
      `writeGgufModel: vocabSize must be at least ${BASE_VOCABULARY_SIZE} (the base vocabulary), got ${nVocab}`,
    );
  }
  const headDim = nEmbd / nHead;
  const nEmbdKv = headDim * nHeadKv;
  const vocab = buildVocabulary(nVocab);

  const metadata = new Map<string, GgufWriteValue>([
    ['general.architecture', gguf.str('llama')],
    ['general.name', gguf.str(options.name ?? 'autoarr-test-model')],
    ['general.file_type', gguf.u32(types.llama)],
    ['general.quantization_version', gguf.u32(2)],
    ['llama.context_length', gguf.u32(nCtx)],
    ['llama.embedding_length', gguf.u32(nEmbd)],
    ['llama.block_count', gguf.u32(nLayer)],
    ['llama.feed_forward_length', gguf.u32(nFf)],
    ['llama.attention.head_count', gguf.u32(nHead)],
    ['llama.attention.head_count_kv', gguf.u32(nHeadKv)],
    ['llama.attention.layer_norm_rms_epsilon', gguf.f32(options.rmsNormEpsilon ?? 1e-5)],
    ['llama.rope.dimension_count', gguf.u32(headDim)],
    ['llama.rope.freq_base', gguf.f32(options.ropeFreqBase ?? 10000)],
    ['llama.vocab_size', gguf.u32(nVocab)],
    ['tokenizer.ggml.model', gguf.str('llama')],
    ['tokenizer.ggml.tokens', gguf.array(GgufValueType.STRING, vocab.map((e) => e.piece))],
    ['tokenizer.ggml.scores', gguf.array(GgufValueType.FLOAT32, vocab.map((e) => e.score))],
    ['tokenizer.ggml.token_type', gguf.array(GgufValueType.INT32, vocab.map((e) => e.type))],
    ['tokenizer.ggml.bos_token_id', gguf.u32(BOS_ID)],
    ['tokenizer.ggml.eos_token_id', gguf.u32(IM_END_ID)],
    ['tokenizer.ggml.unknown_token_id', gguf.u32(UNK_ID)],
    ['tokenizer.ggml.padding_token_id', gguf.u32(EOS_SPM_ID)],
    ['tokenizer.ggml.add_bos_token', gguf.bool(true)],
    ['tokenizer.ggml.add_eos_token', gguf.bool(false)],
    ['tokenizer.chat_template', gguf.str(options.chatTemplate ?? CHATML_TEMPLATE)],
  ]);

  const w = types.tensor;
  const norm = GgmlType.F32;
  const tensors: GgufTensorSpec[] = [{ name: 'token_embd.weight', shape: [nEmbd, nVocab], type: w }];
  for (let i = 0; i < nLayer; i++) {
    const blk = `blk.${i}`;
    tensors.push(
      { name: `${blk}.attn_norm.weight`, shape: [nEmbd], type: norm },
      { name: `${blk}.attn_q.weight`, shape: [nEmbd, nEmbd], type: w },
      { name: `${blk}.attn_k.weight`, shape: [nEmbd, nEmbdKv], type: w },
      { name: `${blk}.attn_v.weight`, shape: [nEmbd, nEmbdKv], type: w },
      { name: `${blk}.attn_output.weight`, shape: [nEmbd, nEmbd], type: w },
      { name: `${blk}.ffn_norm.weight`, shape: [nEmbd], type: norm },
      { name: `${blk}.ffn_gate.weight`, shape: [nEmbd, nFf], type: w },
      { name: `${blk}.ffn_up.weight`, shape: [nEmbd, nFf], type: w },
      { name: `${blk}.ffn_down.weight`, shape: [nFf, nEmbd], type: w },
    );
  }
  tensors.push(
    { name: 'output_norm.weight', shape: [nEmbd], type: norm },
    { name: 'output.weight', shape: [nEmbd, nVocab], type: w },
  );

  const readable = options.readableOutput ?? true;
  // After the final RMS norm the constant channel is about sqrt(n_embd / 2); aim for a logit
  // bias of about -16 on suppressed tokens (normal tokens' logits have a spread of about 1).
  const suppressWeight = -16 / Math.sqrt(nEmbd / 2);
  const suppressed = (token: number): boolean => {
    const type = vocab[token]?.type;
    return token !== IM_END_ID && (type === TokenType.BYTE || type === TokenType.CONTROL || type === TokenType.UNKNOWN);
  };
  let random: () => number = createRandom(seed);
  let scale = 1;
  const layout = await writeGgufFile(path, {
    metadata,
    tensors,
    fillRow: (tensor, rowIndex, row) => {
      if (tensor.shape.length === 1) {
        row.fill(1); // RMS norm weights
        return;
      }
      if (rowIndex === 0) {
        random = createRandom(tensorSeed(seed, tensor.name));
        // Uniform in [-a, a) with a = sqrt(3 / fan_in): unit-variance activations.
        scale = Math.sqrt(3 / row.length);
      }
      for (let i = 0; i < row.length; i++) row[i] = (random() * 2 - 1) * scale;
      if (!readable) return;
      if (tensor.name === 'token_embd.weight') {
        row[0] = 1; // the constant bias channel
      } else if (tensor.name === 'output.weight') {
        row[0] = suppressed(rowIndex) ? suppressWeight : 0;
      } else if (rowIndex === 0 && (tensor.name.endsWith('.attn_output.weight') || tensor.name.endsWith('.ffn_down.weight'))) {
        row.fill(0); // no layer writes to the bias channel
      }
    },
  });

  const parameterCount = layout.tensors.reduce(
    (sum, t) => sum + t.shape.reduce((a, b) => a * b, 1),
    0,
  );
  return {
    path,
    fileSize: layout.fileSize,
    fileType,
    parameterCount,
    tensorCount: layout.tensors.length,
    dataOffset: layout.dataOffset,
    embeddingLength: nEmbd,
    blockCount: nLayer,
    headCount: nHead,
    headCountKv: nHeadKv,
    feedForwardLength: nFf,
    contextLength: nCtx,
    vocabSize: nVocab,
    tokens: { unk: UNK_ID, bos: BOS_ID, eos: IM_END_ID, imStart: IM_START_ID, imEnd: IM_END_ID },
    tensors: layout.tensors,
  };
}
