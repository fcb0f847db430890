import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJoin } from '../../main/meetings/join-link';

const opens = (text: string, base?: URL): string => {
  const parsed = parseJoin(text, base);
  assert.ok(parsed.ok, `${JSON.stringify(text)} was refused: ${parsed.ok ? '' : parsed.found}`);
  return parsed.url.href;
};
const refused = (text: string): string => {
  const parsed = parseJoin(text);
  assert.ok(!parsed.ok, `${JSON.stringify(text)} was accepted: ${parsed.ok ? parsed.url.href : ''}`);
  return parsed.found;
};

test('Zoom meeting links open as they are, with their passcode and nothing else', () => {
  assert.equal(opens('https://us06web.zoom.us/j/81234567890?pwd=AbC.1&utm_source=mail'), 'https://us06web.zoom.us/j/81234567890?pwd=AbC.1');
  assert.equal(opens('  https://zoom.us/j/5551234567  '), 'https://zoom.us/j/5551234567');
  assert.equal(opens('https://agency.zoomgov.com/j/1601234567?pwd=x'), 'https://agency.zoomgov.com/j/1601234567?pwd=x');
  assert.equal(opens('https://zoom.us/my/jane.doe'), 'https://zoom.us/my/jane.doe');
  assert.equal(opens('https://us02web.zoom.us/w/81234567890?pwd=p'), 'https://us02web.zoom.us/w/81234567890?pwd=p');
});

test('a pasted invitation: its first Zoom link', () => {
  const invitation = 'Jane Doe is inviting you to a scheduled Zoom meeting.\n\nJoin Zoom Meeting\nhttps://us06web.zoom.us/j/81234567890?pwd=AbC1.\n\nMeeting ID: 812 3456 7890\nPasscode: 123456';
  assert.equal(opens(invitation), 'https://us06web.zoom.us/j/81234567890?pwd=AbC1');
});

test('a meeting ID, with spaces or dashes, joins on the given web host', () => {
  assert.equal(opens('812 3456 7890'), 'https://zoom.us/j/81234567890');
  assert.equal(opens('812-345-678', new URL('https://zoomgov.com')), 'https://zoomgov.com/j/812345678');
});

test('a "Meeting ID:" line (what "Copy meeting ID and passcode" copies) joins by its ID; Zoom asks for the passcode', () => {
  assert.equal(opens('Meeting ID: 812 3456 7890\nPasscode: p567890'), 'https://zoom.us/j/81234567890');
  assert.equal(opens('Topic: Standup\r\n\r\nMeeting ID: 555 123 4567\r\nNo passcode', new URL('https://zoomgov.com')), 'https://zoomgov.com/j/5551234567');
  assert.equal(refused('Meeting ID: 12 34\nPasscode: x'), '29 characters of text', 'too short to be a meeting ID');
  assert.equal(refused('My Meeting ID: 812 3456 7890 was leaked'), '39 characters of text', 'only a line of its own');
  // As mail clients paste it: no-break spaces, tabs.
  assert.equal(opens('Meeting ID: 812\u00a03456\u00a07890'), 'https://zoom.us/j/81234567890');
  assert.equal(opens('Meeting ID:\t812\t3456\t7890'), 'https://zoom.us/j/81234567890');
  // Zoom's other links beside it (the dial-in part of an invitation) do not hide it.
  assert.equal(opens('Meeting ID: 812 3456 7890\nPasscode: 1\nFind your local number: https://us02web.zoom.us/u/kbXyZ'), 'https://zoom.us/j/81234567890');
  assert.equal(refused('Find your local number: https://us02web.zoom.us/u/kbXyZ'), 'a Zoom link that is not a meeting (/u/kbXyZ)');
  // The ID is on the label's own line, not the next one (a phone number, say).
  assert.equal(refused('Meeting ID:\n646 558 8656'), '24 characters of text');
});

test('anything else is refused, saying what it was without repeating it', () => {
  assert.equal(refused(''), 'nothing');
  assert.equal(refused('my bank password is hunter2'), '27 characters of text');
  assert.equal(refused('https://evil.example/j/81234567890'), 'a link to evil.example');
  assert.equal(refused('https://evilzoom.us/j/81234567890'), 'a link that is not a Zoom meeting');
  assert.equal(refused('https://zoom.us.evil.example/j/81234567890'), 'a link to zoom.us.evil.example');
  assert.equal(refused('http://zoom.us/j/81234567890'), 'a link to zoom.us', 'http is not a Zoom link');
  assert.equal(refused('https://zoom.us:8443/j/81234567890'), 'a link to zoom.us:8443');
  assert.equal(refused('https://zoom.us/profile'), 'a Zoom link that is not a meeting (/profile)');
  assert.equal(refused('12345'), '5 characters of text');
  assert.equal(refused('javascript:alert(1)'), 'a link to javascript:');
});

// Found by test/fuzz/join-link.test.ts (seed 17): `http://` + 104 × "a" + `zoom.us/j/0` was refused
// with its whole host, and so a 100 KB host reached stderr whole (issue #17, finding 8).
test('a refused link names at most 60 characters of its host', () => {
  assert.equal(refused(`http://${'a'.repeat(104)}zoom.us/j/0`), `a link to ${'a'.repeat(60)}…`);
  assert.equal(refused(`https://${'b'.repeat(100_000)}.example/j/81234567890`), `a link to ${'b'.repeat(60)}…`);
  assert.equal(refused(`https://zoom.us/${'c'.repeat(100)}`), `a Zoom link that is not a meeting (/${'c'.repeat(39)}…)`);
});

// Issue #17, finding 8: `https://.zoom.us/j/…` opened, and so did any host with an empty or
// malformed label before `.zoom.us`; none is a Zoom host.
test('a link on a malformed host under zoom.us is no Zoom link', () => {
  for (const host of ['.zoom.us', 'a..zoom.us', '-us06web.zoom.us', 'us06web-.zoom.us', '..zoomgov.com', `${'a'.repeat(64)}.zoom.us`]) {
    assert.equal(refused(`https://${host}/j/81234567890`), 'a link that is not a Zoom meeting', host);
  }
  assert.equal(opens(`https://${'a'.repeat(63)}.zoom.us/j/81234567890`), `https://${'a'.repeat(63)}.zoom.us/j/81234567890`);
  assert.equal(opens('https://us06web.zoom.us/j/81234567890'), 'https://us06web.zoom.us/j/81234567890');
});
