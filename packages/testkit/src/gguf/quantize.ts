/**
 * Row encoders for the ggml tensor types this project writes, laid out exactly as
 * llama.cpp's reference quantizers (`quantize_row_q8_0_ref`, `quantize_row_q4_0_ref`)
 * and `GGML_FP32_TO_FP16` (round to nearest, ties to even) do.
 */
import { GgmlType } from './gguf-constants.js';

export const QK8_0 = 32;
export const QK4_0 = 32;
/** Bytes of one Q8_0 block: f16 scale `d`, then 32 int8 values. */
export const Q8_0_BLOCK_BYTES = 2 + QK8_0;
/** Bytes of one Q4_0 block: f16 scale `d`, then 16 bytes of nibbles. */
export const Q4_0_BLOCK_BYTES = 2 + QK4_0 / 2;

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 binary16 bits of a number (rounded to float32 first), ties to even. */
export function float32ToFloat16Bits(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) {
    return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  }
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) {
    return sign | 0x7c00;
  }
  if (halfExponent <= 0) {
    if (halfExponent < -10) {
      return sign;
    }
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) {
      half += 1;
    }
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) {
    half += 1; // a carry into the exponent is the correct result, up to infinity
  }
  return sign | half;
}

/** The number that IEEE 754 binary16 bits stand for. */
export function float16BitsToNumber(bits: number): number {
  const sign = (bits & 0x8000) !== 0 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) {
    return sign * mantissa * 2 ** -24;
  }
  if (exponent === 0x1f) {
    return mantissa !== 0 ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  }
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** C's `roundf`: halfway cases away from zero. */
function roundHalfAwayFromZero(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/** Writes `src` as little-endian float32 into `dst` at `offset`; returns the bytes written. */
export function encodeRowF32(src: Float32Array, dst: Buffer, offset: number): number {
  for (let i = 0; i < src.length; i++) {
    dst.writeFloatLE(src[i] ?? 0, offset + i * 4);
  }
  return src.length * 4;
}

/** Writes `src` as little-endian float16 into `dst` at `offset`; returns the bytes written. */
export function encodeRowF16(src: Float32Array, dst: Buffer, offset: number): number {
  for (let i = 0; i < src.length; i++) {
    const bits = float32ToFloat16Bits(src[i] ?? 0);
    dst[offset + i * 2] = bits & 0xff;
    dst[offset + i * 2 + 1] = bits >>> 8;
  }
  return src.length * 2;
}

/**
 * Q8_0: per block of 32 values, `d = max|x| / 127` stored as f16, then `roundf(x / d)` as int8.
 * Returns the bytes written; `src.length` must be a multiple of 32.
 */
export function quantizeRowQ8_0(src: Float32Array, dst: Buffer, offset: number): number {
  assertWholeBlocks(src.length, QK8_0, 'Q8_0');
  const blocks = src.length / QK8_0;
  let out = offset;
  for (let b = 0; b < blocks; b++) {
    const base = b * QK8_0;
    let amax = 0;
    for (let j = 0; j < QK8_0; j++) {
      const v = Math.abs(src[base + j] ?? 0);
      if (v > amax) {
        amax = v;
      }
    }
    const d = Math.fround(amax / 127);
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    dst.writeUInt16LE(float32ToFloat16Bits(d), out);
    out += 2;
    for (let j = 0; j < QK8_0; j++) {
      dst[out + j] = roundHalfAwayFromZero(Math.fround((src[base + j] ?? 0) * id)) & 0xff;
    }
    out += QK8_0;
  }
  return out - offset;
}

/**
 * Q4_0: per block of 32 values, `d = max / -8` (max = the value of largest magnitude) stored
 * as f16, then 16 bytes whose low nibbles hold values 0..15 and high nibbles values 16..31,
 * each `min(15, trunc(x / d + 8.5))`. Returns the bytes written; `src.length` must be a
 * multiple of 32.
 */
export function quantizeRowQ4_0(src: Float32Array, dst: Buffer, offset: number): number {
  assertWholeBlocks(src.length, QK4_0, 'Q4_0');
  const blocks = src.length / QK4_0;
  const half = QK4_0 / 2;
  let out = offset;
  for (let b = 0; b < blocks; b++) {
    const base = b * QK4_0;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK4_0; j++) {
      const v = src[base + j] ?? 0;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = Math.fround(max / -8);
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    dst.writeUInt16LE(float32ToFloat16Bits(d), out);
    out += 2;
    for (let j = 0; j < half; j++) {
      const x0 = Math.fround((src[base + j] ?? 0) * id);
      const x1 = Math.fround((src[base + half + j] ?? 0) * id);
      const q0 = Math.min(15, Math.trunc(Math.fround(x0 + 8.5)));
      const q1 = Math.min(15, Math.trunc(Math.fround(x1 + 8.5)));
      dst[out + j] = q0 | (q1 << 4);
    }
    out += half;
  }
  return out - offset;
}

/** Encodes one row of float values as `type`; returns the bytes written. */
export function encodeRow(type: GgmlType, src: Float32Array, dst: Buffer, offset: number): number {
  switch (type) {
    case GgmlType.F32:
      return encodeRowF32(src, dst, offset);
    case GgmlType.F16:
      return encodeRowF16(src, dst, offset);
    case GgmlType.Q8_0:
      return quantizeRowQ8_0(src, dst, offset);
    case GgmlType.Q4_0:
      return quantizeRowQ4_0(src, dst, offset);
  }
}

/** Decodes one row written by {@link encodeRow} back to float values (for checks and tests). */
export function decodeRow(type: GgmlType, src: Uint8Array, rowLength: number): Float32Array {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const out = new Float32Array(rowLength);
  switch (type) {
    case GgmlType.F32:
      for (let i = 0; i < rowLength; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case GgmlType.F16:
      for (let i = 0; i < rowLength; i++) out[i] = float16BitsToNumber(view.getUint16(i * 2, true));
      return out;
    case GgmlType.Q8_0:
      assertWholeBlocks(rowLength, QK8_0, 'Q8_0');
      for (let b = 0; b < rowLength / QK8_0; b++) {
        const at = b * Q8_0_BLOCK_BYTES;
        const d = float16BitsToNumber(view.getUint16(at, true));
        for (let j = 0; j < QK8_0; j++) out[b * QK8_0 + j] = d * view.getInt8(at + 2 + j);
      }
      return out;
    case GgmlType.Q4_0:
      assertWholeBlocks(rowLength, QK4_0, 'Q4_0');
      for (let b = 0; b < rowLength / QK4_0; b++) {
        const at = b * Q4_0_BLOCK_BYTES;
        const d = float16BitsToNumber(view.getUint16(at, true));
        for (let j = 0; j < QK4_0 / 2; j++) {
          const byte = view.getUint8(at + 2 + j);
          out[b * QK4_0 + j] = d * ((byte & 0x0f) - 8);
          out[b * QK4_0 + QK4_0 / 2 + j] = d * ((byte >>> 4) - 8);
        }
      }
      return out;
  }
}

function assertWholeBlocks(length: number, blockSize: number, name: string): void {
  if (length % blockSize !== 0) {
    throw new Error(`A ${name} row must hold a multiple of ${blockSize} values, got ${length}`);
  }
}
