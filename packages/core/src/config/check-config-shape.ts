import type { ConfigIssue } from '../errors/config-validation-error.js';

/** Settings (every key and list item, counted again each time YAML aliases repeat them) one source may hold. */
export const MAX_CONFIG_NODES = 10_000;
/** How deep settings may nest; the schema needs 5 levels. */
export const MAX_CONFIG_DEPTH = 32;
/** Keys that would reach an object's prototype once merged or spread. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks the shape of one source's raw settings before anything walks them: a bounded number of
 * nodes and depth (a YAML alias bomb is a few hundred bytes that expands to billions of nodes on a
 * naive walk; a hundred thousand keys overflow recursive walkers) and no prototype keys. Counts every
 * visit, so shared (aliased) subtrees are paid for each time they would be expanded.
 */
export function checkConfigShape(data: unknown, source: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let nodes = 0;
  // An explicit stack, not recursion: the input is hostile.
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: data, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_CONFIG_DEPTH) {
      return [{ key: path || '(root)', source, message: `nested deeper than ${MAX_CONFIG_DEPTH} levels` }];
    }
    const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
    nodes += keys.length;
    if (nodes > MAX_CONFIG_NODES) {
      return [{ key: '(root)', source, message: `more than ${MAX_CONFIG_NODES} settings (list items and repeated YAML aliases count)` }];
    }
    for (const key of keys) {
      const child = path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) {
        issues.push({ key: child, source, message: `"${key}" is not allowed as a key` });
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return issues;
}
