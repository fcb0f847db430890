import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZakCache } from '../../main/meetings/zak-cache';

function counter(now: () => number) {
  const calls: number[] = [];
  return {
    calls,
    fetch: async (ttl: number) => {
      calls.push(ttl);
      await new Promise((r) => setTimeout(r, 5));
      return { token: `zak-${calls.length}`, expiresAt: now() + ttl * 1000 };
    },
  };
}

test('a fresh ZAK is reused; concurrent gets fetch once', async () => {
  let t = 0;
  const now = () => t;
  const src = counter(now);
  const cache = new ZakCache({ fetch: src.fetch, ttlSeconds: 600, marginSeconds: 60, now });
  assert.equal(cache.peek(), undefined);
  const got = await Promise.all([cache.get(), cache.get(), cache.get()]);
  assert.deepEqual(got, ['zak-1', 'zak-1', 'zak-1']);
  assert.deepEqual(src.calls, [600]);
  t = 539_000;
  assert.equal(await cache.get(), 'zak-1');
  assert.equal(cache.renewAt(), 540_000);
  t = 540_000; // inside the margin: renewed, never handed out stale
  assert.equal(cache.peek(), undefined);
  assert.equal(await cache.get(), 'zak-2');
});

test('clear() drops the key and ignores a fetch that was under way', async () => {
  const now = () => 0;
  const src = counter(now);
  const cache = new ZakCache({ fetch: src.fetch, now });
  const pending = cache.get();
  cache.clear();
  assert.equal(await pending, 'zak-1');
  assert.equal(cache.peek(), undefined);
});
