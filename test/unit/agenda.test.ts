import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agenda } from '../../main/meetings/agenda';
import type { Meeting } from '../../main/meetings/meeting';
import { meeting } from '../harness/meetings';

const jane = { email: 'jane@example.com', cloud: 'commercial' } as const;
const bob = { email: 'bob@agency.gov', cloud: 'gov' } as const;
const T = '2026-12-07T10:00:00Z';
const calendar = (m: Meeting, name = 'Work'): Meeting => ({ ...m, account: undefined, sources: [`calendar:${name}`], action: { kind: 'join', url: `https://zoom.us/j/${m.id}` } });
const summary = (list: Meeting[]) => list.map((m) => `${m.id}@${m.start.toISOString().slice(11, 16)} ${m.action.kind} ${m.account?.email ?? '-'} ${m.sources.join('+')}`);

test('a meeting one account hosts and another is invited to is one entry, started by its host', () => {
  const invited = meeting({ id: '81111111111', topic: 'Sync', start: T, account: jane, join: 'https://zoom.us/j/81111111111?pwd=x' });
  const hosted = meeting({ id: '81111111111', topic: 'Sync', start: T, account: bob });
  assert.deepEqual(summary(agenda([[invited], [hosted]])), ['81111111111@10:00 start bob@agency.gov zoom']);
});

test('a calendar event of a meeting an account hosts is that meeting: one entry, both sources, started as host', () => {
  const hosted = meeting({ id: '81111111111', topic: 'Sync', start: T, account: jane });
  assert.deepEqual(summary(agenda([[hosted], [calendar(hosted)]])), ['81111111111@10:00 start jane@example.com zoom+calendar:Work']);
});

test('a calendar event at another time of a meeting an account hosts (a later occurrence) starts as host too', () => {
  const hosted = meeting({ id: '81111111111', topic: 'Sync', start: T, account: jane });
  const later = calendar(meeting({ id: '81111111111', topic: 'Sync', start: '2026-12-08T10:00:00Z' }));
  assert.deepEqual(summary(agenda([[hosted], [later]])), ['81111111111@10:00 start jane@example.com zoom', '81111111111@10:00 start jane@example.com calendar:Work']);
});

test("an invitation seen by Zoom and by two calendars is one entry, joined by Zoom's link", () => {
  const invited = meeting({ id: '82222222222', topic: 'Vendor', start: T, account: jane, join: 'https://zoom.us/j/82222222222?pwd=zoom' });
  const [entry] = agenda([[invited], [calendar(invited)], [calendar(invited, 'Home')]]);
  assert.deepEqual(entry?.sources, ['zoom', 'calendar:Work', 'calendar:Home']);
  assert.deepEqual(entry?.action, { kind: 'join', url: 'https://zoom.us/j/82222222222?pwd=zoom' });
});

test('a calendar-only meeting joins by its link, with no account', () => {
  const only = calendar(meeting({ id: '83333333333', topic: 'Roadmap', start: T }));
  assert.deepEqual(summary(agenda([[], [only]])), ['83333333333@10:00 join - calendar:Work']);
});

test('the same meeting hosted by two accounts (a shared one): the default account, first, starts it', () => {
  const a = meeting({ id: '81111111111', topic: 'Sync', start: T, account: jane });
  const b = meeting({ id: '81111111111', topic: 'Sync', start: T, account: bob });
  assert.deepEqual(summary(agenda([[a], [b]])), ['81111111111@10:00 start jane@example.com zoom']);
});

test("a calendar's occurrence of a meeting an account hosts shows Zoom's topic, not the event's", () => {
  const hosted = meeting({ id: '81111111111', topic: 'Sync', start: T, account: jane });
  const planted = calendar(meeting({ id: '81111111111', topic: 'Totally harmless', start: '2026-12-08T03:00:00Z' }));
  assert.deepEqual(agenda([[hosted], [planted]]).map((m) => m.topic), ['Sync', 'Sync']);
});

test("one state is merged once: the menu, the tooltip and the minute's plan share it; a new state is merged anew", async () => {
  const { agendaOf } = await import('../../main/app/state');
  const state = { meetings: [meeting({ id: '81111111111', topic: 'Sync', start: T, account: jane })] };
  assert.equal(agendaOf(state), agendaOf(state));
  assert.notEqual(agendaOf({ ...state }), agendaOf(state));
});
