import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZoomTrayError } from '../../main/lib/errors';
import { rememberSecret } from '../../main/lib/redact';
import { type ShareDeps, shareText } from '../../main/meetings/invitation';
import { meeting } from '../harness/meetings';

const NOW = Date.parse('2026-11-30T10:00:00Z');

function deps(overrides: Partial<ShareDeps> = {}): ShareDeps & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    pmi: async () => '5551234567',
    upcoming: async () => [
      meeting({ id: '82345678901', topic: 'Later', start: '2026-11-30T15:00:00Z' }),
      meeting({ id: '123456789', topic: 'Over', start: '2026-11-30T08:00:00Z', duration: 30 }),
      meeting({ id: '81234567890', topic: 'Next', start: '2026-11-30T11:00:00Z' }),
    ],
    invitation: async (id) => (asked.push(`invitation ${id}`), `Invitation to ${id}`),
    passcode: async (id) => (asked.push(`passcode ${id}`), id === '5551234567' ? undefined : 'Xy7'),
    now: () => NOW,
    ...overrides,
  };
}

test('the invitation of the personal room, the next meeting or a meeting ID: one request to Zoom for it', async () => {
  const d = deps();
  assert.equal(await shareText('invitation', { kind: 'pmi' }, d), 'Invitation to 5551234567');
  assert.equal(await shareText('invitation', { kind: 'next' }, d), 'Invitation to 81234567890', 'the next one still ahead, not the first listed');
  assert.equal(await shareText('invitation', { kind: 'id', id: '123456789' }, d), 'Invitation to 123456789');
  assert.deepEqual(d.asked, ['invitation 5551234567', 'invitation 81234567890', 'invitation 123456789']);
});

test('ID and passcode: two lines, the ID spaced as Zoom writes it; "No passcode" when there is none', async () => {
  const d = deps();
  assert.equal(await shareText('id-and-passcode', { kind: 'next' }, d), 'Meeting ID: 812 3456 7890\nPasscode: Xy7');
  assert.equal(await shareText('id-and-passcode', { kind: 'pmi' }, d), 'Meeting ID: 555 123 4567\nNo passcode');
  assert.equal(await shareText('id-and-passcode', { kind: 'id', id: '123456789' }, d), 'Meeting ID: 123 456 789\nPasscode: Xy7');
});

test('no personal meeting ID, or nothing upcoming, is said before Zoom is asked', async () => {
  const d = deps({ pmi: async () => undefined, upcoming: async () => [] });
  await assert.rejects(shareText('invitation', { kind: 'pmi' }, d), (e) => e instanceof ZoomTrayError && /no personal meeting ID/.test(e.message));
  await assert.rejects(shareText('id-and-passcode', { kind: 'next' }, d), (e) => e instanceof ZoomTrayError && /no upcoming scheduled meetings/.test(e.message));
  assert.deepEqual(d.asked, []);
});

test("Zoom's invitation loses every secret this process knows (a server echoing the request), and keeps the rest as written", async () => {
  const token = 'eyJhbGciOiJIUzUxMiJ9.access-token-of-this-process';
  const clientSecret = 'Cl1entSecretOfTheApp';
  rememberSecret(token);
  rememberSecret(clientSecret);
  const echoed = `Jane Doe is inviting you to a scheduled Zoom meeting.\nTopic: Basic training\nJoin: https://zoom.us/j/5551234567?pwd=abc123\nBearer ${token} ${clientSecret}`;
  const text = await shareText('invitation', { kind: 'pmi' }, deps({ invitation: async () => echoed }));
  assert.ok(!text.includes(token) && !text.includes(clientSecret), text);
  assert.equal(text, 'Jane Doe is inviting you to a scheduled Zoom meeting.\nTopic: Basic training\nJoin: https://zoom.us/j/5551234567?pwd=abc123\nBearer [redacted] [redacted]');
});
