/**
 * Plays the month (month-scenario.ts) against the real bundle (dist/main.js) under the Electron
 * double, with the Zoom simulator and the Outlook calendar fixture served on loopback, and records
 * what happened for month-checks.ts. The app's clock is the host's time warp: awake, every timer
 * fires at its own time and what it started finishes before time moves on (TimeWarp.runTo); asleep,
 * time jumps and the overdue timers fire at once, then powerMonitor's 'resume' (as Electron sends it).
 * The simulator follows the app's clock (the host tells it as it moves). Used by the soak test and
 * by `npm run bench`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calendarListFor } from '../../main/calendars/calendar-list';
import { parseFeedAddress } from '../../main/calendars/feed-address';
import type { Env } from '../../main/core/config';
import { AppDriver } from '../harness/app-driver';
import { fixtureText } from '../harness/calendar-fixtures';
import { runCli, spawnCli } from '../harness/cli-process';
import { startFeedServer } from '../harness/feed-server';
import { consentOverHttp, world } from '../harness/fixtures';
import type { HostProbe } from '../harness/host-protocol';
import type { SimMeeting, SimRequest } from '../zoom-sim/server';
import { JANE, monthScenario, type PlannedMeeting, SAM, type Scenario } from './month-scenario';

const PRELOAD = path.join(__dirname, '../harness/pinned-clock.cjs');

export interface MonthRecord {
  readonly scenario: Scenario;
  /** Every OAuth and API request Zoom saw, at the app's time. */
  readonly requests: readonly SimRequest[];
  readonly notifications: HostProbe['notifications'];
  /** Taken each day just before sleeping. */
  readonly samples: readonly HostProbe[];
  /** Moments the app came back: each wake, and each outage's end while awake. */
  readonly backs: readonly { readonly at: number; readonly why: 'wake' | 'network' }[];
  readonly rejectedRefreshes: number;
  readonly refreshes: number;
  /** Whether each account the month ends with is signed in in the tray, and its keychain entry live at Zoom. */
  readonly endsSignedIn: boolean;
  readonly feedRequests: number;
  readonly feedNotModified: number;
  readonly awakeHours: number;
  readonly realSeconds: number;
}

function simMeeting(m: PlannedMeeting): SimMeeting {
  return { id: m.id, topic: m.topic, type: 2, start_time: new Date(m.start).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: m.minutes, timezone: 'Europe/Berlin' };
}

export async function runMonth(): Promise<MonthRecord> {
  const scenario = monthScenario();
  const realStart = performance.now();
  // The simulator's clock: the app's, as last told, running on in real time from then.
  let told = scenario.start;
  let toldAt = Date.now();
  const simNow = (): number => told + (Date.now() - toldAt);
  const follow = (at: number): void => {
    told = at;
    toldAt = Date.now();
  };
  const initial = (host: PlannedMeeting['host']): SimMeeting[] => scenario.meetings.filter((m) => m.host === host && m.addedAt === undefined).map(simMeeting);
  const w = await world({
    sim: { now: simNow, meetings: initial(JANE), invitations: initial('someone else'), users: [{ email: SAM, first_name: 'Sam', last_name: 'Roe', meetings: initial(SAM) }] },
  });
  const feeds = await startFeedServer();
  const closers: (() => Promise<unknown>)[] = [() => w.close(), () => feeds.close()];
  try {
    await w.signIn();
    feeds.serve('outlook', fixtureText('outlook'));
    const parsed = parseFeedAddress(feeds.address('outlook'));
    if (!parsed.ok) throw new Error(parsed.why);
    await calendarListFor(w.keychain, w.dataDir, w.keychainService).add(parsed.url, () => 'Work');
    await writeFile(path.join(w.dataDir, 'settings.json'), JSON.stringify({ reminderMinutes: 1 }));

    // Two malloc arenas, not glibc's eight per core: freed memory kept in the arenas of libuv's
    // threads rose RSS in steps of ~2 MiB on random days, with no heap under them (month-checks.ts SETTLED_DAY).
    const appEnv: Env = { ...w.env, ZOOM_TRAY_TEST_NOW: new Date(scenario.start).toISOString(), MALLOC_ARENA_MAX: '2' };
    const app = AppDriver.boot(appEnv, [], { tz: 'Europe/Berlin', exposeGc: true });
    closers.unshift(async () => {
      await app.quit();
    });
    app.onClock = follow;
    follow(scenario.start);
    await app.untilMenuHas(/Roadmap 0$/);
    await app.settle();

    /** A CLI run at the app's time (the pinned clock starts it there). */
    const cliEnv = (): Env => ({ ...w.env, NODE_OPTIONS: `--require ${PRELOAD}`, ZOOM_TRAY_TEST_NOW: new Date(simNow()).toISOString() });
    const samples: HostProbe[] = [];
    const backs: { at: number; why: 'wake' | 'network' }[] = [];
    let offlineUntil = 0;
    let wokeAt = scenario.start;
    const online = (): void => {
      w.sim.faults.offline = false;
      feeds.mode('outlook', 'ok');
      offlineUntil = 0;
    };
    for (const event of scenario.events) {
      // An event that fell while the lid was closed (the network coming back) happened before the wake.
      const asleep = event.at < wokeAt;
      if (!asleep) await app.runTo(event.at);
      switch (event.kind) {
        case 'sleep':
          // The network comes back while the lid is closed: the wake finds it up.
          if (offlineUntil && offlineUntil <= event.until) online();
          follow(event.until);
          await app.sleepTo(event.until);
          await app.call({ op: 'resume' });
          await app.settle();
          backs.push({ at: event.until, why: 'wake' });
          wokeAt = event.until;
          break;
        case 'outage':
          w.sim.faults.offline = true;
          feeds.mode('outlook', 'drop');
          offlineUntil = event.until;
          break;
        case 'network-back':
          if (offlineUntil === event.at) {
            online();
            if (!asleep) backs.push({ at: event.at, why: 'network' });
          }
          break;
        case 'api-5xx':
          for (let i = 0; i < event.count; i++) w.sim.faults.queue.push({ on: 'api', when: 'before', spoil: 'server-error' });
          break;
        case 'token-503':
          w.sim.faults.tokenServerErrors = event.count;
          break;
        case 'rate-limit':
          w.sim.faults.rateLimit = { count: event.count, ...(event.retryAfter === undefined ? {} : { retryAfter: event.retryAfter }) };
          break;
        case 'kill-keychain':
          await app.killKeychain(event.when);
          await app.settle();
          break;
        case 'lose-refresh-answer':
          w.sim.faults.queue.push({ on: 'token', when: 'after', spoil: 'drop' });
          break;
        case 'cli-login': {
          w.sim.signInAs(event.email);
          const login = spawnCli(['login', '--no-open'], cliEnv());
          await consentOverHttp(new URL(await login.firstLine));
          const done = await login.done;
          if (done.code !== 0) throw new Error(`zoom-tray login (${event.email}) failed: ${done.stderr}`);
          break;
        }
        case 'cli': {
          const done = await runCli(event.args, cliEnv());
          if (done.code !== 0) throw new Error(`zoom-tray ${event.args.join(' ')} failed: ${done.stderr}`);
          break;
        }
        case 'open-menu':
          await app.call({ op: 'open-menu' });
          await app.settle();
          break;
        case 'add-meeting':
          if (event.meeting.host === 'someone else') w.sim.invitationsOf(JANE).push(simMeeting(event.meeting));
          else w.sim.meetingsOf(event.meeting.host).push(simMeeting(event.meeting));
          break;
        case 'cancel-meeting':
          for (const list of [w.sim.meetingsOf(JANE), w.sim.meetingsOf(SAM), w.sim.invitationsOf(JANE)]) {
            const at = list.findIndex((m) => m.id === event.meeting.id);
            if (at >= 0) list.splice(at, 1);
          }
          break;
        case 'click': {
          const label = (await app.labels()).find((l) => l.endsWith(`  ${event.meeting.topic}`));
          if (!label) throw new Error(`no menu line for ${event.meeting.topic}: ${JSON.stringify(await app.labels())}`);
          await app.click(label);
          await app.settle();
          break;
        }
        case 'sample':
          samples.push(await app.probe(Number.MAX_SAFE_INTEGER));
          break;
      }
    }
    await app.runTo(scenario.end);
    const last = await app.probe(0);
    const labels = await app.labels();
    const stored = await w.stored();
    const endsSignedIn = labels.some((l) => l.includes(JANE)) && stored !== undefined && w.sim.liveRefreshTokens(JANE).includes(stored.refreshToken);
    const feedStats = feeds.stats('outlook');
    const awakeMs = scenario.awake.reduce((sum, [from, to]) => sum + (to - from), 0);
    return {
      scenario,
      requests: [...w.sim.stats.log],
      notifications: last.notifications,
      samples,
      backs,
      rejectedRefreshes: w.sim.stats.rejectedRefreshes,
      refreshes: w.sim.stats.refreshes,
      endsSignedIn,
      feedRequests: feedStats.requests,
      feedNotModified: feedStats.notModified,
      awakeHours: awakeMs / 3_600_000,
      realSeconds: (performance.now() - realStart) / 1000,
    };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}
