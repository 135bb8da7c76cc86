/** Folds the differences people make when retyping a key: case, `_` and `-` (`max_tokens`, `baseURL`). */
function fold(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Edit distance counting a swap of two neighbours as one edit (`modle` → `model`). */
function distance(a: string, b: string): number {
  // Keys are short and the candidate lists small: the plain table is enough.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known key a mistyped one most likely meant (`modle` → `model`, `max_tokens` → `maxTokens`),
 * or `undefined` when none is close enough to be a useful guess.
 */
export function suggestKey(key: string, known: Iterable<string>): string | undefined {
  const folded = fold(key).slice(0, 64);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    const score = distance(folded, fold(candidate));
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  return bestScore <= Math.max(fold(best).length <= 3 ? 1 : 2, Math.floor(fold(best).length / 3)) ? best : undefined;
}

/** `unknown setting` plus a "did you mean" when there is a close known key. */
export function unknownKeyMessage(key: string, known: Iterable<string>, what = 'setting'): string {
  const guess = suggestKey(key, known);
  return guess === undefined ? `unknown ${what} (check the spelling)` : `unknown ${what}: did you mean "${guess}"?`;
}
