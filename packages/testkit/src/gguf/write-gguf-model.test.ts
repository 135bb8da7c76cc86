import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgmlType } from './gguf-constants.js';
import { readGgufHeader } from './read-gguf-header.js';
import {
  decodeRow,
  float16BitsToNumber,
  float32ToFloat16Bits,
  quantizeRowQ4_0,
  quantizeRowQ8_0,
} from './quantize.js';
import { BASE_VOCABULARY_SIZE, writeGgufModel, type GgufModelFileType } from './write-gguf-model.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

async function readBytes(path: string, position: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, position);
    return buffer;
  } finally {
    await file.close();
  }
}

describe('writeGgufModel', () => {
  it('writes a GGUF v3 llama model whose header reads back as written', async () => {
    const path = join(dir, 'tiny-f16.gguf');
    const model = await writeGgufModel(path, { fileType: 'F16', name: 'tiny' });
    const raw = await readBytes(path, 0, 8);
    expect(raw.toString('latin1', 0, 4)).toBe('GGUF');
    expect(raw.readUInt32LE(4)).toBe(3);

    const header = await readGgufHeader(path);
    expect(header.version).toBe(3);
    expect(header.alignment).toBe(32);
    expect(header.architecture).toBe('llama');
    expect(header.contextLength).toBe(2048);
    expect(header.fileType).toBe(1);
    expect(header.fileTypeName).toBe('MOSTLY_F16');
    const md = header.metadata;
    expect(md.get('general.name')).toBe('tiny');
    expect(md.get('llama.embedding_length')).toBe(64);
    expect(md.get('llama.block_count')).toBe(2);
    expect(md.get('llama.feed_forward_length')).toBe(192);
    expect(md.get('llama.attention.head_count')).toBe(4);
    expect(md.get('llama.attention.head_count_kv')).toBe(4);
    expect(md.get('llama.rope.dimension_count')).toBe(16);
    expect(md.get('llama.attention.layer_norm_rms_epsilon')).toBeCloseTo(1e-5, 10);
    expect(md.get('tokenizer.ggml.model')).toBe('llama');

    const tokens = md.get('tokenizer.ggml.tokens');
    const scores = md.get('tokenizer.ggml.scores');
    const types = md.get('tokenizer.ggml.token_type');
    if (!Array.isArray(tokens) || !Array.isArray(scores) || !Array.isArray(types)) {
      throw new Error('tokenizer arrays missing');
    }
    expect(tokens.length).toBe(BASE_VOCABULARY_SIZE);
    expect(md.get('llama.vocab_size')).toBe(tokens.length);
    expect(scores.length).toBe(tokens.length);
    expect(types.length).toBe(tokens.length);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (let b = 0; b < 256; b++) {
      const id = tokens.indexOf(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      expect(id).toBe(3 + b);
      expect(types[id]).toBe(6);
    }
    expect(tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    const imStart = tokens.indexOf('<|im_start|>');
    const imEnd = tokens.indexOf('<|im_end|>');
    expect([imStart, imEnd]).toEqual([model.tokens.imStart, model.tokens.imEnd]);
    expect(types[imStart]).toBe(3);
    expect(types[imEnd]).toBe(3);
    expect(md.get('tokenizer.ggml.bos_token_id')).toBe(1);
    expect(md.get('tokenizer.ggml.eos_token_id')).toBe(imEnd);
    expect(md.get('tokenizer.ggml.unknown_token_id')).toBe(0);
    expect(md.get('tokenizer.chat_template')).toContain('<|im_start|>');

    // tensor layout: names, shapes, types, aligned contiguous offsets, exact file size
    expect(header.tensors.length).toBe(2 + 9 * 2 + 1);
    expect(header.tensors.map((t) => t.name).slice(0, 4)).toEqual([
      'token_embd.weight',
      'blk.0.attn_norm.weight',
      'blk.0.attn_q.weight',
      'blk.0.attn_k.weight',
    ]);
    const byName = new Map(header.tensors.map((t) => [t.name, t]));
    expect(byName.get('token_embd.weight')?.shape).toEqual([64, tokens.length]);
    expect(byName.get('output.weight')?.shape).toEqual([64, tokens.length]);
    expect(byName.get('blk.1.ffn_down.weight')?.shape).toEqual([192, 64]);
    expect(byName.get('blk.1.ffn_up.weight')?.shape).toEqual([64, 192]);
    expect(byName.get('output_norm.weight')).toMatchObject({ shape: [64], typeName: 'F32' });
    expect(header.tensorTypeCounts).toEqual({ F16: 16, F32: 5 });
    expect(header.dataOffset % 32).toBe(0);
    expect(header.dataOffset).toBe(model.dataOffset);
    let expectedOffset = 0;
    for (const t of header.tensors) {
      expect(t.offset).toBe(alignUp(expectedOffset, 32));
      expectedOffset = t.offset + (t.byteSize ?? 0);
    }
    const size = (await stat(path)).size;
    expect(size).toBe(header.dataOffset + alignUp(expectedOffset, 32));
    expect(size).toBe(model.fileSize);

    // norm weights are F32 ones
    const norm = byName.get('blk.0.ffn_norm.weight');
    if (norm === undefined) throw new Error('missing norm');
    const normBytes = await readBytes(path, header.dataOffset + norm.offset, 64 * 4);
    expect([...decodeRow(GgmlType.F32, normBytes, 64)].every((v) => v === 1)).toBe(true);
  });

  it.each([
    ['F32', 0, 'F32', 4 * 64],
    ['F16', 1, 'F16', 2 * 64],
    ['Q8_0', 7, 'Q8_0', 2 * 34],
    ['Q4_0', 2, 'Q4_0', 2 * 18],
  ] as const)('writes file type %s (general.file_type %i, %s tensors)', async (fileType, ftype, typeName, rowBytes) => {
    const path = join(dir, `tiny-${fileType}.gguf`);
    const model = await writeGgufModel(path, { fileType: fileType as GgufModelFileType });
    const header = await readGgufHeader(path);
    expect(header.fileType).toBe(ftype);
    const q = header.tensors.find((t) => t.name === 'blk.0.attn_q.weight');
    expect(q).toMatchObject({ typeName, shape: [64, 64], byteSize: rowBytes * 64 });
    expect(header.tensors.filter((t) => t.shape.length === 1).every((t) => t.typeName === 'F32')).toBe(true);
    expect((await stat(path)).size).toBe(model.fileSize);

    // weights decode to bounded, non-constant values
    if (q === undefined) throw new Error('missing tensor');
    const row = decodeRow(
      [GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0][['F32', 'F16', 'Q8_0', 'Q4_0'].indexOf(fileType)] ?? GgmlType.F32,
      await readBytes(path, header.dataOffset + q.offset + rowBytes, rowBytes),
      64,
    );
    const bound = Math.sqrt(3 / 64) * 1.01;
    expect([...row].every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(new Set(row).size).toBeGreaterThan(4);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const a = join(dir, 'seed-a.gguf');
    const b = join(dir, 'seed-b.gguf');
    const c = join(dir, 'seed-c.gguf');
    await writeGgufModel(a, { fileType: 'Q8_0', seed: 5 });
    await writeGgufModel(b, { fileType: 'Q8_0', seed: 5 });
    await writeGgufModel(c, { fileType: 'Q8_0', seed: 6 });
    const [bytesA, bytesB, bytesC] = await Promise.all([readFile(a), readFile(b), readFile(c)]);
    expect(bytesA.equals(bytesB)).toBe(true);
    expect(bytesA.equals(bytesC)).toBe(false);
    expect(bytesA.length).toBe(bytesC.length);
  });

  it('fills a larger vocabulary with unique synthetic pieces and honours the options', async () => {
    const path = join(dir, 'wide.gguf');
    const model = await writeGgufModel(path, {
      fileType: 'Q4_0',
      embeddingLength: 128,
      blockCount: 3,
      headCount: 4,
      headCountKv: 2,
      vocabSize: 2000,
      contextLength: 4096,
    });
    const header = await readGgufHeader(path);
    const tokens = header.metadata.get('tokenizer.ggml.tokens');
    if (!Array.isArray(tokens)) throw new Error('tokens missing');
    expect(tokens.length).toBe(2000);
    expect(new Set(tokens).size).toBe(2000);
    expect(header.contextLength).toBe(4096);
    expect(header.metadata.get('llama.attention.head_count_kv')).toBe(2);
    expect(header.metadata.get('llama.rope.dimension_count')).toBe(32);
    expect(header.tensors.find((t) => t.name === 'blk.2.attn_k.weight')?.shape).toEqual([128, 64]);
    expect(header.tensors.find((t) => t.name === 'token_embd.weight')?.shape).toEqual([128, 2000]);
    expect(model.parameterCount).toBe(
      header.tensors.reduce((sum, t) => sum + t.shape.reduce((x, y) => x * y, 1), 0),
    );
  });

  it('rejects invalid options with clear errors', async () => {
    const path = join(dir, 'bad.gguf');
    await expect(writeGgufModel(path, { embeddingLength: 48 })).rejects.toThrow(/multiple of 32/);
    await expect(writeGgufModel(path, { vocabSize: 10 })).rejects.toThrow(/vocabSize must be at least/);
    await expect(writeGgufModel(path, { headCount: 5 })).rejects.toThrow(/heads/);
    await expect(writeGgufModel(path, { blockCount: 0 })).rejects.toThrow(/blockCount/);
  });
});

describe('quantizers', () => {
  it('converts to IEEE half precision with round-to-nearest-even', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(0.1)).toBe(0x2e66);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (up)
    expect(float32ToFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float16BitsToNumber(0x3555)).toBeCloseTo(1 / 3, 3);
  });

  it('lays out Q8_0 blocks as f16 d followed by 32 int8 (llama.cpp reference)', () => {
    const x = Float32Array.from({ length: 32 }, (_, j) => j - 16);
    const out = Buffer.alloc(34);
    expect(quantizeRowQ8_0(x, out, 0)).toBe(34);
    const d = Math.fround(16 / 127);
    expect(out.readUInt16LE(0)).toBe(float32ToFloat16Bits(d));
    const id = Math.fround(1 / d);
    for (let j = 0; j < 32; j++) {
      const v = Math.fround((j - 16) * id);
      expect(out.readInt8(2 + j)).toBe(Math.sign(v) * Math.round(Math.abs(v)));
    }
    expect(out.readInt8(2)).toBe(-127);
  });

  it('lays out Q4_0 blocks as f16 d then low nibbles = first 16, high nibbles = last 16, offset by 8', () => {
    // x[0] = -8 is the value of largest magnitude, so d = -8 / -8 = 1 and q = x + 8
    const x = new Float32Array(32);
    for (let j = 0; j < 16; j++) {
      x[j] = j === 0 ? -8 : (j % 15) - 7;
      x[16 + j] = 7 - (j % 15);
    }
    const out = Buffer.alloc(18);
    expect(quantizeRowQ4_0(x, out, 0)).toBe(18);
    expect(out.readUInt16LE(0)).toBe(0x3c00);
    for (let j = 0; j < 16; j++) {
      const low = (x[j] ?? 0) + 8;
      const high = (x[16 + j] ?? 0) + 8;
      expect(out[2 + j]).toBe(low | (high << 4));
    }
    expect([...decodeRow(GgmlType.Q4_0, out, 32)]).toEqual([...x]);
  });

  it('rejects rows that are not whole blocks', () => {
    expect(() => quantizeRowQ8_0(new Float32Array(33), Buffer.alloc(64), 0)).toThrow(/multiple of 32/);
  });
});

describe('readGgufHeader', () => {
  it('rejects a file without the GGUF magic', async () => {
    const path = join(dir, 'not.gguf');
    await writeFile(path, 'GGML and more bytes here');
    await expect(readGgufHeader(path)).rejects.toThrow(/bad magic "GGML" \(expected "GGUF"\)/);
  });

  it('rejects a too short, an unsupported-version and a truncated file', async () => {
    const short = join(dir, 'short.gguf');
    await writeFile(short, 'GG');
    await expect(readGgufHeader(short)).rejects.toThrow(/too short/);

    const v1 = join(dir, 'v1.gguf');
    const b = Buffer.alloc(24);
    b.write('GGUF', 0, 'latin1');
    b.writeUInt32LE(1, 4);
    await writeFile(v1, b);
    await expect(readGgufHeader(v1)).rejects.toThrow(/version 1 is not supported/);
    b.writeUInt32LE(99, 4);
    await writeFile(v1, b);
    await expect(readGgufHeader(v1)).rejects.toThrow(/unsupported GGUF version 99/);

    const full = join(dir, 'full.gguf');
    await writeGgufModel(full, { fileType: 'Q4_0' });
    const header = await readGgufHeader(full);
    const bytes = await readFile(full);
    const cutHeader = join(dir, 'cut-header.gguf');
    await writeFile(cutHeader, bytes.subarray(0, 5000));
    await expect(readGgufHeader(cutHeader)).rejects.toThrow(/unexpected end of file/);
    const cutData = join(dir, 'cut-data.gguf');
    await writeFile(cutData, bytes.subarray(0, header.dataOffset + 100));
    await expect(readGgufHeader(cutData)).rejects.toThrow(/runs past the end of the file/);
  });

  it('enforces its limits', async () => {
    const path = join(dir, 'limits.gguf');
    await writeGgufModel(path, { fileType: 'Q4_0' });
    await expect(readGgufHeader(path, { maxHeaderBytes: 1024 })).rejects.toThrow(/larger than the 1024-byte limit/);
    await expect(readGgufHeader(path, { maxArrayItems: 100 })).rejects.toThrow(/exceeds the limit of 100/);
    await expect(readGgufHeader(path, { maxTensors: 3 })).rejects.toThrow(/tensor count 21 .* exceeds the limit of 3/);

    const huge = join(dir, 'huge-string.gguf');
    const b = Buffer.alloc(40);
    b.write('GGUF', 0, 'latin1');
    b.writeUInt32LE(3, 4);
    b.writeBigUInt64LE(0n, 8);
    b.writeBigUInt64LE(1n, 16);
    b.writeBigUInt64LE(2n ** 62n, 24); // key length
    await writeFile(huge, b);
    await expect(readGgufHeader(huge)).rejects.toThrow(/length of metadata key #0 .* exceeds the limit/);
  });
});
