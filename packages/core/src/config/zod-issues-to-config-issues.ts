import type { ConfigIssue } from '../errors/config-validation-error.js';
import { unknownKeyMessage } from './suggest-key.js';

interface IssueLike {
  message: string;
  path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  code?: string;
  keys?: readonly string[];
}

/** Turns schema issues (zod or any Standard Schema) into config issues naming key and source. */
export function zodIssuesToConfigIssues(
  issues: readonly IssueLike[],
  sourceOf: (key: string) => string,
  prefix = '',
  /** The keys the schema knows at a path (below `prefix`), for "did you mean". */
  knownKeys: (path: string[]) => readonly string[] | undefined = () => undefined,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p));
    const base = [prefix, ...path].filter((p) => p.length > 0).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      // One entry per unknown key: a typo is named exactly.
      const known = knownKeys(path) ?? [];
      for (const k of issue.keys) {
        const key = base ? `${base}.${k}` : k;
        out.push({ key, source: sourceOf(key), message: unknownKeyMessage(k, known) });
      }
      continue;
    }
    const key = base || '(root)';
    out.push({ key, source: sourceOf(key), message: issue.message });
  }
  return out;
}
