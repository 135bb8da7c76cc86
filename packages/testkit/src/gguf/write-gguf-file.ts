/**
 * A streaming GGUF v3 writer: the header (metadata and tensor infos) is built in memory,
 * tensor data is produced row by row through a callback and written in bounded chunks, so
 * a file of any size needs only a few MiB of memory.
 */
import { open, rename, rm } from 'node:fs/promises';
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  GgufValueType,
  ggmlRowByteSize,
  type GgmlType,
} from './gguf-constants.js';
import { encodeRow } from './quantize.js';

export type GgufScalarValueType = Exclude<GgufValueType, typeof GgufValueType.ARRAY>;
export type GgufScalar = number | bigint | boolean | string;

/** A metadata value to write, with its GGUF value type. */
export type GgufWriteValue =
  | { readonly type: GgufScalarValueType; readonly value: GgufScalar }
  | {
      readonly type: typeof GgufValueType.ARRAY;
      readonly itemType: GgufScalarValueType;
      readonly items: readonly GgufScalar[];
    };

/** Shorthands for {@link GgufWriteValue}s. */
export const gguf = {
  u32: (value: number): GgufWriteValue => ({ type: GgufValueType.UINT32, value }),
  i32: (value: number): GgufWriteValue => ({ type: GgufValueType.INT32, value }),
  u64: (value: number | bigint): GgufWriteValue => ({ type: GgufValueType.UINT64, value }),
  f32: (value: number): GgufWriteValue => ({ type: GgufValueType.FLOAT32, value }),
  bool: (value: boolean): GgufWriteValue => ({ type: GgufValueType.BOOL, value }),
  str: (value: string): GgufWriteValue => ({ type: GgufValueType.STRING, value }),
  array: (itemType: GgufScalarValueType, items: readonly GgufScalar[]): GgufWriteValue => ({
    type: GgufValueType.ARRAY,
    itemType,
    items,
  }),
};

export interface GgufTensorSpec {
  readonly name: string;
  /** ggml order: `shape[0]` (ne0) is the row length, the innermost dimension. */
  readonly shape: readonly number[];
  readonly type: GgmlType;
}

export interface GgufTensorPlacement extends GgufTensorSpec {
  /** Offset from the start of the tensor data section. */
  readonly offset: number;
  readonly byteSize: number;
  readonly rowByteSize: number;
  readonly rows: number;
}

export interface GgufLayout {
  readonly header: Buffer;
  /** Absolute file offset of the tensor data section (the header length padded to alignment). */
  readonly dataOffset: number;
  readonly tensors: readonly GgufTensorPlacement[];
  readonly fileSize: number;
}

/** Fills `row` (length `shape[0]`) with the float values of row `rowIndex` of tensor `tensor`. */
export type GgufRowFiller = (tensor: GgufTensorPlacement, rowIndex: number, row: Float32Array) => void;

export interface WriteGgufFileOptions {
  readonly metadata: ReadonlyMap<string, GgufWriteValue>;
  readonly tensors: readonly GgufTensorSpec[];
  readonly fillRow: GgufRowFiller;
  /** Defaults to 32; when not 32 it is written as `general.alignment`. */
  readonly alignment?: number;
  /** Size of the write buffer in bytes; defaults to 4 MiB. */
  readonly chunkBytes?: number;
}

const alignUp = (value: number, alignment: number): number =>
  Math.ceil(value / alignment) * alignment;

class ByteSink {
  private buffer = Buffer.alloc(64 * 1024);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = Buffer.alloc(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buffer.writeUInt8(v, this.length);
    this.length += 1;
  }
  u32(v: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  u64(v: number | bigint): void {
    this.reserve(8);
    this.buffer.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }
  scalar(type: GgufScalarValueType, v: GgufScalar, key: string): void {
    const fail = (): never => {
      throw new Error(`GGUF metadata "${key}": value ${String(v)} does not fit type ${type}`);
    };
    const int = (min: number, max: number): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return fail();
      return v;
    };
    switch (type) {
      case GgufValueType.UINT8:
        this.u8(int(0, 0xff));
        return;
      case GgufValueType.INT8:
        this.reserve(1);
        this.buffer.writeInt8(int(-0x80, 0x7f), this.length);
        this.length += 1;
        return;
      case GgufValueType.UINT16:
        this.reserve(2);
        this.buffer.writeUInt16LE(int(0, 0xffff), this.length);
        this.length += 2;
        return;
      case GgufValueType.INT16:
        this.reserve(2);
        this.buffer.writeInt16LE(int(-0x8000, 0x7fff), this.length);
        this.length += 2;
        return;
      case GgufValueType.UINT32:
        this.u32(int(0, 0xffffffff));
        return;
      case GgufValueType.INT32:
        this.reserve(4);
        this.buffer.writeInt32LE(int(-0x80000000, 0x7fffffff), this.length);
        this.length += 4;
        return;
      case GgufValueType.FLOAT32:
        if (typeof v !== 'number') return fail();
        this.reserve(4);
        this.buffer.writeFloatLE(v, this.length);
        this.length += 4;
        return;
      case GgufValueType.FLOAT64:
        if (typeof v !== 'number') return fail();
        this.reserve(8);
        this.buffer.writeDoubleLE(v, this.length);
        this.length += 8;
        return;
      case GgufValueType.BOOL:
        if (typeof v !== 'boolean') return fail();
        this.u8(v ? 1 : 0);
        return;
      case GgufValueType.STRING:
        if (typeof v !== 'string') return fail();
        this.string(v);
        return;
      case GgufValueType.UINT64:
      case GgufValueType.INT64: {
        if (typeof v !== 'number' && typeof v !== 'bigint') return fail();
        if (typeof v === 'number' && !Number.isSafeInteger(v)) return fail();
        const big = BigInt(v);
        this.reserve(8);
        if (type === GgufValueType.UINT64) {
          if (big < 0n || big > 0xffffffffffffffffn) return fail();
          this.buffer.writeBigUInt64LE(big, this.length);
        } else {
          if (big < -(2n ** 63n) || big >= 2n ** 63n) return fail();
          this.buffer.writeBigInt64LE(big, this.length);
        }
        this.length += 8;
        return;
      }
    }
  }
  padTo(alignment: number): void {
    const target = alignUp(this.length, alignment);
    this.reserve(target - this.length);
    this.buffer.fill(0, this.length, target);
    this.length = target;
  }
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** Computes the header bytes and where each tensor goes, without touching the disk. */
export function planGgufLayout(
  metadata: ReadonlyMap<string, GgufWriteValue>,
  tensors: readonly GgufTensorSpec[],
  alignment = GGUF_DEFAULT_ALIGNMENT,
): GgufLayout {
  if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0) {
    throw new Error(`GGUF alignment must be a positive multiple of 8, got ${alignment}`);
  }
  const entries = new Map(metadata);
  if (alignment !== GGUF_DEFAULT_ALIGNMENT) {
    entries.set('general.alignment', gguf.u32(alignment));
  }
  const placements: GgufTensorPlacement[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const spec of tensors) {
    if (names.has(spec.name)) throw new Error(`Duplicate GGUF tensor name "${spec.name}"`);
    names.add(spec.name);
    if (spec.shape.length < 1 || spec.shape.length > 4) {
      throw new Error(`Tensor "${spec.name}" must have 1 to 4 dimensions`);
    }
    for (const dim of spec.shape) {
      if (!Number.isSafeInteger(dim) || dim <= 0) {
        throw new Error(`Tensor "${spec.name}" has an invalid dimension ${dim}`);
      }
    }
    const rowLength = spec.shape[0] ?? 0;
    const rows = spec.shape.slice(1).reduce((a, b) => a * b, 1);
    const rowByteSize = ggmlRowByteSize(spec.type, rowLength);
    offset = alignUp(offset, alignment);
    placements.push({ ...spec, offset, byteSize: rowByteSize * rows, rowByteSize, rows });
    offset += rowByteSize * rows;
  }

  const sink = new ByteSink();
  sink.u32(GGUF_MAGIC);
  sink.u32(GGUF_VERSION);
  sink.u64(placements.length);
  sink.u64(entries.size);
  for (const [key, value] of entries) {
    sink.string(key);
    sink.u32(value.type);
    if (value.type === GgufValueType.ARRAY) {
      sink.u32(value.itemType);
      sink.u64(value.items.length);
      for (const item of value.items) sink.scalar(value.itemType, item, key);
    } else {
      sink.scalar(value.type, value.value, key);
    }
  }
  for (const t of placements) {
    sink.string(t.name);
    sink.u32(t.shape.length);
    for (const dim of t.shape) sink.u64(dim);
    sink.u32(t.type);
    sink.u64(t.offset);
  }
  sink.padTo(alignment);
  const header = sink.bytes();
  const last = placements[placements.length - 1];
  const dataSize = last === undefined ? 0 : alignUp(last.offset + last.byteSize, alignment);
  return { header, dataOffset: header.length, tensors: placements, fileSize: header.length + dataSize };
}

/**
 * Writes a GGUF file to `path` (through a temporary file renamed into place), streaming the
 * tensor data in chunks. Returns the layout that was written.
 */
export async function writeGgufFile(path: string, options: WriteGgufFileOptions): Promise<GgufLayout> {
  const alignment = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const layout = planGgufLayout(options.metadata, options.tensors, alignment);
  const chunkBytes = Math.max(options.chunkBytes ?? 4 * 1024 * 1024, 64 * 1024);
  const maxRowBytes = layout.tensors.reduce((m, t) => Math.max(m, t.rowByteSize), 0);
  const chunk = Buffer.alloc(Math.max(chunkBytes, maxRowBytes + alignment));
  const tempPath = `${path}.${process.pid}.${Date.now()}.tmp`;
  const file = await open(tempPath, 'w');
  let done = false;
  try {
    let position = 0;
    let used = 0;
    const flush = async (): Promise<void> => {
      let written = 0;
      while (written < used) {
        const { bytesWritten } = await file.write(chunk, written, used - written, position);
        written += bytesWritten;
        position += bytesWritten;
      }
      used = 0;
    };
    const pad = async (target: number): Promise<void> => {
      while (position + used < target) {
        if (used === chunk.length) await flush();
        const n = Math.min(target - position - used, chunk.length - used);
        chunk.fill(0, used, used + n);
        used += n;
      }
    };

    let headerAt = 0;
    while (headerAt < layout.header.length) {
      const n = Math.min(layout.header.length - headerAt, chunk.length - used);
      layout.header.copy(chunk, used, headerAt, headerAt + n);
      used += n;
      headerAt += n;
      if (used === chunk.length) await flush();
    }

    for (const tensor of layout.tensors) {
      await pad(layout.dataOffset + tensor.offset);
      const row = new Float32Array(tensor.shape[0] ?? 0);
      for (let r = 0; r < tensor.rows; r++) {
        if (chunk.length - used < tensor.rowByteSize) await flush();
        row.fill(0);
        options.fillRow(tensor, r, row);
        used += encodeRow(tensor.type, row, chunk, used);
      }
    }
    await pad(layout.fileSize);
    await flush();
    await file.close();
    await rename(tempPath, path);
    done = true;
  } finally {
    if (!done) {
      await file.close().catch(() => undefined);
      await rm(tempPath, { force: true });
    }
  }
  return layout;
}
