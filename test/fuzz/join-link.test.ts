// `zoom-tray join`, the clipboard join and calendar links all go through parseJoin: links and
// pasted invitations from anywhere. It answers (never throws), opens only Zoom, and says what it
// refused without repeating it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseJoin } from '../../main/meetings/join-link';
import { assertBoundedMessage, assertZoomUrl, bulky, FIVE_MB, holds, outsideText, timed } from './properties';

/** Hosts around Zoom's: its own, look-alikes, malformed ones, and long ones. */
const host = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('zoom.us', 'us06web.zoom.us', 'zoomgov.com', 'agency.zoomgov.com', '.zoom.us', 'a..zoom.us', '-a.zoom.us', 'zoom.us.', 'evilzoom.us', 'zoom.us.evil.com', 'zoom.com', 'ZOOM.US', 'xn--zoom.us', 'zoom%2eus', '127.0.0.1', '[::1]', 'zoom.us:8443', 'user:pw@zoom.us') },
  fc.domain(),
  fc.tuple(fc.domain(), fc.constantFrom('.zoom.us', '.zoomgov.com', 'zoom.us')).map(([a, b]) => a + b),
  bulky(fc.constantFrom('a', 'a.', 'a-')).map((s) => `${s}zoom.us`),
);
const path = fc.oneof(
  fc.integer({ min: 0, max: 10 ** 13 }).map((n) => `/j/${n}`),
  fc.constantFrom('/j/81234567890', '/w/812345678', '/wc/join/5551234567', '/my/jane.doe', '/my/', '/s/81234567890', '/j/81234567890/', '/support'),
  fc.webPath(),
);
const query = fc.oneof(fc.constant(''), fc.constantFrom('?pwd=AbC1', '?pwd=a&zak=secret', '?zak=x', '#frag'), fc.webQueryParameters().map((q) => `?${q}`));
const link = fc.tuple(fc.constantFrom('https://', 'https://', 'http://', 'HTTPS://', 'zoommtg://', 'javascript:', 'https:/'), host, path, query).map((parts) => parts.join(''));
/** A link, or a pasted invitation with links, IDs and "Meeting ID:" lines in it. */
const pasted = fc.oneof(
  { weight: 3, arbitrary: link },
  outsideText(['Meeting ID: ', '812 3456 7890', '81234567890', 'Passcode: 1', 'https://zoom.us/j/', 'https://', '.zoom.us/', '/j/', '-', ')', '.'], 30),
  fc.tuple(outsideText([], 8), link, outsideText(['\nMeeting ID: 812 3456 7890\n'], 4)).map((parts) => parts.join(' ')),
);

/** The clipboard's join and the CLI say "it is <found>": a word on what it was, never all of it. */
function checkRefusal(found: string): void {
  assert.ok(found.length <= 120, `found is ${found.length} characters: ${found.slice(0, 200)}…`);
  assertBoundedMessage(found, 'found');
}

test('parseJoin answers whatever it is given: only Zoom links, with the passcode alone kept, and refusals that do not repeat the text', () => {
  holds(
    fc.property(pasted, (text) => {
      const parsed = parseJoin(text);
      if (!parsed.ok) return checkRefusal(parsed.found);
      assertZoomUrl(parsed.url);
      assert.deepEqual([...parsed.url.searchParams.keys()].filter((k) => k !== 'pwd'), [], `parameters kept: ${parsed.url.search}`);
      assert.equal(parsed.url.hash, '');
      if (parsed.id !== undefined) assert.match(parsed.id, /^\d{9,12}$/);
    }),
  );
});

test('with the simulator as the web base, a meeting ID joins there and a link still only on Zoom', () => {
  const simulator = new URL('http://127.0.0.1:47616');
  holds(
    fc.property(pasted, (text) => {
      const parsed = parseJoin(text, simulator);
      if (!parsed.ok) return checkRefusal(parsed.found);
      assertZoomUrl(parsed.url, [simulator.origin]);
    }),
  );
});

test('parseJoin reads 5 MB of pasted text within the bound', async (t) => {
  const shapes = [
    `https://${'a.'.repeat(FIVE_MB / 2)}zoom.us/j/81234567890`,
    `https://zoom.us/j/${'9'.repeat(FIVE_MB)}`,
    `Meeting ID: ${'1 '.repeat(FIVE_MB / 2)}`,
    `${'https://'.repeat(FIVE_MB / 8)}`,
    `ftp://${'x'.repeat(FIVE_MB)}`,
    `${' \n'.repeat(FIVE_MB / 2)}x`,
  ];
  for (const [i, text] of shapes.entries()) {
    const parsed = await timed(t, `shape ${i}`, () => parseJoin(text));
    if (!parsed.ok) checkRefusal(parsed.found);
    else assertZoomUrl(parsed.url);
  }
});
