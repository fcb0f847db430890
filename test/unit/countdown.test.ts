import assert from 'node:assert/strict';
import { test } from 'node:test';
import { untilNextMinute } from '../../main/lib/clock';
import { countdown } from '../../main/tray/countdown';
import { meeting } from '../harness/meetings';

const now = new Date('2026-11-30T10:00:00Z');
const at = (minutes: number, seconds = 0): string => new Date(now.getTime() + minutes * 60_000 + seconds * 1000).toISOString();
const hosted = (id: string, topic: string, start: string) => meeting({ id, topic, start, duration: 30 });

test('the next meeting within the hour, in whole minutes rounded up; nothing beyond the hour', () => {
  assert.equal(countdown({ meetings: [hosted('1', 'Standup', at(4))] }, now), 'Standup in 4 min');
  assert.equal(countdown({ meetings: [hosted('1', 'Standup', at(3, 1))] }, now), 'Standup in 4 min');
  assert.equal(countdown({ meetings: [hosted('1', 'Standup', at(0, 1))] }, now), 'Standup in 1 min');
  assert.equal(countdown({ meetings: [hosted('1', 'Standup', at(60))] }, now), 'Standup in 60 min');
  assert.equal(countdown({ meetings: [hosted('1', 'Standup', at(60, 1))] }, now), undefined);
  assert.equal(countdown({ meetings: [hosted('1', 'Standup', at(-5))] }, now), undefined, 'one already under way is not counted down');
  assert.equal(countdown({}, now), undefined);
});

test("the soonest of every account's meetings; long topics are shortened", () => {
  const state = {
    meetings: [hosted('1', 'Planning', at(40))],
    others: [{ account: { email: 'bob@example.com', cloud: 'commercial' as const }, signedIn: true, meetings: [hosted('2', 'A very long meeting topic that goes on and on', at(12))] }],
  };
  assert.equal(countdown(state, now), 'A very long meeting topic that … in 12 min');
});

test('the next tick is at the next whole minute', () => {
  assert.equal(untilNextMinute(now.getTime()), 60_000);
  assert.equal(untilNextMinute(now.getTime() + 59_000), 1_000);
});

test('a long topic is cut between characters, never inside an emoji', () => {
  const topic = `${'x'.repeat(30)}🎉🎉🎉`;
  const text = countdown({ meetings: [hosted('1', topic, at(5))] }, now) ?? '';
  assert.equal(text, `${'x'.repeat(30)}🎉… in 5 min`);
  assert.doesNotMatch(text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no lone surrogate');
});
