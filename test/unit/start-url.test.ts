import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZoomTrayError } from '../../main/lib/errors';
import { parseTarget, spacedId } from '../../main/meetings/launcher';
import { buildStartUrl, isAllowedZoomUrl } from '../../main/zoom/start-url';

test('start URL is <web base>/s/<id>?zak=<zak>, encoded', () => {
  const url = buildStartUrl(new URL('https://zoom.us'), '5551234567', 'a+b/c=');
  assert.equal(url.href, 'https://zoom.us/s/5551234567?zak=a%2Bb%2Fc%3D');
  assert.equal(url.searchParams.get('zak'), 'a+b/c=');
});

test('only https Zoom hosts are allowed, plus explicitly configured origins', () => {
  const allowed = ['https://zoom.us/s/1', 'https://us02web.zoom.us/s/1', 'https://zoomgov.com/s/1', 'https://x.zoomgov.com/s/1'];
  const refused = [
    'http://zoom.us/s/1',
    'https://zoom.us.evil.com/s/1',
    'https://evilzoom.us/s/1',
    'https://zoom.us:8443/s/1',
    'https://user:pw@zoom.us/s/1',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'zoommtg://zoom.us/start?confno=1',
  ];
  for (const u of allowed) assert.ok(isAllowedZoomUrl(new URL(u)), u);
  for (const u of refused) assert.ok(!isAllowedZoomUrl(new URL(u)), u);
  assert.ok(isAllowedZoomUrl(new URL('http://127.0.0.1:4000/s/1'), ['http://127.0.0.1:4000']));
  assert.ok(!isAllowedZoomUrl(new URL('http://127.0.0.1:4001/s/1'), ['http://127.0.0.1:4000']));
});

test('a start URL off the allow-list is refused, not built', () => {
  assert.throws(() => buildStartUrl(new URL('http://127.0.0.1:4000'), '5551234567', 'z'), ZoomTrayError);
  assert.throws(() => buildStartUrl(new URL('https://zoom.us'), '12/../x', 'z'), /which is not one \(9 to 12 digits\)/);
});

test('targets: pmi by default, keywords, and meeting IDs with spaces or dashes', () => {
  assert.deepEqual(parseTarget(undefined), { kind: 'pmi' });
  assert.deepEqual(parseTarget('instant'), { kind: 'instant' });
  assert.deepEqual(parseTarget('next'), { kind: 'next' });
  assert.deepEqual(parseTarget('812 3456 7890'), { kind: 'id', id: '81234567890' });
  assert.deepEqual(parseTarget('555-123-4567'), { kind: 'id', id: '5551234567' });
  assert.throws(() => parseTarget('tomorrow'), (e: unknown) => e instanceof ZoomTrayError && e.exitCode === 2);
  assert.throws(() => parseTarget('12345'), /9 to 12 digits/);
});

test('meeting IDs are grouped the way Zoom shows them', () => {
  assert.equal(spacedId('123456789'), '123 456 789');
  assert.equal(spacedId('5551234567'), '555 123 4567');
  assert.equal(spacedId('81234567890'), '812 3456 7890');
  assert.equal(spacedId('123456789012'), '123456789012');
});

// Found by test/fuzz/launch-args.test.ts (seed 17): 524 × "8" was quoted whole, so
// `zoom-tray start <5 MB>` wrote 5 MB to stderr.
test('an unknown meeting is quoted to 40 characters at most', () => {
  assert.throws(() => parseTarget('8'.repeat(524)), (e: unknown) => e instanceof ZoomTrayError && e.message.startsWith(`Unknown meeting "${'8'.repeat(40)}…": `));
  assert.throws(() => parseTarget('tomorrow'), (e: unknown) => e instanceof ZoomTrayError && e.message.startsWith('Unknown meeting "tomorrow": '));
});
