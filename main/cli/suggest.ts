/**
 * "Did you mean …?" for a mistyped command or option: the candidates nearest to `word` by edits
 * (a letter added, dropped, changed, or two neighbours swapped, as in "strat" for "start"), when
 * they are near enough to be the word meant: one edit in a word of up to four letters, two beyond.
 */
export function closest(word: string, candidates: readonly string[]): string[] {
  const typed = word.toLowerCase();
  const limit = typed.replace(/^-+/, '').length <= 4 ? 1 : 2;
  // A word longer or shorter than a candidate by more than the limit is that many edits away at
  // least: not measured (a pasted 5 MB word would cost a table of 5 M rows).
  const near = candidates.filter((c) => Math.abs(c.length - typed.length) <= limit);
  const scored = near.map((candidate) => ({ candidate, distance: edits(typed, candidate.toLowerCase()) }));
  const best = Math.min(...scored.map((s) => s.distance));
  return best > limit ? [] : scored.filter((s) => s.distance === best).map((s) => s.candidate);
}

/** Edits from a to b: insertions, deletions, substitutions and swaps of adjacent letters (optimal string alignment). */
function edits(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
