import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Meeting } from '../../main/meetings/meeting';
import { minutesUntil, NOTHING_DONE, type OnTimeMemory, type OnTimeSettings, planOnTime } from '../../main/app/on-time-policy';
import { meeting } from '../harness/meetings';

const START = Date.parse('2026-11-30T10:30:00Z');
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const jane = { email: 'jane@example.com', cloud: 'commercial' } as const;
const bob = { email: 'bob@agency.gov', cloud: 'gov' } as const;
const review = meeting({ id: '81234567890', topic: 'Design review', start: new Date(START), duration: 30, account: jane });

const REMIND_1: OnTimeSettings = { reminderMinutes: 1, autoStart: false, autoJoin: false };
const REMIND_5: OnTimeSettings = { reminderMinutes: 5, autoStart: false, autoJoin: false };
const OFF: OnTimeSettings = { reminderMinutes: 0, autoStart: false, autoJoin: false };
const ON_TIME: OnTimeSettings = { reminderMinutes: 0, autoStart: true, autoJoin: false };
const BOTH: OnTimeSettings = { reminderMinutes: 1, autoStart: true, autoJoin: false };

function memory(handled: [string, number][] = [], startedAt: [string, number][] = []): OnTimeMemory {
  return { handled: new Map(handled), startedAt: new Map(startedAt) };
}
const REMINDED = memory([[`remind 81234567890@${START}`, START]]);
const AUTO_STARTED = memory([[`open 81234567890@${START}`, START]]);
const JOIN_ON_TIME: OnTimeSettings = { reminderMinutes: 0, autoStart: false, autoJoin: true };
const theirs = meeting({ id: '83333333333', topic: 'Their review', start: new Date(START), join: 'https://zoom.us/j/83333333333?pwd=x' });

/** Each row: the meetings, how far from their start it is (negative: before), the settings, what was done → what the policy does. */
const rows: { name: string; at: number; settings: OnTimeSettings; done?: OnTimeMemory; meetings?: Meeting[]; want: string[] }[] = [
  { name: '90 s before, reminders at 1 min: nothing yet', at: -90 * S, settings: REMIND_1, want: [] },
  { name: 'exactly 1 min before: remind', at: -MIN, settings: REMIND_1, want: ['remind 81234567890'] },
  { name: '30 s before, reminded already: nothing', at: -30 * S, settings: REMIND_1, done: REMINDED, want: [] },
  { name: '30 s before, a tick missed the 1-min mark: remind late rather than never', at: -30 * S, settings: REMIND_1, want: ['remind 81234567890'] },
  { name: 'reminders at 5 min, 5 min before: remind', at: -5 * MIN, settings: REMIND_5, want: ['remind 81234567890'] },
  { name: 'reminders at 5 min, a second earlier: nothing', at: -5 * MIN - S, settings: REMIND_5, want: [] },
  { name: 'reminders off (0): nothing, even a minute before', at: -MIN, settings: OFF, want: [] },
  { name: 'at its start, reminders only: nothing (under way is not reminded)', at: 0, settings: REMIND_1, want: [] },
  { name: 'start on time, at its start: start', at: 0, settings: ON_TIME, want: ['open 81234567890'] },
  { name: 'start on time, 59 s into it: start', at: 59 * S, settings: ON_TIME, want: ['open 81234567890'] },
  { name: 'start on time, a full minute into it (woke late): not started late', at: MIN, settings: ON_TIME, want: [] },
  { name: 'start on time, a second before: nothing yet', at: -S, settings: ON_TIME, want: [] },
  { name: 'start on time and reminders, a minute before: remind, not start', at: -MIN, settings: BOTH, want: ['remind 81234567890'] },
  { name: 'start on time, started on time already: not again', at: 30 * S, settings: ON_TIME, done: AUTO_STARTED, want: [] },
  { name: 'started from zoom-tray 10 min before: neither reminded nor started', at: -MIN, settings: BOTH, done: memory([], [['81234567890', START - 10 * MIN]]), want: [] },
  { name: 'started from zoom-tray at its start: not started again', at: 0, settings: ON_TIME, done: memory([], [['81234567890', START]]), want: [] },
  { name: 'started 2 h before: counts as this occurrence', at: -MIN, settings: REMIND_1, done: memory([], [['81234567890', START - 2 * HOUR]]), want: [] },
  { name: 'started 2 h and 1 ms before (the last occurrence): reminded', at: -MIN, settings: REMIND_1, done: memory([], [['81234567890', START - 2 * HOUR - 1]]), want: ['remind 81234567890'] },
  { name: 'another meeting started: this one still reminded', at: -MIN, settings: REMIND_1, done: memory([], [['89999999999', START - MIN]]), want: ['remind 81234567890'] },
  {
    name: 'one meeting seen twice (two accounts): reminded once',
    at: -MIN,
    settings: REMIND_1,
    meetings: [review, meeting({ id: '81234567890', topic: 'Budget', start: new Date(START), account: bob })],
    want: ['remind 81234567890'],
  },
  { name: 'start on time leaves a meeting someone else hosts alone', at: 0, settings: ON_TIME, meetings: [theirs], want: [] },
  { name: 'join on time joins a meeting someone else hosts in its first minute', at: 0, settings: JOIN_ON_TIME, meetings: [theirs], want: ['open 83333333333'] },
  { name: 'join on time leaves a meeting the user hosts alone', at: 0, settings: JOIN_ON_TIME, want: [] },
  { name: 'join on time, a full minute into it: not joined late', at: MIN, settings: JOIN_ON_TIME, meetings: [theirs], want: [] },
  {
    name: "start on time leaves alone a hosted meeting only a calendar vouches for (anyone can put one in a calendar)",
    at: 0,
    settings: ON_TIME,
    meetings: [{ ...review, sources: ['calendar:Work'] }],
    want: [],
  },
  { name: 'start on time starts a hosted meeting Zoom and a calendar both list', at: 0, settings: ON_TIME, meetings: [{ ...review, sources: ['zoom', 'calendar:Work'] }], want: ['open 81234567890'] },
  {
    name: 'several due at once: in the order given',
    at: -MIN,
    settings: REMIND_5,
    meetings: [review, meeting({ id: '82222222222', topic: 'Later', start: new Date(START + 2 * MIN), account: jane })],
    want: ['remind 81234567890', 'remind 82222222222'],
  },
];

for (const row of rows) {
  test(`on-time policy: ${row.name}`, () => {
    const { actions } = planOnTime(row.meetings ?? [review], START + row.at, row.settings, row.done ?? NOTHING_DONE);
    assert.deepEqual(
      actions.map((a) => (a.kind === 'remind-more' ? `remind-more ${a.meetings.length}` : `${a.kind} ${a.meeting.id}${a.meeting.account === bob ? ' bob@agency.gov' : ''}`)),
      row.want,
    );
  });
}

test('on-time policy: what it did is remembered, so the next minute does not do it again', () => {
  const first = planOnTime([review], START - MIN, REMIND_1, NOTHING_DONE);
  assert.equal(first.actions.length, 1);
  assert.deepEqual(planOnTime([review], START - 30 * S, REMIND_1, first.memory).actions, []);
  const started = planOnTime([review], START, ON_TIME, NOTHING_DONE);
  assert.deepEqual(planOnTime([review], START + 30 * S, ON_TIME, started.memory).actions, []);
});

test('on-time policy: memory is forgotten once it cannot matter (an hour after a meeting, a day after a start)', () => {
  const old = memory([['remind x', START - HOUR - 1], ['remind y', START - HOUR]], [['1', START - 24 * HOUR - 1], ['2', START - 24 * HOUR]]);
  const { memory: kept } = planOnTime([], START, OFF, old);
  assert.deepEqual([...kept.handled.keys()], ['remind y']);
  assert.deepEqual([...kept.startedAt.keys()], ['2']);
});

test('on-time policy: the memory handed in is not changed (pure)', () => {
  const done = memory();
  planOnTime([review], START - MIN, REMIND_1, done);
  assert.equal(done.handled.size, 0);
});

test('minutes until a meeting: rounded up, and at least 1', () => {
  assert.equal(minutesUntil(review, START - 5 * MIN), 5);
  assert.equal(minutesUntil(review, START - 4 * MIN - 1), 5);
  assert.equal(minutesUntil(review, START - 30 * S), 1);
  assert.equal(minutesUntil(review, START + 30 * S), 1);
});

test('on-time policy: a minute with many meetings brings three reminders and one summary, never a wall of them', () => {
  const many = Array.from({ length: 200 }, (_, i) => meeting({ id: String(81200000000 + i), topic: `M${i}`, start: new Date(START), join: `https://zoom.us/j/${81200000000 + i}` }));
  const { actions, memory: after } = planOnTime(many, START - MIN, REMIND_1, NOTHING_DONE);
  assert.deepEqual(actions.map((a) => a.kind), ['remind', 'remind', 'remind', 'remind-more']);
  const summary = actions.at(-1);
  assert.equal(summary?.kind === 'remind-more' ? summary.meetings.length : 0, 197);
  assert.deepEqual(planOnTime(many, START - 30 * S, REMIND_1, after).actions, [], 'all of them count as reminded');
});

test('on-time policy: a minute with many meetings to join on time opens one, never a tab each', () => {
  const many = Array.from({ length: 200 }, (_, i) => meeting({ id: String(81200000000 + i), topic: `M${i}`, start: new Date(START), join: `https://zoom.us/j/${81200000000 + i}` }));
  const { actions, memory: after } = planOnTime(many, START, JOIN_ON_TIME, NOTHING_DONE);
  assert.deepEqual(actions.map((a) => (a.kind === 'open' ? a.meeting.id : a.kind)), ['81200000000']);
  assert.deepEqual(planOnTime(many, START + 30 * S, JOIN_ON_TIME, after).actions, [], 'the others are not opened later either');
});
