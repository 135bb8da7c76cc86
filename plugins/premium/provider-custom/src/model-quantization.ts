/** The weight precision of a GGUF file, as the seed's `CUSTOM_MODEL_QUANTIZATION` names it. */
export type ModelPrecision = '4bit' | '8bit' | '16bit' | '32bit' | 'other';

/**
 * The precision of a model from the types of its tensors: the most common type among the
 * non-F32 tensors decides (norm weights stay F32 in every quantization, so they do not count).
 */
export function precisionOfTensorTypes(counts: Readonly<Record<string, number>>): { precision: ModelPrecision; dominantType: string } {
  const ranked = Object.entries(counts)
    .filter(([type]) => type !== 'F32')
    .sort((a, b) => b[1] - a[1]);
  const dominantType = ranked[0]?.[0] ?? 'F32';
  return { precision: precisionOfType(dominantType), dominantType };
}

/** The precision of one ggml type name (`Q4_0` → 4bit, `Q8_0` → 8bit, `F16`/`BF16` → 16bit). */
export function precisionOfType(type: string): ModelPrecision {
  if (/^(Q4|IQ4|MXFP4)/.test(type)) return '4bit';
  if (/^Q8/.test(type)) return '8bit';
  if (type === 'F16' || type === 'BF16') return '16bit';
  if (type === 'F32') return '32bit';
  return 'other';
}

/** Precisions from most to least precise (what `auto` prefers when memory allows). */
export const PRECISION_ORDER: readonly ModelPrecision[] = ['32bit', '16bit', '8bit', 'other', '4bit'];
