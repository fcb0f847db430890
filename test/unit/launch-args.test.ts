import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isZoomTrayError } from '../../main/lib/errors';
import { handOffTarget, linkArgument, parseLink } from '../../main/app/launch-args';

test('zoom-tray:// links: start a meeting kind or ID, or join a Zoom link', () => {
  assert.deepEqual(parseLink('zoom-tray://start/pmi'), { start: { kind: 'pmi' } });
  assert.deepEqual(parseLink('zoom-tray://start/next'), { start: { kind: 'next' } });
  assert.deepEqual(parseLink('ZOOM-TRAY://start/instant'), { start: { kind: 'instant' } });
  assert.deepEqual(parseLink('zoom-tray://start/812%203456%207890'), { start: { kind: 'id', id: '81234567890' } });
  assert.deepEqual(parseLink(`zoom-tray://join?url=${encodeURIComponent('https://us06web.zoom.us/j/81234567890?pwd=x')}`), { join: 'https://us06web.zoom.us/j/81234567890?pwd=x' });
});

test('anything else is refused with the list of links, before anything is started', () => {
  for (const bad of [
    'zoom-tray://start/evil',
    'zoom-tray://start/pmi/extra',
    'zoom-tray://start/pmi?x=1',
    'zoom-tray://stop/pmi',
    'zoom-tray://join',
    'zoom-tray://join?url=a&url=b',
    'zoom-tray://user:pw@start/pmi',
    'https://zoom.us/s/5551234567',
    `zoom-tray://start/${'1'.repeat(3000)}`,
    'zoom-tray:',
  ]) {
    assert.throws(() => parseLink(bad), (err) => isZoomTrayError(err) && err.kind === 'usage', bad);
  }
});

test('a second launch hands over its link (argv on Windows and Linux) or its --start', () => {
  assert.equal(linkArgument(['/opt/zoom-tray/zoom-tray', '--no-sandbox', 'zoom-tray://start/next']), 'zoom-tray://start/next');
  assert.deepEqual(handOffTarget(['/opt/zoom-tray/zoom-tray', 'zoom-tray://start/next'], {}), { start: { kind: 'next' } });
  assert.deepEqual(handOffTarget([], { link: 'zoom-tray://start/pmi' }), { start: { kind: 'pmi' } });
  assert.deepEqual(handOffTarget(['x', '--start', 'instant'], { start: 'instant' }), { start: { kind: 'instant' } });
  assert.equal(handOffTarget(['x'], {}), undefined, 'a plain second launch: Settings');
});

// Found by test/fuzz/launch-args.test.ts (seed 17): a percent sign that starts no escape threw
// decodeURIComponent's URIError, which reached the tray as "Unexpected error (URIError: URI malformed)".
test('a zoom-tray link with a broken percent-escape is a usage error like any other bad link', () => {
  for (const bad of ['zoom-tray://start/%ZZ', 'zoom-tray://start/%', 'zoom-tray://start/%E0%A4%A']) {
    assert.throws(() => parseLink(bad), (err) => isZoomTrayError(err) && err.kind === 'usage', bad);
    assert.throws(() => handOffTarget([], { link: bad }), (err) => isZoomTrayError(err) && err.kind === 'usage', bad);
  }
});
