/** Reading the project's Markdown as GitHub shows it: marked blocks, heading anchors, links. */

/** The lines of the one ```sh block right after `<!-- headless-route: NAME -->`. */
export function routeBlock(markdown: string, name: string): string[] {
  const blocks = [...markdown.matchAll(new RegExp(`<!-- headless-route: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\`\\n`, 'g'))];
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} blocks marked headless-route: ${name}, not one`);
  return (blocks[0]?.[1] ?? '').split('\n').filter((line) => line.trim() !== '');
}

/**
 * A heading's anchor as GitHub makes it: lower case, punctuation other than `-` and `_` dropped,
 * each space a `-` (github/cmark-gfm's and github-slugger's rule; repeats get `-1`, `-2`, …).
 */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Every heading's anchor in a Markdown text, outside fenced code. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const base = anchorOf(heading[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The targets of inline links `[text](target)` outside fenced code, images included. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}
