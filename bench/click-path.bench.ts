/**
 * `npm run bench`: how long a click takes from "start my meeting" to a start URL, against the
 * simulator on loopback. Reports medians; these are figures, not pass/fail tests.
 *   warm: what the tray does (user and ZAK prefetched) — no Zoom call on the click
 *   cold: nothing cached — GET /users/me and GET /users/me/token on the click
 *   cli:  a whole `zoom-tray start --print` process (keychain read + both calls)
 */
import { performance } from 'node:perf_hooks';
import { runCli } from '../test/harness/cli-process';
import { world } from '../test/harness/fixtures';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

async function main(): Promise<void> {
  const w = await world();
  const core = await w.core();
  try {
    await w.signIn();
    const user = await core.api.me();
    await core.zak.refresh();
    await time(20, () => core.start({ kind: 'pmi' }, { user: async () => user })); // warm-up
    const warm = await time(200, () => core.start({ kind: 'pmi' }, { user: async () => user }));
    const cold = await time(200, async () => {
      core.zak.clear();
      await core.start({ kind: 'pmi' });
    });
    const cli = await time(15, async () => {
      const r = await runCli(['start', '--print'], w.env);
      if (r.code !== 0) throw new Error(r.stderr);
    });
    const rows = [
      ['warm click (tray, prefetched)', warm],
      ['cold click (nothing cached)', cold],
      ['CLI start --print (process)', cli],
    ] as const;
    console.log('click path against the loopback simulator (median of n runs)');
    for (const [name, values] of rows) console.log(`  ${name.padEnd(32)} ${median(values).toFixed(3).padStart(9)} ms  (n=${values.length})`);
    console.log(`  cold / warm ratio: ${(median(cold) / median(warm)).toFixed(1)}x; each avoided Zoom call costs a real network round trip on top`);
  } finally {
    await w.close();
  }
}

void main();
