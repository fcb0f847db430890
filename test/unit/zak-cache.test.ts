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

test('a ZAK kept from an earlier run is used without asking Zoom; an expiring one is replaced and the new one kept', async () => {
  let t = 1_000_000;
  const now = () => t;
  const src = counter(now);
  const saved: string[] = [];
  let loads = 0;
  const kept = { token: 'kept', expiresAt: t + 600_000 };
  const cache = new ZakCache({
    fetch: src.fetch,
    load: async () => {
      loads++;
      return kept;
    },
    save: async (zak) => void saved.push(zak.token),
    marginSeconds: 60,
    now,
  });
  assert.deepEqual(await Promise.all([cache.get(), cache.get()]), ['kept', 'kept']);
  assert.deepEqual(src.calls, []);
  assert.equal(loads, 1);
  t += 541_000; // inside the margin of the kept one
  assert.equal(await cache.get(), 'zak-1');
  assert.deepEqual(saved, ['zak-1']);
  assert.equal(loads, 1, 'the keychain is read once per process');
});

test('a kept ZAK past its margin, or a store that fails, means one fetch', async () => {
  const now = () => 0;
  const stale = new ZakCache({ fetch: counter(now).fetch, load: async () => ({ token: 'old', expiresAt: 30_000 }), now });
  assert.equal(await stale.get(), 'zak-1');
  const broken = new ZakCache({ fetch: counter(now).fetch, load: () => Promise.reject(new Error('locked')), now });
  assert.equal(await broken.get(), 'zak-1');
});
