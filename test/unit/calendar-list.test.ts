import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { CalendarList } from '../../main/calendars/calendar-list';
import { defaultName, nameProblem, uniqueName } from '../../main/calendars/calendar-names';
import { parseFeedAddress } from '../../main/calendars/feed-address';
import { isZoomTrayError } from '../../main/lib/errors';
import { LOG_FILE, openLog } from '../../main/lib/log';
import { redact } from '../../main/lib/redact';
import type { SecretStore } from '../../main/session/secret-store';

const GOOGLE = 'https://calendar.google.com/calendar/ical/jane.doe%40example.com/private-0123456789abcdef0123456789abcdef/basic.ics';
const OUTLOOK = 'https://outlook.office365.com/owa/calendar/5f0c1d2e3a4b@example.com/9f8e7d6c5b4a39281706f5e4d3c2b1a0/calendar.ics';

async function folder(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-calendars-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The keychain as a map; `failSet` makes every write fail as a locked keychain would. */
function memoryStore(options: { failSet?: boolean } = {}): SecretStore & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account),
    set: async (account, secret) => {
      if (options.failSet) throw new Error('locked');
      entries.set(account, secret);
    },
    delete: async (account) => void entries.delete(account),
  };
}

const url = (text: string): URL => {
  const parsed = parseFeedAddress(text);
  assert.ok(parsed.ok, text);
  return parsed.url;
};

test("a calendar's default name is its provider's, else its host; a taken name gets a number", () => {
  assert.deepEqual(
    ['calendar.google.com', 'outlook.office365.com', 'outlook.office.com', 'outlook.live.com', 'p23-caldav.icloud.com', 'ICLOUD.COM', 'www.fastmail.com', 'calendar.example.org', 'google.com.evil.example'].map(defaultName),
    ['Google', 'Outlook', 'Outlook', 'Outlook', 'iCloud', 'iCloud', 'Fastmail', 'calendar.example.org', 'google.com.evil.example'],
  );
  assert.equal(uniqueName('Google', []), 'Google');
  assert.equal(uniqueName('Google', ['google']), 'Google 2', 'case-insensitive');
  assert.equal(uniqueName('Google', ['Google', 'GOOGLE 2']), 'Google 3');
  assert.equal(uniqueName('x'.repeat(32), ['x'.repeat(32)]), `${'x'.repeat(30)} 2`, 'still at most 32 characters');
});

test('a name is short, printable, trimmed and not a link; the problem is said without repeating the name', () => {
  assert.equal(nameProblem('Work (Google)'), undefined);
  assert.equal(nameProblem('Équipe · 会議'), undefined);
  for (const bad of ['', ' Work', 'Work ', 'x'.repeat(33), 'Work\u001b[31m', 'Work\u202eevil', 'Line\nbreak', GOOGLE, 'webcal:x', 'a://b']) {
    const problem = nameProblem(bad);
    assert.ok(problem, JSON.stringify(bad));
    assert.ok(!problem.includes(bad) || bad === '', `"${problem}" repeats the name`);
  }
});

test('an address: https or webcal (as https), http only on loopback, no credentials; refusals never repeat it, and the redactor knows it', () => {
  assert.equal(url('  webcal://p23-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4OTA#x ').href, 'https://p23-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4OTA');
  assert.equal(url(GOOGLE).href, GOOGLE);
  assert.equal(url('http://127.0.0.1:8080/feed.ics').protocol, 'http:');
  const secret = 'http://calendar.example.org/private-feedsecret123/basic.ics';
  for (const [text, why] of [
    [secret, /starts with https:\/\/ or webcal:\/\/ \(this one is http\)/],
    ['https://jane:hunter22@dav.example.org/cal.ics', /user name or password/],
    ['not a link at all', /not a link/],
    ['javascript:alert(1)', /this one is javascript/],
  ] as const) {
    const parsed = parseFeedAddress(text);
    assert.ok(!parsed.ok);
    assert.match(parsed.why, why);
    assert.ok(!parsed.why.includes('feedsecret123') && !parsed.why.includes('hunter22'), parsed.why);
  }
  assert.equal(redact(`GET failed for ${secret}`), 'GET failed for [redacted]');
  assert.equal(redact(`path /private-feedsecret123/basic.ics`), 'path [redacted]');
  // Pasted without its scheme: not a link, and still a secret.
  const bare = 'calendar.google.com/calendar/ical/x/private-bare0secret/basic.ics';
  assert.ok(!parseFeedAddress(bare).ok);
  assert.equal(redact(`read ${bare}`), 'read [redacted]');
});

test('add keeps the address in the keychain and only the name and host in the list file; find and remove by name, any case', async (t) => {
  const dir = await folder(t);
  const store = memoryStore();
  const list = new CalendarList(dir, 'svc', store);
  const google = await list.add(url(GOOGLE), () => 'Google');
  const outlook = await list.add(url(OUTLOOK), (taken) => uniqueName('Work', taken));
  assert.deepEqual(await list.load(), [
    { id: google.id, name: 'Google', host: 'calendar.google.com' },
    { id: outlook.id, name: 'Work', host: 'outlook.office365.com' },
  ]);
  assert.equal(store.entries.get(google.id), GOOGLE);
  assert.equal((await list.address(google)).href, GOOGLE);
  const file = await readFile(path.join(dir, 'calendars-svc.json'), 'utf8');
  assert.ok(!file.includes('private-') && !file.includes('/calendar/') && !file.includes('9f8e7d6c'), file);
  assert.equal((await list.find('work')).id, outlook.id);
  const removed = await list.remove('WORK');
  assert.equal(removed.id, outlook.id);
  assert.equal(store.entries.has(outlook.id), false, 'its address is gone from the keychain');
  assert.deepEqual((await list.load()).map((c) => c.name), ['Google']);
});

test('two processes adding at once both land, each under a name of its own', async (t) => {
  const dir = await folder(t);
  const store = memoryStore();
  const [a, b] = [new CalendarList(dir, 'svc', store), new CalendarList(dir, 'svc', store)];
  const added = await Promise.all([a.add(url(GOOGLE), (taken) => uniqueName('Google', taken)), b.add(url(`${GOOGLE}?2`), (taken) => uniqueName('Google', taken))]);
  assert.deepEqual(added.map((c) => c.name).sort(), ['Google', 'Google 2']);
  assert.equal((await a.load()).length, 2);
});

test('a keychain that refuses adds nothing; a name taken meanwhile is refused under the lock, and its address is not kept', async (t) => {
  const dir = await folder(t);
  const locked = new CalendarList(dir, 'svc', memoryStore({ failSet: true }));
  await assert.rejects(locked.add(url(GOOGLE), () => 'Google'), /locked/);
  assert.deepEqual(await locked.load(), []);
  const store = memoryStore();
  const list = new CalendarList(dir, 'svc', store);
  await list.add(url(GOOGLE), () => 'Google');
  await assert.rejects(
    list.add(url(OUTLOOK), (taken) => {
      if (taken.includes('Google')) throw new Error('taken');
      return 'Google';
    }),
    /taken/,
  );
  assert.equal(store.entries.size, 1);
});

test('a list file that cannot be written takes the address out of the keychain again: no secret behind no name', async (t) => {
  const dir = await folder(t);
  const store = memoryStore();
  const list = new CalendarList(dir, 'svc', {
    ...store,
    // Once the address is kept, the list's own path becomes a folder with something in it: its write fails.
    set: async (account, secret) => {
      await store.set(account, secret);
      await mkdir(path.join(dir, 'calendars-svc.json', 'in-the-way'), { recursive: true });
    },
  });
  await assert.rejects(list.add(url(GOOGLE), () => 'Google'), (err) => isZoomTrayError(err) && err.kind === 'local');
  assert.equal(store.entries.size, 0);
});

test('a list that cannot be read counts as empty, and the next add keeps it aside instead of overwriting it', async (t) => {
  const dir = await folder(t);
  const file = path.join(dir, 'calendars-svc.json');
  await writeFile(file, '{"v":1,"calendars":[{"id":"not hex","name":"x"');
  const list = new CalendarList(dir, 'svc', memoryStore());
  assert.deepEqual(await list.load(), []);
  await list.add(url(GOOGLE), () => 'Google');
  assert.deepEqual((await list.load()).map((c) => c.name), ['Google']);
  const aside = (await readdir(dir)).filter((f) => f.startsWith('calendars-svc.json.bad-'));
  assert.equal(aside.length, 1);
  assert.match(await readFile(path.join(dir, aside[0] ?? ''), 'utf8'), /not hex/);
  // Entries that are not calendars (a bad id, a bad name, a duplicate name) are dropped, the rest kept.
  await writeFile(
    file,
    JSON.stringify({ v: 1, calendars: [{ id: 'zz', name: 'A', host: 'h' }, { id: 'aa11bb22', name: 'B\u001b', host: 'h' }, { id: 'cc33dd44', name: 'C', host: 'h' }, { id: 'ee55ff66', name: 'c', host: 'h' }] }),
  );
  assert.deepEqual((await list.load()).map((c) => c.name), ['C']);
});

test('a list that cannot be read says why; keeping it aside logs how many addresses it leaves in the keychain, and where', async (t) => {
  const dir = await folder(t);
  openLog(dir, 'test', 'warn');
  const file = path.join(dir, 'calendars-svc.json');
  const list = new CalendarList(dir, 'svc', memoryStore());
  assert.deepEqual(await list.status(), { calendars: [] }, 'no list yet is no problem');
  // Cut short: two calendars named, the second one half.
  await writeFile(file, '{"v":1,"calendars":[{"id":"aa11bb22cc33dd44","name":"Work","host":"h"},{"id":"ee55ff6677889900","na');
  assert.deepEqual(await list.status(), { calendars: [], problem: `the calendar list ${file} is not valid` });
  await list.add(url(GOOGLE), () => 'Google');
  assert.deepEqual(await list.status(), { calendars: await list.load() });
  const logged = (await readFile(path.join(dir, LOG_FILE), 'utf8')).split('\n').filter((line) => line.includes('was kept as'));
  assert.equal(logged.length, 1);
  assert.match(logged[0] ?? '', /kept as calendars-svc\.json\.bad-[0-9a-f]{8}\. The addresses of the calendars it listed \(2 calendars\) may remain in the keychain, service "svc-calendar", one entry per calendar id \(aa11bb22cc33dd44, ee55ff6677889900\): remove them with the system's keychain tool/);
  // Not a file at all: why, and an unknown number.
  await rm(file);
  await mkdir(file);
  assert.deepEqual(await list.status(), { calendars: [], problem: `the calendar list ${file} cannot be read (not a regular file)` });
  await list.add(url(OUTLOOK), () => 'Work');
  assert.match(await readFile(path.join(dir, LOG_FILE), 'utf8'), /listed \(an unknown number of calendars\) may remain in the keychain, service "svc-calendar", one entry per calendar id: remove them/);
});

test("a calendar whose address left the keychain, and a name that is not in the list, say what to do (never an address)", async (t) => {
  const dir = await folder(t);
  const store = memoryStore();
  const list = new CalendarList(dir, 'svc', store);
  const google = await list.add(url(GOOGLE), () => 'Google');
  store.entries.clear();
  await assert.rejects(list.address(google), (err) => {
    assert.ok(isZoomTrayError(err) && err.kind === 'calendar');
    assert.equal(err.message, 'The address of calendar "Google" (calendar.google.com) is no longer in the keychain. Add it again: `zoom-tray calendar remove Google`, then `zoom-tray calendar add`.');
    return true;
  });
  await assert.rejects(list.find('Work'), (err) => isZoomTrayError(err) && err.kind === 'usage' && err.message.startsWith('Calendar "Work" is not in zoom-tray\'s list (calendars: "Google")'));
  await assert.rejects(list.remove(OUTLOOK), (err) => isZoomTrayError(err) && err.kind === 'usage' && err.message.startsWith('That calendar is not in') && !err.message.includes('office365'));
});

// Found by test/fuzz/calendars.test.ts (seed 17): an address whose scheme was 92 × "a" was refused
// quoting the whole scheme, and a list whose host was 583 × "h" named it whole in every message.
test('a refusal quotes 20 characters of a scheme, and a label 80 of a host', async (t) => {
  const refused = parseFeedAddress(`${'a'.repeat(92)}://calendar.example/`);
  assert.ok(!refused.ok);
  assert.equal(refused.why, `a calendar's address starts with https:// or webcal:// (this one is ${'a'.repeat(20)}…)`);
  const dir = await folder(t);
  await writeFile(path.join(dir, 'calendars-svc.json'), JSON.stringify({ v: 1, calendars: [{ id: 'aaaaaa00', name: 'Work', host: 'h'.repeat(583) }] }));
  const list = new CalendarList(dir, 'svc', memoryStore());
  const [work] = await list.load();
  assert.ok(work);
  await assert.rejects(list.address(work), (err) => isZoomTrayError(err) && err.message.startsWith(`The address of calendar "Work" (${'h'.repeat(80)}…) is no longer`));
});

// Found by the same fuzzer's 5 MB run: `calendar remove <5 MB>` against a list of 3,000 calendars
// took 28 s (the name lower-cased once per calendar, and the list read in a pass per calendar), and
// the refusal listed all 3,000 names.
test('a name not in a long list: the list read and searched in one pass, five names said and how many more', async (t) => {
  const dir = await folder(t);
  const calendars = Array.from({ length: 300 }, (_, i) => ({ id: `${i}`.padStart(16, 'a'), name: `Calendar ${i}`, host: 'calendar.example' }));
  await writeFile(path.join(dir, 'calendars-svc.json'), JSON.stringify({ v: 1, calendars }));
  const list = new CalendarList(dir, 'svc', memoryStore());
  const lower = String.prototype.toLowerCase;
  let calls = 0;
  String.prototype.toLowerCase = function (this: string) {
    calls++;
    return lower.call(this);
  };
  try {
    await assert.rejects(list.find('Nowhere'), (err) => isZoomTrayError(err) && err.message.startsWith('Calendar "Nowhere" is not in zoom-tray\'s list (calendars: "Calendar 0", "Calendar 1", "Calendar 2", "Calendar 3", "Calendar 4", and 295 more).'));
  } finally {
    String.prototype.toLowerCase = lower;
  }
  // Once per calendar read, once per calendar searched, once for the name: linear, where a pass per calendar made it some 90,000.
  assert.ok(calls <= 2 * 300 + 10, `${calls} lower-casings`);
});
