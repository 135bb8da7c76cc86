import type { Secret } from '../secret/secret.js';

/** Where a value came from, as users read it: `env OLLAMA_URL`, `file /app/.autoarr-llmrc`, `options`. */
export type SourceLabel = string;

export interface Layer {
  label: SourceLabel;
  data: Record<string, unknown>;
  /** Per-key labels overriding `label` (env layers name the variable of each key). */
  keyLabels?: ReadonlyMap<string, SourceLabel>;
}

/** Merged values and, for each leaf key, the label of the layer that set it. */
export interface Layered {
  value: Record<string, unknown>;
  sources: Map<string, SourceLabel>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep-merges layers, lowest first. Objects merge; arrays and scalars replace. */
export function mergeLayers(layers: readonly Layer[]): Layered {
  const value: Record<string, unknown> = {};
  const sources = new Map<string, SourceLabel>();
  for (const layer of layers) {
    const walk = (src: Record<string, unknown>, dst: Record<string, unknown>, prefix: string) => {
      for (const [key, v] of Object.entries(src)) {
        if (v === undefined) continue;
        const path = prefix ? `${prefix}.${key}` : key;
        if (isPlainObject(v)) {
          if (!isPlainObject(dst[key])) dst[key] = {};
          walk(v, dst[key] as Record<string, unknown>, path);
          if (!sources.has(path)) sources.set(path, layer.label);
        } else {
          dst[key] = v;
          sources.set(path, layer.keyLabels?.get(path) ?? layer.label);
        }
      }
    };
    walk(layer.data, value, '');
  }
  return { value, sources };
}

/** The label for a key: its own, else its nearest parent's, else `default`. */
export function sourceOf(sources: ReadonlyMap<string, SourceLabel>, key: string): SourceLabel {
  for (let k = key; k.length > 0; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') {
    const label = sources.get(k);
    if (label !== undefined) return label;
  }
  return 'default';
}

/** Sets `a.b.c` in an object, creating the parents. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

/** A layer from environment variables: `{ OLLAMA_URL: 'baseUrl' }` → `{ baseUrl: env.OLLAMA_URL }`. */
export function envLayer(
  env: Readonly<Record<string, string | Secret | undefined>>,
  mapping: Readonly<Record<string, string>>,
  prefix = '',
): Layer {
  const data: Record<string, unknown> = {};
  const keyLabels = new Map<string, SourceLabel>();
  for (const [variable, key] of Object.entries(mapping)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    // Two variables for one key (CLAUDE_API_KEY and ANTHROPIC_API_KEY): the first listed wins.
    if (keyLabels.has(path)) continue;
    setPath(data, path, raw);
    keyLabels.set(path, `env ${variable}`);
  }
  return { label: 'env', data, keyLabels };
}
