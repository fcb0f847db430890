import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredCalendar } from '../../main/calendars/calendar-list';
import { CalendarSource, type CalendarSourceOptions, calendarSources } from '../../main/calendars/calendar-source';
import type { FeedAnswer, FeedValidators, fetchFeed } from '../../main/calendars/fetch-feed';
import { isZoomTrayError, ZoomTrayError } from '../../main/lib/errors';
import { fixtureText, PINNED_NOW } from '../harness/calendar-fixtures';
import { ManualClock } from '../harness/manual-clock';

const WORK: StoredCalendar = { id: 'aa11bb22', name: 'Work', host: 'outlook.office365.com' };
const ADDRESS = new URL('https://outlook.office365.com/owa/calendar/abc/def/calendar.ics');
const MINUTE = 60_000;

/** A feed as the source sees it: each fetch takes the next scripted answer, and says what it was asked with. */
function feed(answers: (FeedAnswer | Error)[]): { fetch: typeof fetchFeed; asked: (FeedValidators | undefined)[] } {
  const asked: (FeedValidators | undefined)[] = [];
  const fetch: typeof fetchFeed = async (url, calendar, previous) => {
    assert.equal(url.href, ADDRESS.href);
    assert.equal(calendar.name, 'Work');
    asked.push(previous);
    const answer = answers.shift();
    if (!answer) throw new Error('asked more often than scripted');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, asked };
}

const outlook = (etag: string): FeedAnswer => ({ changed: true, text: fixtureText('outlook'), validators: { etag } });
const offline = (): ZoomTrayError => new ZoomTrayError('network', 'Could not reach calendar "Work" (outlook.office365.com): the connection was refused.');

function source(fetch: typeof fetchFeed, clock: ManualClock, extra: Partial<CalendarSourceOptions> = {}): CalendarSource {
  return new CalendarSource(WORK, { address: async () => ADDRESS, clock, fetch, selfEmails: () => ['jane.doe@example.com'], ...extra });
}

const topics = (meetings: readonly { topic: string; start: Date }[]): string[] => meetings.map((m) => `${m.start.toISOString().slice(5, 16)} ${m.topic}`);

test('a calendar is a meeting source: the first call fetches, later calls within the feed\'s refresh period ask nothing and keep up with the time', async () => {
  const clock = new ManualClock(PINNED_NOW.getTime());
  const { fetch, asked } = feed([outlook('"v1"')]);
  const work = source(fetch, clock);
  assert.equal(work.name, 'calendar:Work');
  assert.equal(work.nextFetchAt, PINNED_NOW.getTime(), 'due at once');
  const first = await work.fetch();
  assert.equal(first.length, 6);
  assert.deepEqual(first[0]?.sources, ['calendar:Work']);
  assert.equal(work.refreshMs, 30 * MINUTE, "the feed's X-PUBLISHED-TTL");
  assert.equal(work.nextFetchAt, PINNED_NOW.getTime() + 30 * MINUTE);
  // 29 minutes on: nothing asked, the same meetings.
  await clock.advance(29 * MINUTE);
  assert.deepEqual(await work.fetch(), first);
  assert.equal(asked.length, 1);
  assert.deepEqual(work.lastGood, first);
});

test('once due, the feed is asked conditionally; a 304 keeps the feed read last, for the new time', async () => {
  const clock = new ManualClock(PINNED_NOW.getTime());
  const { fetch, asked } = feed([outlook('"v1"'), { changed: false }, outlook('"v2"')]);
  const work = source(fetch, clock);
  assert.ok(!topics(await work.fetch()).includes('12-14T08:30 Standup'));
  await clock.advance(30 * MINUTE);
  // Unchanged, and read for 08:30: next Monday's 08:30 standup has come into the week.
  assert.ok(topics(await work.fetch()).includes('12-14T08:30 Standup'));
  await clock.advance(30 * MINUTE);
  await work.fetch();
  assert.deepEqual(asked, [undefined, { etag: '"v1"' }, { etag: '"v1"' }], 'the validators of the version held, kept across a 304');
});

test('a failing calendar keeps its last good meetings, says why and how many times in a row, and waits a period before asking again', async () => {
  const clock = new ManualClock(PINNED_NOW.getTime());
  const { fetch, asked } = feed([outlook('"v1"'), offline(), offline(), outlook('"v2"')]);
  const work = source(fetch, clock);
  const good = await work.fetch();
  assert.equal(work.failure, undefined);
  assert.equal(work.failures, 0);
  await clock.advance(30 * MINUTE);
  await assert.rejects(work.fetch(), /connection was refused/);
  assert.equal((work.failure as ZoomTrayError | undefined)?.kind, 'network');
  assert.equal(work.failures, 1, 'the first failure: the tray says it once');
  assert.ok(work.lastGood.length >= good.length, 'the last good meetings, still there');
  assert.ok(topics(work.lastGood).includes('12-14T08:30 Standup'), 'and kept up with the time (08:30 now)');
  // Within the period: the same failure, nothing asked.
  await clock.advance(10 * MINUTE);
  await assert.rejects(work.fetch(), /connection was refused/);
  assert.equal(asked.length, 2);
  assert.equal(work.failures, 1);
  await clock.advance(20 * MINUTE);
  await assert.rejects(work.fetch());
  assert.equal(work.failures, 2);
  assert.equal(asked.length, 3);
  await clock.advance(30 * MINUTE);
  await work.fetch();
  assert.equal(work.failure, undefined);
  assert.equal(work.failures, 0);
  assert.deepEqual(asked.at(-1), { etag: '"v1"' }, 'still asked conditionally after failures');
});

test('a calendar cut short on the way fails as incomplete and keeps its last good meetings; the next whole one replaces them', async () => {
  const clock = new ManualClock(PINNED_NOW.getTime());
  const whole = fixtureText('outlook');
  const truncated: FeedAnswer = { changed: true, text: whole.slice(0, whole.lastIndexOf('BEGIN:VEVENT')), validators: { etag: '"cut"' } };
  const { fetch, asked } = feed([outlook('"v1"'), truncated, outlook('"v2"')]);
  const work = source(fetch, clock);
  const good = await work.fetch();
  assert.equal(good.length, 6);
  await clock.advance(30 * MINUTE);
  await assert.rejects(work.fetch(), (err) => isZoomTrayError(err) && err.kind === 'calendar' && /^calendar "Work" \(outlook\.office365\.com\) sent an incomplete calendar/.test(err.message));
  assert.equal(work.failures, 1);
  assert.ok(work.lastGood.length >= good.length, 'the meetings read last stay');
  await clock.advance(30 * MINUTE);
  assert.ok((await work.fetch()).length >= good.length);
  assert.deepEqual(asked.at(-1), { etag: '"v1"' }, "the incomplete answer's validators are not kept");
});

test('a calendar that never worked fails, with nothing to show; an unexpected error is a calendar error; the address is read once', async () => {
  const clock = new ManualClock(PINNED_NOW.getTime());
  let reads = 0;
  const { fetch } = feed([new TypeError('boom'), outlook('"v1"'), outlook('"v2"')]);
  const work = source(fetch, clock, {
    address: async () => {
      reads++;
      return ADDRESS;
    },
  });
  await assert.rejects(work.fetch(), (err) => isZoomTrayError(err) && err.kind === 'calendar' && /Reading calendar:Work failed unexpectedly/.test(err.message));
  assert.deepEqual(work.lastGood, []);
  await clock.advance(15 * MINUTE);
  await work.fetch();
  await clock.advance(30 * MINUTE);
  await work.fetch();
  assert.equal(reads, 1);
});

test('an address the keychain cannot give is the failure, asked again next period', async () => {
  const clock = new ManualClock(PINNED_NOW.getTime());
  const { fetch } = feed([outlook('"v1"')]);
  const locked = new ZoomTrayError('keychain', 'The OS keychain is locked.');
  let tries = 0;
  const work = source(fetch, clock, {
    address: async () => {
      if (++tries === 1) throw locked;
      return ADDRESS;
    },
  });
  await assert.rejects(work.fetch(), (err) => err === locked);
  await clock.advance(15 * MINUTE);
  assert.equal((await work.fetch()).length, 6);
});

test('calls at once share one fetch; who "the user" is, is asked each time', async () => {
  const clock = new ManualClock(PINNED_NOW.getTime());
  const { fetch, asked } = feed([outlook('"v1"')]);
  let me = ['jane.doe@example.com'];
  const work = source(fetch, clock, { selfEmails: () => me });
  const [a, b] = await Promise.all([work.fetch(), work.fetch()]);
  assert.equal(asked.length, 1);
  assert.equal(a.length, 6);
  assert.equal(b.length, 6);
  me = [];
  assert.equal((await work.fetch()).length, 7, 'the vendor pitch Jane declined shows for nobody in particular');
});

test('one source per calendar in the list, each with its own address', async () => {
  const addresses: string[] = [];
  const list = {
    load: async () => [WORK, { id: 'cc33dd44', name: 'Home', host: 'p23-caldav.icloud.com' }],
    address: async (c: StoredCalendar) => {
      addresses.push(c.name);
      return ADDRESS;
    },
  };
  const clock = new ManualClock(PINNED_NOW.getTime());
  const sources = await calendarSources(list, { clock, fetch: feed([outlook('"v1"')]).fetch });
  assert.deepEqual(sources.map((s) => s.name), ['calendar:Work', 'calendar:Home']);
  await sources[0]?.fetch();
  assert.deepEqual(addresses, ['Work']);
});
