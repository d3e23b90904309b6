/**
 * The nearest known name to a misspelt one: what "did you mean" suggests, for unknown options
 * (check-options.ts) and unknown argument keys (validate.ts) alike.
 *
 * @internal
 * @module
 */

/**
 * The known name nearest to `key`, when it is near enough: the exact camelCase or snake_case
 * spelling of `key` first (`available_var_names` → `availableVarNames`), else the nearest by
 * case-insensitive edit distance.
 */
export function closest(key: string, known: readonly string[]): string | undefined {
  const respelt = [toCamel(key), toSnake(key)].find((k) => k !== key && known.includes(k));
  if (respelt) return respelt;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function toCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function toSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
