/**
 * Fetching calendar feeds for real, over loopback HTTP from the tests' feed server: conditional
 * requests, redirects, every way a feed fails, and that a failure names the calendar and its host
 * but never its address.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import type { CalendarRef } from '../../main/calendars/calendar-names';
import { type FeedAnswer, fetchFeed } from '../../main/calendars/fetch-feed';
import { isZoomTrayError, type ZoomTrayError } from '../../main/lib/errors';
import { fixtureText } from '../harness/calendar-fixtures';
import { type FeedServer, startFeedServer } from '../harness/feed-server';

const WORK: CalendarRef = { name: 'Work', host: '127.0.0.1' };

async function fetched(server: FeedServer, name: string, previous?: Parameters<typeof fetchFeed>[2], options?: Parameters<typeof fetchFeed>[3]): Promise<FeedAnswer> {
  return fetchFeed(new URL(server.address(name)), { ...WORK, host: new URL(server.origin).host }, previous, options);
}

/** The error a fetch fails with; it never carries any feed's secret token. */
async function failure(server: FeedServer, name: string, options?: Parameters<typeof fetchFeed>[3]): Promise<ZoomTrayError> {
  try {
    await fetched(server, name, undefined, options);
  } catch (err) {
    assert.ok(isZoomTrayError(err), String(err));
    for (const secret of server.secrets()) assert.ok(!err.message.includes(secret), `the message holds an address: ${err.message}`);
    assert.ok(err.message.includes('calendar "Work" (127.0.0.1:'), `the message names the calendar and its host: ${err.message}`);
    return err;
  }
  assert.fail(`${name} was fetched`);
}

test('a feed is fetched once, then asked conditionally: a 304 means unchanged, a new version is fetched whole', async (t) => {
  const server = await startFeedServer(t);
  server.serve('google', fixtureText('google'));
  const first = await fetched(server, 'google');
  assert.ok(first.changed);
  assert.equal(first.text, fixtureText('google').replace(/\n/g, '\r\n'), 'gzip on the wire, the text unchanged');
  assert.ok(first.validators.etag && first.validators.lastModified);
  assert.deepEqual(await fetched(server, 'google', first.validators), { changed: false });
  assert.deepEqual(server.stats('google'), { requests: 2, conditional: 1, notModified: 1 });
  server.serve('google', fixtureText('outlook'));
  const again = await fetched(server, 'google', first.validators);
  assert.ok(again.changed && again.text.includes('Weekly planning'));
  assert.notEqual(again.validators.etag, first.validators.etag);
  // A server that keeps only an ETag is asked with If-None-Match, one that keeps only Last-Modified with If-Modified-Since.
  server.serve('outlook', fixtureText('outlook'), { etag: true });
  const tagged = await fetched(server, 'outlook');
  assert.ok(tagged.changed && tagged.validators.etag && tagged.validators.lastModified === undefined);
  assert.deepEqual(await fetched(server, 'outlook', tagged.validators), { changed: false });
  server.serve('icloud', fixtureText('icloud'), { lastModified: true });
  const dated = await fetched(server, 'icloud');
  assert.ok(dated.changed && dated.validators.etag === undefined && dated.validators.lastModified);
  assert.deepEqual(await fetched(server, 'icloud', dated.validators), { changed: false });
  assert.deepEqual(server.stats('icloud'), { requests: 2, conditional: 1, notModified: 1 });
});

test('redirects are followed a few times, never to plain http elsewhere', async (t) => {
  const server = await startFeedServer(t);
  server.serve('moved', fixtureText('icloud'));
  server.mode('old', { redirect: 'moved', status: 301 });
  assert.ok((await fetched(server, 'old')).changed);
  for (let i = 0; i < 7; i++) server.mode(`hop${i}`, { redirect: `hop${i + 1}` });
  assert.match((await failure(server, 'hop0')).message, /sent zoom-tray from one address to another and never to a calendar/);
  assert.equal(server.stats('hop5').requests, 1, 'five redirects followed, no more');
  assert.equal(server.stats('hop6').requests, 0);
  server.mode('downgrade', { redirect: 'http://calendar.example.org/private-elsewhere/basic.ics' });
  const downgrade = await failure(server, 'downgrade');
  assert.equal(downgrade.kind, 'calendar');
  assert.match(downgrade.message, /redirected to an address that is not https \(calendar\.example\.org\)/);
  assert.ok(!downgrade.message.includes('private-elsewhere'));
  server.mode('credentials', { redirect: 'https://user:pw@calendar.example.org/x.ics' });
  const credentials = await failure(server, 'credentials');
  assert.equal(credentials.kind, 'calendar');
  assert.match(credentials.message, /redirected to an address with a user name or password in it \(calendar\.example\.org\), which zoom-tray does not follow/);
  assert.ok(!credentials.message.includes('pw'));
});

test('a redirect to an address of 60 KB is a calendar error naming the calendar, not a connection that failed', async (t) => {
  const server = await startFeedServer(t);
  server.mode('huge-location', { redirect: `/${'a'.repeat(60_000)}` });
  const err = await failure(server, 'huge-location');
  assert.equal(err.kind, 'calendar');
  assert.equal(err.exitCode, 9);
  assert.match(err.message, /^calendar "Work" \(127\.0\.0\.1:\d+\) answered with headers too large to read/);
});

test('an address that was reset (401, 403, 404, 410) says to add it again; a server error is a network error', async (t) => {
  const server = await startFeedServer(t);
  server.mode('gone', 'gone');
  const gone = await failure(server, 'gone');
  assert.equal(gone.kind, 'calendar');
  assert.equal(gone.exitCode, 9);
  assert.match(gone.message, /^The address of calendar "Work" \(127\.0\.0\.1:\d+\) no longer works \(HTTP 404\): it was reset, unpublished or removed\. Add it again: `zoom-tray calendar remove Work`, then `zoom-tray calendar add` with its new address\.$/);
  server.mode('forbidden', 'forbidden');
  assert.match((await failure(server, 'forbidden')).message, /no longer works \(HTTP 403\)/);
  server.mode('broken-cache', 'always-304');
  assert.match((await failure(server, 'broken-cache')).message, /answered "not modified" to a first request/);
  server.mode('busy', 'busy');
  const busy = await failure(server, 'busy');
  assert.equal(busy.kind, 'network');
  assert.match(busy.message, /could not answer \(HTTP 503\)/);
});

test('a feed that stalls fails within the time limit, before or during its body', async (t) => {
  const server = await startFeedServer(t);
  server.mode('stall', 'stall');
  const stalled = await failure(server, 'stall', { timeoutMs: 300 });
  assert.equal(stalled.kind, 'network');
  assert.match(stalled.message, /did not answer within 0\.3 seconds/);
  server.mode('slow-body', 'stall-body');
  assert.equal((await failure(server, 'slow-body', { timeoutMs: 300 })).kind, 'network');
});

test('more than 4 MB is refused while it streams, announced or not, zipped or not; an encoding not asked for, garbled gzip and a web page are no calendar', async (t) => {
  const server = await startFeedServer(t);
  for (const mode of ['huge', 'huge-declared', 'gzip-bomb'] as const) {
    server.mode(mode, mode);
    const err = await failure(server, mode);
    assert.equal(err.kind, 'calendar', mode);
    assert.match(err.message, /is larger than 4 MB, which zoom-tray does not read/, mode);
  }
  for (const mode of ['brotli', 'garbled-gzip'] as const) {
    server.mode(mode, mode);
    const err = await failure(server, mode);
    assert.equal(err.kind, 'calendar', mode);
    assert.match(err.message, /sent its calendar in a form zoom-tray cannot read \((br|gzip)\)/, mode);
  }
  server.mode('html', 'html');
  const html = await failure(server, 'html');
  assert.equal(html.kind, 'calendar');
  assert.match(html.message, /did not answer with a calendar \(it sent a web page, perhaps a sign-in page\)/);
});

test('nobody listening is a network error naming the host', async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const err = await fetchFeed(new URL(`http://127.0.0.1:${port}/private-closed0token/basic.ics`), { name: 'Work', host: `127.0.0.1:${port}` }, undefined).catch((e: unknown) => e);
  assert.ok(isZoomTrayError(err));
  assert.equal(err.kind, 'network');
  assert.equal(err.message, `Could not reach calendar "Work" (127.0.0.1:${port}): the connection was refused. Check your connection; zoom-tray asks again later.`);
});
