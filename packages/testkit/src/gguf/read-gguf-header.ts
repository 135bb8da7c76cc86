/**
 * Reads only the header of a GGUF file (version, metadata, tensor infos), with bounded reads
 * and clear errors, without loading tensor data.
 */
import { open, type FileHandle } from 'node:fs/promises';
import {
  GGML_TYPE_INFO,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GgufValueType,
  LLAMA_FILE_TYPE_NAMES,
} from './gguf-constants.js';

/** A metadata value; 64-bit integers are numbers when safe, bigints otherwise. */
export type GgufMetadataValue = number | bigint | boolean | string | GgufMetadataValue[];

export interface GgufTensorInfo {
  readonly name: string;
  /** ggml order: `shape[0]` (ne0) is the innermost dimension. */
  readonly shape: readonly number[];
  /** ggml type id, e.g. 0 F32, 1 F16, 2 Q4_0, 8 Q8_0. */
  readonly type: number;
  /** ggml type name, or `UNKNOWN(<id>)`. */
  readonly typeName: string;
  /** Offset from the start of the tensor data section. */
  readonly offset: number;
  /** Bytes of the tensor's data; undefined for an unknown type. */
  readonly byteSize: number | undefined;
}

export interface GgufHeader {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufMetadataValue>;
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  /** Absolute file offset where tensor data starts. */
  readonly dataOffset: number;
  readonly fileSize: number;
  /** `general.architecture`, if present. */
  readonly architecture: string | undefined;
  /** `<architecture>.context_length`, if present. */
  readonly contextLength: number | undefined;
  /** `general.file_type` (llama.cpp's `llama_ftype`), if present. */
  readonly fileType: number | undefined;
  /** Name of {@link fileType}, e.g. "MOSTLY_Q8_0". */
  readonly fileTypeName: string | undefined;
  /** How many tensors of each type name the file holds, e.g. { F32: 5, Q8_0: 20 }. */
  readonly tensorTypeCounts: Readonly<Record<string, number>>;
}

export interface ReadGgufHeaderOptions {
  /** Most bytes the header may take; defaults to 256 MiB. */
  readonly maxHeaderBytes?: number;
  /** Longest string (key, value or tensor name) in bytes; defaults to 16 MiB. */
  readonly maxStringBytes?: number;
  /** Most metadata entries; defaults to 65,536. */
  readonly maxMetadataEntries?: number;
  /** Most items of one array; defaults to 16,777,216. */
  readonly maxArrayItems?: number;
  /** Most tensors; defaults to 1,048,576. */
  readonly maxTensors?: number;
}

const MAX_DIMS = 4;
const MAX_ARRAY_NESTING = 8;
const READ_CHUNK = 1024 * 1024;

class BoundedReader {
  private buffer = Buffer.alloc(0);
  get view(): Buffer {
    return this.buffer;
  }
  /** File offset of buffer[0]. */
  private bufferStart = 0;
  position = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    readonly fileSize: number,
    private readonly limit: number,
  ) {}

  fail(message: string): never {
    throw new Error(`Invalid GGUF file ${this.path}: ${message}`);
  }

  /** Makes `bytes` bytes at the current position available; returns their index in {@link view}. */
  async ensure(bytes: number, what: string): Promise<number> {
    const end = this.position + bytes;
    if (end > this.fileSize) {
      this.fail(`unexpected end of file reading ${what} at offset ${this.position} (file has ${this.fileSize} bytes)`);
    }
    if (end > this.limit) {
      this.fail(`header is larger than the ${this.limit}-byte limit (reading ${what} at offset ${this.position})`);
    }
    const bufferEnd = this.bufferStart + this.buffer.length;
    if (end > bufferEnd) {
      const keepFrom = this.position - this.bufferStart;
      const kept = this.buffer.subarray(keepFrom);
      const want = Math.min(Math.max(bytes - kept.length, READ_CHUNK), this.fileSize - bufferEnd);
      const next = Buffer.alloc(kept.length + want);
      kept.copy(next, 0);
      let filled = kept.length;
      while (filled < next.length) {
        const { bytesRead } = await this.file.read(next, filled, next.length - filled, this.bufferStart + keepFrom + filled);
        if (bytesRead === 0) this.fail(`unexpected end of file reading ${what} at offset ${this.position}`);
        filled += bytesRead;
      }
      this.buffer = next;
      this.bufferStart = this.position;
    }
    const at = this.position - this.bufferStart;
    this.position = end;
    return at;
  }

  async u8(what: string): Promise<number> {
    const at = await this.ensure(1, what);
    return this.buffer.readUInt8(at);
  }
  async i8(what: string): Promise<number> {
    const at = await this.ensure(1, what);
    return this.buffer.readInt8(at);
  }
  async u16(what: string): Promise<number> {
    const at = await this.ensure(2, what);
    return this.buffer.readUInt16LE(at);
  }
  async i16(what: string): Promise<number> {
    const at = await this.ensure(2, what);
    return this.buffer.readInt16LE(at);
  }
  async u32(what: string): Promise<number> {
    const at = await this.ensure(4, what);
    return this.buffer.readUInt32LE(at);
  }
  async i32(what: string): Promise<number> {
    const at = await this.ensure(4, what);
    return this.buffer.readInt32LE(at);
  }
  async f32(what: string): Promise<number> {
    const at = await this.ensure(4, what);
    return this.buffer.readFloatLE(at);
  }
  async f64(what: string): Promise<number> {
    const at = await this.ensure(8, what);
    return this.buffer.readDoubleLE(at);
  }
  async u64(what: string): Promise<bigint> {
    const at = await this.ensure(8, what);
    return this.buffer.readBigUInt64LE(at);
  }
  async i64(what: string): Promise<bigint> {
    const at = await this.ensure(8, what);
    return this.buffer.readBigInt64LE(at);
  }
  /** A uint64 that must be a count or size no larger than `max`. */
  async count(what: string, max: number): Promise<number> {
    const at = this.position;
    const value = await this.u64(what);
    if (value > BigInt(max)) this.fail(`${what} ${value} at offset ${at} exceeds the limit of ${max}`);
    return Number(value);
  }
  async string(what: string, maxBytes: number): Promise<string> {
    const length = await this.count(`length of ${what}`, maxBytes);
    const at = await this.ensure(length, what);
    return this.buffer.toString('utf8', at, at + length);
  }
}

const asNumber = (value: bigint): number | bigint =>
  value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;

const FIXED_SIZE_READERS = new Map<number, { size: number; read: (b: Buffer, at: number) => number | bigint }>([
  [GgufValueType.UINT8, { size: 1, read: (b, at) => b.readUInt8(at) }],
  [GgufValueType.INT8, { size: 1, read: (b, at) => b.readInt8(at) }],
  [GgufValueType.BOOL, { size: 1, read: (b, at) => b.readUInt8(at) }],
  [GgufValueType.UINT16, { size: 2, read: (b, at) => b.readUInt16LE(at) }],
  [GgufValueType.INT16, { size: 2, read: (b, at) => b.readInt16LE(at) }],
  [GgufValueType.UINT32, { size: 4, read: (b, at) => b.readUInt32LE(at) }],
  [GgufValueType.INT32, { size: 4, read: (b, at) => b.readInt32LE(at) }],
  [GgufValueType.FLOAT32, { size: 4, read: (b, at) => b.readFloatLE(at) }],
  [GgufValueType.FLOAT64, { size: 8, read: (b, at) => b.readDoubleLE(at) }],
  [GgufValueType.UINT64, { size: 8, read: (b, at) => asNumber(b.readBigUInt64LE(at)) }],
  [GgufValueType.INT64, { size: 8, read: (b, at) => asNumber(b.readBigInt64LE(at)) }],
]);

/**
 * Reads the header of the GGUF file at `path`: version, metadata and tensor infos. Reads only
 * as many bytes as the header takes (in 1 MiB steps) and throws an Error naming the file and
 * the offset on a wrong magic, an unsupported version, a truncated file or an out-of-limit size.
 */
export async function readGgufHeader(path: string, options: ReadGgufHeaderOptions = {}): Promise<GgufHeader> {
  const maxHeaderBytes = options.maxHeaderBytes ?? 256 * 1024 * 1024;
  const maxStringBytes = options.maxStringBytes ?? 16 * 1024 * 1024;
  const maxMetadataEntries = options.maxMetadataEntries ?? 65_536;
  const maxArrayItems = options.maxArrayItems ?? 16_777_216;
  const maxTensors = options.maxTensors ?? 1_048_576;

  const file = await open(path, 'r');
  try {
    const { size, isFile } = await file.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
    const reader: BoundedReader = new BoundedReader(file, path, size, maxHeaderBytes);
    if (!isFile) reader.fail('not a regular file');
    if (size < 4) reader.fail(`too short to be GGUF (${size} bytes)`);

    const magic = await reader.u32('magic');
    if (magic !== GGUF_MAGIC) {
      const shown = Buffer.alloc(4);
      shown.writeUInt32LE(magic);
      reader.fail(`bad magic ${JSON.stringify(shown.toString('latin1'))} (expected "GGUF")`);
    }
    const version = await reader.u32('version');
    if (version === 1) reader.fail('GGUF version 1 is not supported (only 2 and 3)');
    if (version !== 2 && version !== 3) {
      const swapped = ((version & 0xff) << 24) | ((version & 0xff00) << 8) | ((version >>> 8) & 0xff00) | (version >>> 24);
      if (swapped === 2 || swapped === 3) reader.fail('big-endian GGUF files are not supported');
      reader.fail(`unsupported GGUF version ${version} (only 2 and 3)`);
    }
    const tensorCount = await reader.count('tensor count', maxTensors);
    const metadataCount = await reader.count('metadata entry count', maxMetadataEntries);

    const readScalar = async (type: number, what: string): Promise<GgufMetadataValue> => {
      switch (type) {
        case GgufValueType.UINT8: return reader.u8(what);
        case GgufValueType.INT8: return reader.i8(what);
        case GgufValueType.UINT16: return reader.u16(what);
        case GgufValueType.INT16: return reader.i16(what);
        case GgufValueType.UINT32: return reader.u32(what);
        case GgufValueType.INT32: return reader.i32(what);
        case GgufValueType.FLOAT32: return reader.f32(what);
        case GgufValueType.FLOAT64: return reader.f64(what);
        case GgufValueType.UINT64: return asNumber(await reader.u64(what));
        case GgufValueType.INT64: return asNumber(await reader.i64(what));
        case GgufValueType.STRING: return reader.string(what, maxStringBytes);
        case GgufValueType.BOOL: {
          const at = reader.position;
          const byte = await reader.u8(what);
          if (byte > 1) reader.fail(`${what} at offset ${at} is not a bool (${byte})`);
          return byte === 1;
        }
        default:
          return reader.fail(`${what} has unknown value type ${type}`);
      }
    };
    const readValue = async (type: number, what: string, depth: number): Promise<GgufMetadataValue> => {
      if (type !== GgufValueType.ARRAY) return readScalar(type, what);
      if (depth >= MAX_ARRAY_NESTING) reader.fail(`${what} nests arrays deeper than ${MAX_ARRAY_NESTING}`);
      const itemType = await reader.u32(`item type of ${what}`);
      const length = await reader.count(`length of ${what}`, maxArrayItems);
      const items: GgufMetadataValue[] = [];
      const fixed = FIXED_SIZE_READERS.get(itemType);
      if (fixed !== undefined) {
        // Fixed-size items: one bounded read for the whole array, then synchronous decoding.
        const at = await reader.ensure(length * fixed.size, what);
        const view = reader.view;
        for (let i = 0; i < length; i++) {
          const value = fixed.read(view, at + i * fixed.size);
          if (itemType === GgufValueType.BOOL && value !== 0 && value !== 1) reader.fail(`${what}[${i}] is not a bool`);
          items.push(itemType === GgufValueType.BOOL ? value === 1 : value);
        }
        return items;
      }
      for (let i = 0; i < length; i++) items.push(await readValue(itemType, `${what}[${i}]`, depth + 1));
      return items;
    };

    const metadata = new Map<string, GgufMetadataValue>();
    for (let i = 0; i < metadataCount; i++) {
      const key = await reader.string(`metadata key #${i}`, maxStringBytes);
      if (metadata.has(key)) reader.fail(`duplicate metadata key "${key}"`);
      const type = await reader.u32(`value type of "${key}"`);
      metadata.set(key, await readValue(type, `metadata "${key}"`, 0));
    }

    let alignment = GGUF_DEFAULT_ALIGNMENT;
    const alignmentValue = metadata.get('general.alignment');
    if (alignmentValue !== undefined) {
      if (typeof alignmentValue !== 'number' || !Number.isInteger(alignmentValue) || alignmentValue <= 0 || (alignmentValue & (alignmentValue - 1)) !== 0) {
        reader.fail(`general.alignment must be a power of two, got ${String(alignmentValue)}`);
      }
      alignment = alignmentValue;
    }

    const tensors: GgufTensorInfo[] = [];
    const tensorNames = new Set<string>();
    for (let i = 0; i < tensorCount; i++) {
      const name = await reader.string(`name of tensor #${i}`, maxStringBytes);
      if (tensorNames.has(name)) reader.fail(`duplicate tensor name "${name}"`);
      tensorNames.add(name);
      const dims = await reader.u32(`dimension count of tensor "${name}"`);
      if (dims < 1 || dims > MAX_DIMS) reader.fail(`tensor "${name}" has ${dims} dimensions (1 to ${MAX_DIMS} allowed)`);
      const shape: number[] = [];
      let elements = 1;
      for (let d = 0; d < dims; d++) {
        const dim = await reader.count(`dimension ${d} of tensor "${name}"`, Number.MAX_SAFE_INTEGER);
        shape.push(dim);
        elements *= dim;
      }
      if (!Number.isSafeInteger(elements)) reader.fail(`tensor "${name}" has too many elements`);
      const type = await reader.u32(`type of tensor "${name}"`);
      const offset = await reader.count(`data offset of tensor "${name}"`, Number.MAX_SAFE_INTEGER);
      if (offset % alignment !== 0) reader.fail(`tensor "${name}" data offset ${offset} is not aligned to ${alignment}`);
      const info = GGML_TYPE_INFO.get(type);
      let byteSize: number | undefined;
      if (info !== undefined) {
        const rowLength = shape[0] ?? 0;
        if (rowLength % info.blockSize !== 0) {
          reader.fail(`tensor "${name}" row length ${rowLength} is not a multiple of the ${info.name} block size ${info.blockSize}`);
        }
        byteSize = (elements / info.blockSize) * info.typeSize;
      }
      tensors.push({ name, shape, type, typeName: info?.name ?? `UNKNOWN(${type})`, offset, byteSize });
    }

    const dataOffset = Math.ceil(reader.position / alignment) * alignment;
    for (const t of tensors) {
      if (t.byteSize !== undefined && dataOffset + t.offset + t.byteSize > size) {
        reader.fail(`tensor "${t.name}" data (offset ${dataOffset + t.offset}, ${t.byteSize} bytes) runs past the end of the file (${size} bytes)`);
      }
    }

    const architecture = metadata.get('general.architecture');
    const arch = typeof architecture === 'string' ? architecture : undefined;
    const contextValue = arch === undefined ? undefined : metadata.get(`${arch}.context_length`);
    const fileTypeValue = metadata.get('general.file_type');
    const fileType = typeof fileTypeValue === 'number' ? fileTypeValue : undefined;
    const tensorTypeCounts: Record<string, number> = {};
    for (const t of tensors) tensorTypeCounts[t.typeName] = (tensorTypeCounts[t.typeName] ?? 0) + 1;
    return {
      version,
      metadata,
      tensors,
      alignment,
      dataOffset,
      fileSize: size,
      architecture: arch,
      contextLength: typeof contextValue === 'number' ? contextValue : undefined,
      fileType,
      fileTypeName: fileType === undefined ? undefined : (LLAMA_FILE_TYPE_NAMES.get(fileType) ?? `UNKNOWN(${fileType})`),
      tensorTypeCounts,
    };
  } finally {
    await file.close();
  }
}
