import type { FileHandle } from 'node:fs/promises';

/** Bytes read from the file at a time: the memory the check takes, whatever the header claims. */
const CHUNK = 1 << 20;
/** Longest metadata key or tensor name accepted (llama.cpp's own keys are far shorter). */
const MAX_NAME = 1 << 16;
/** Dimensions of a tensor (GGML_MAX_DIMS). */
const MAX_DIMS = 4;
/** Smallest encodings, to bound counts by the bytes left: a tensor info and a metadata entry. */
const MIN_TENSOR_INFO = 8 + 1 + 4 + 8 + 4 + 8;
const MIN_KV = 8 + 1 + 4 + 1;
/** Byte size of each scalar GGUF value type; 8 = string, 9 = array. */
const SCALAR_SIZE: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;

/** Why a GGUF header was refused (caught and reported as a settings problem by the caller). */
export class GgufHeaderError extends Error {
  override readonly name = 'GgufHeaderError';
}

/**
 * Walks a GGUF header — version, counts, every metadata entry and tensor description — checking
 * each count and length against the bytes the file really has, before anything (node-llama-cpp's
 * reader, llama.cpp's loader) trusts them. A truncated or hostile header (a 24-byte file
 * declaring billions of entries) fails here in a few reads and at most {@link CHUNK} bytes of
 * memory, instead of allocating what it declares.
 */
export async function checkGgufHeader(file: FileHandle, size: number): Promise<void> {
  const r = new HeaderReader(file, size);
  if ((await r.bytes(4)).toString('latin1') !== 'GGUF') throw new GgufHeaderError('no GGUF magic at its start');
  const version = await r.u32();
  if (version !== 2 && version !== 3) throw new GgufHeaderError(`GGUF version ${version} is not supported (2 or 3)`);
  const tensors = await r.count('tensor count', MIN_TENSOR_INFO);
  const entries = await r.count('metadata entry count', MIN_KV);
  let alignment = 32;
  for (let i = 0; i < entries; i++) {
    const key = await r.name('metadata key');
    const type = await r.u32();
    if (key === 'general.alignment' && type === 4) {
      alignment = await r.u32();
      if (alignment === 0 || (alignment & (alignment - 1)) !== 0) throw new GgufHeaderError(`general.alignment ${alignment} is not a power of two`);
      continue;
    }
    await r.skipValue(type, key, 0);
  }
  const offsets: number[] = [];
  for (let i = 0; i < tensors; i++) {
    const name = await r.name('tensor name');
    const dims = await r.u32();
    if (dims < 1 || dims > MAX_DIMS) throw new GgufHeaderError(`tensor ${name} has ${dims} dimensions (1 to ${MAX_DIMS})`);
    for (let d = 0; d < dims; d++) await r.u64(`dimension of tensor ${name}`);
    await r.u32();
    offsets.push(await r.u64(`offset of tensor ${name}`));
  }
  const dataStart = Math.ceil(r.position / alignment) * alignment;
  if (dataStart > size) throw new GgufHeaderError(`the file ends (${size} bytes) before its tensor data starts (${dataStart})`);
  for (const offset of offsets) {
    if (dataStart + offset > size) throw new GgufHeaderError(`a tensor's data starts at ${dataStart + offset}, beyond the file's ${size} bytes (truncated?)`);
  }
}

class HeaderReader {
  position = 0;
  readonly #file: FileHandle;
  readonly #size: number;
  readonly #buffer = Buffer.alloc(CHUNK);
  #bufferStart = 0;
  #bufferLength = 0;

  constructor(file: FileHandle, size: number) {
    this.#file = file;
    this.#size = size;
  }

  get left(): number {
    return this.#size - this.position;
  }

  async bytes(n: number): Promise<Buffer> {
    if (n > this.left) throw new GgufHeaderError(`the header is truncated at byte ${this.position} of ${this.#size}`);
    if (this.position < this.#bufferStart || this.position + n > this.#bufferStart + this.#bufferLength) {
      const { bytesRead } = await this.#file.read(this.#buffer, 0, Math.min(CHUNK, this.left), this.position);
      this.#bufferStart = this.position;
      this.#bufferLength = bytesRead;
      if (bytesRead < n) throw new GgufHeaderError(`the header is truncated at byte ${this.position}`);
    }
    const at = this.position - this.#bufferStart;
    this.position += n;
    return this.#buffer.subarray(at, at + n);
  }

  skip(n: number): void {
    if (n > this.left) throw new GgufHeaderError(`the header is truncated: ${n} bytes declared at byte ${this.position}, ${this.left} left in the file`);
    this.position += n;
  }

  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }

  async u64(what: string): Promise<number> {
    const value = (await this.bytes(8)).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufHeaderError(`${what} ${value} is out of range`);
    return Number(value);
  }

  /** A count of items each at least `minBytes` long: never more than the bytes left can hold. */
  async count(what: string, minBytes: number): Promise<number> {
    const n = await this.u64(what);
    if (n * minBytes > this.left) throw new GgufHeaderError(`${what} ${n} cannot fit in the ${this.left} bytes left in the file`);
    return n;
  }

  async name(what: string): Promise<string> {
    const length = await this.u64(`${what} length`);
    if (length > MAX_NAME) throw new GgufHeaderError(`${what} of ${length} bytes at byte ${this.position} is too long`);
    return (await this.bytes(length)).toString('utf8');
  }

  async skipValue(type: number, key: string, depth: number): Promise<void> {
    const scalar = SCALAR_SIZE[type];
    if (scalar !== undefined) return this.skip(scalar);
    if (type === STRING) return this.skip(await this.u64(`string length in ${key}`));
    if (type !== ARRAY || depth > 0) throw new GgufHeaderError(`metadata ${key} has unknown value type ${type}`);
    const elementType = await this.u32();
    const elementSize = SCALAR_SIZE[elementType];
    const n = await this.count(`element count of ${key}`, elementSize ?? 8);
    if (elementSize !== undefined) return this.skip(n * elementSize);
    for (let i = 0; i < n; i++) await this.skipValue(elementType, key, depth + 1);
  }
}
