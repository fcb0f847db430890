import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import type { Note } from '../../main/app/notifications';
import { OnTimeScheduler } from '../../main/app/on-time';
import type { OnTimeSettings } from '../../main/app/on-time-policy';
import type { Meeting } from '../../main/meetings/meeting';
import { ManualClock } from '../harness/manual-clock';
import { meeting } from '../harness/meetings';

const jane = { email: 'jane@example.com', cloud: 'commercial' } as const;
const review = meeting({ id: '81234567890', topic: 'Design review', start: '2026-11-30T10:30:00Z', duration: 30, account: jane });

/** The scheduler on a manual clock from 10:00:20, with what it carries out written down. */
function scheduler(t: TestContext, options: { meetings?: Meeting[]; settings?: OnTimeSettings } = {}) {
  const clock = new ManualClock(Date.parse('2026-11-30T10:00:20Z'));
  const minutes: number[] = [];
  const opened: string[] = [];
  const notes: Note[] = [];
  const listed = { review: true };
  const s = new OnTimeScheduler({
    clock,
    meetings: () => options.meetings ?? [review],
    settings: () => options.settings ?? { reminderMinutes: 1, autoStart: false, autoJoin: false },
    minute: (m) => void minutes.push(m),
    open: async (m) => void opened.push(m.id),
    notify: (note) => void notes.push(note),
    whose: () => '',
    listed: () => listed.review,
  });
  t.after(() => s.dispose());
  const until = (iso: string): Promise<void> => clock.advance(Date.parse(iso) - clock.now());
  return { s, clock, minutes, opened, notes, listed, until };
}

test('the scheduler ticks now and then on every whole minute, never more often', async (t) => {
  const h = scheduler(t);
  await h.s.tick();
  assert.deepEqual(h.minutes, [Date.parse('2026-11-30T10:00:00Z') / 60_000]);
  await h.clock.advance(39_000);
  assert.equal(h.minutes.length, 1);
  await h.clock.advance(1_000);
  assert.deepEqual(h.minutes.at(-1), Date.parse('2026-11-30T10:01:00Z') / 60_000);
  await h.clock.advance(5 * 60_000);
  assert.equal(h.minutes.length, 7);
  assert.equal(h.clock.pending, 1, 'one ticker, re-armed');
  await h.s.tick();
  assert.equal(h.clock.pending, 1, 'a tick asked for between minutes re-arms the same ticker');
});

test('a reminder says how long until the meeting and what a click does; the click opens that meeting', async (t) => {
  const h = scheduler(t);
  await h.s.tick();
  await h.until('2026-11-30T10:29:00Z');
  assert.equal(h.notes.length, 1);
  const [note] = h.notes;
  assert.equal(note?.title, 'Design review starts in 1 min');
  assert.equal(note?.body, 'Click to start it as host.');
  assert.deepEqual(note?.actions?.map((a) => a.label), ['Start', 'Remind me in 1 minute']);
  await note?.click?.();
  await note?.actions?.[0]?.run();
  assert.deepEqual(h.opened, ['81234567890', '81234567890']);
});

test("a meeting someone else hosts is reminded with Join, and its click joins it", async (t) => {
  const theirs = meeting({ id: '83333333333', topic: 'Their review', start: '2026-11-30T10:30:00Z', join: 'https://zoom.us/j/83333333333?pwd=x' });
  const h = scheduler(t, { meetings: [theirs] });
  await h.s.tick();
  await h.until('2026-11-30T10:29:00Z');
  assert.equal(h.notes[0]?.body, 'Click to join it.');
  assert.deepEqual(h.notes[0]?.actions?.map((a) => a.label), ['Join', 'Remind me in 1 minute']);
});

test('"remind me in 1 minute" reminds again a minute later, with the minutes left', async (t) => {
  const h = scheduler(t, { settings: { reminderMinutes: 5, autoStart: false, autoJoin: false } });
  await h.s.tick();
  await h.until('2026-11-30T10:25:00Z');
  h.notes[0]?.actions?.[1]?.run();
  await h.until('2026-11-30T10:26:00Z');
  assert.deepEqual(h.notes.map((n) => n.title), ['Design review starts in 5 min', 'Design review starts in 4 min']);
});

test('a snoozed reminder is dropped when the meeting was started meanwhile', async (t) => {
  const h = scheduler(t, { settings: { reminderMinutes: 5, autoStart: false, autoJoin: false } });
  await h.s.tick();
  await h.until('2026-11-30T10:25:00Z');
  h.notes[0]?.actions?.[1]?.run();
  h.s.started('81234567890');
  await h.until('2026-11-30T10:28:00Z');
  assert.equal(h.notes.length, 1);
});

test('a snoozed reminder is dropped when the meeting is no longer listed (cancelled, or its account signed out)', async (t) => {
  const h = scheduler(t, { settings: { reminderMinutes: 5, autoStart: false, autoJoin: false } });
  await h.s.tick();
  await h.until('2026-11-30T10:25:00Z');
  h.notes[0]?.actions?.[1]?.run();
  h.listed.review = false;
  await h.until('2026-11-30T10:28:00Z');
  assert.equal(h.notes.length, 1);
});

test('start on time opens the meeting in its first minute, once', async (t) => {
  const h = scheduler(t, { settings: { reminderMinutes: 0, autoStart: true, autoJoin: false } });
  await h.s.tick();
  await h.until('2026-11-30T10:29:59Z');
  assert.deepEqual(h.opened, []);
  await h.until('2026-11-30T10:30:00Z');
  assert.deepEqual(h.opened, ['81234567890']);
  await h.until('2026-11-30T10:50:00Z');
  assert.deepEqual(h.opened, ['81234567890']);
});

test('a start missed while the machine slept is not made late', async (t) => {
  const h = scheduler(t, { settings: { reminderMinutes: 0, autoStart: true, autoJoin: false } });
  await h.s.tick();
  await h.until('2026-11-30T10:20:00Z');
  h.clock.jump(12 * 60_000); // asleep from 10:20 to 10:32
  await h.until('2026-11-30T10:40:00Z');
  assert.deepEqual(h.opened, []);
});

test('a meeting started by hand before its time is not started again on time', async (t) => {
  const h = scheduler(t, { settings: { reminderMinutes: 0, autoStart: true, autoJoin: false } });
  await h.s.tick();
  await h.until('2026-11-30T10:20:00Z');
  h.s.started('81234567890');
  await h.until('2026-11-30T10:35:00Z');
  assert.deepEqual(h.opened, []);
});

test('dispose stops the ticker', async (t) => {
  const h = scheduler(t);
  await h.s.tick();
  h.s.dispose();
  assert.equal(h.clock.pending, 0);
});

test('past three reminders in one minute, the rest are said in one notification', async (t) => {
  const many = Array.from({ length: 5 }, (_, i) => meeting({ id: String(81200000000 + i), topic: `M${i}`, start: '2026-11-30T10:30:00Z', join: `https://zoom.us/j/${81200000000 + i}` }));
  const h = scheduler(t, { meetings: many });
  await h.s.tick();
  await h.until('2026-11-30T10:29:00Z');
  assert.deepEqual(h.notes.map((n) => n.title), ['M0 starts in 1 min', 'M1 starts in 1 min', 'M2 starts in 1 min', '2 more meetings start soon']);
});
