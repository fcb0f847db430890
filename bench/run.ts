/**
 * `npm run bench`, or `npm run -s bench -- --json` for one JSON object alone on stdout (without -s,
 * npm's banner comes before it): the figures of the "Light" goals, measured against the Zoom simulator
 * on loopback with 50 ms added to every Zoom answer (a real network's round trip). Figures, not
 * pass/fail tests. Times are medians with min/max; the CLI is compared with a baseline measured in
 * the same run, alternating with it: a minimal Node script printing the same start URL after one
 * fetch of the ZAK on a fresh connection (bench/baseline-zak.cjs).
 *
 *   hot    tray click with everything held → openExternal: time and Zoom requests
 *   join   tray click on a meeting someone else invited the user to → openExternal (its own link)
 *   burst  20 tray clicks at once (personal room, next meeting, a meeting ID) just after the ZAK ran out
 *   rss    tray memory growth over 3,000 clicks (the real menu rendering, garbage collected before and after)
 *   idle   requests per hour of an idle signed-in tray, over 8 hours of an accelerated clock
 *   warm   `zoom-tray start --print` with a saved sign-in (its start cache filled by the run before)
 *   cold   the same with nothing to go on but the refresh token (access token expired, no start cache)
 *   cli    `zoom-tray start --print`, whole process, warm, against the baseline script
 *   load   evaluating dist/main.js under Node (Electron answered by the test double)
 *   feeds  two calendars in an idle tray over 8 hours of an accelerated clock: fetches an hour, 304s
 *   list   `zoom-tray meetings` with two calendars beside the Zoom lists, whole process
 *   tray   `zoom-tray start --print` answered by a running tray, against the baseline; its endpoint (bench/endpoint.ts)
 *   soak   a month of use on the real bundle (test/soak/): lost sign-ins, memory, timers, reminders,
 *          requests per hour and after each wake or outage, the menu's age, and its real time
 */
import { execFile, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Menu, NativeImage, Tray } from 'electron';
import { build } from 'esbuild';
import { AppController } from '../main/app/controller';
import { calendarListFor } from '../main/calendars/calendar-list';
import { endpointFigures } from './endpoint';
import { parseFeedAddress } from '../main/calendars/feed-address';
import { agendaOf } from '../main/app/state';
import type { Clock } from '../main/lib/clock';
import { Core } from '../main/core/core';
import { accountIndexFor } from '../main/session/accounts';
import { START_CACHE_ACCOUNT } from '../main/session/secret-store';
import { DEFAULT_SETTINGS } from '../main/shared/settings-schema';
import type { TrayIconName } from '../main/tray/menu-model';
import { TrayView } from '../main/tray/tray-view';
import { CLI } from '../test/harness/cli-process';
import { type FeedServer, startFeedServer } from '../test/harness/feed-server';
import { world, type World } from '../test/harness/fixtures';
import type { SimMeeting } from '../test/zoom-sim/server';
import { ManualClock } from '../test/harness/manual-clock';
import { soakFigures } from '../test/soak/month-checks';
import { runMonth } from '../test/soak/run-month';

const run = promisify(execFile);
const LATENCY_MS = 50;
const json = process.argv.includes('--json');
const say = (line: string): void => void (json ? process.stderr : process.stdout).write(`${line}\n`);

interface Spread {
  readonly p50: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}
function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const p50 = s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { p50, min: s[0] ?? 0, max: s.at(-1) ?? 0, n: s.length };
}
const fmt = (s: Spread, digits = 1): string => `${s.p50.toFixed(digits)} ms (min ${s.min.toFixed(digits)}, max ${s.max.toFixed(digits)}, n=${s.n})`;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench does)');
  collect();
  collect();
}
const rssMiB = (): number => process.memoryUsage().rss / 1024 / 1024;

/** A tray like the app's: the controller, a real core on the world, and the real TrayView on an Electron stand-in. */
async function tray(w: World, clock?: Clock) {
  const opened: number[] = [];
  let menusSet = 0;
  const fakeTray = { setImage: () => undefined, setToolTip: () => undefined, setContextMenu: () => void menusSet++ } as unknown as Tray;
  const icons = {} as Record<TrayIconName, NativeImage>;
  const cores: Core[] = [];
  const accounts = accountIndexFor(w.keychain, w.dataDir, w.keychainService);
  const controller = new AppController({
    env: w.env,
    platform: 'linux',
    launchCommand: ['zoom-tray'],
    store: { load: async () => ({ settings: DEFAULT_SETTINGS }), save: async () => undefined },
    clientSecrets: { get: async () => undefined, set: async () => undefined },
    accounts,
    calendarList: calendarListFor(w.keychain, w.dataDir, w.keychainService),
    createCore: (config, account) => {
      const core = new Core(config, w.keychain, { accounts, ...(account ? { account } : {}), ...(clock ? { clock } : {}) });
      cores.push(core);
      return core;
    },
    openExternal: async () => void opened.push(performance.now()),
    notify: (note) => say(`  (notification: ${note.title})`),
    copyText: async () => undefined,
    readText: async () => '',
    shortcuts: { register: () => true, unregisterAll: () => undefined },
    setLaunchAtLogin: async () => undefined,
    ...(clock ? { clock } : {}),
  });
  const view = new TrayView(fakeTray, () => new EventEmitter() as unknown as Menu, icons, () => undefined, () => controller.roster.menuOpened(), false);
  controller.onChange((state) => view.render(state, []));
  await controller.init();
  return {
    controller,
    opened,
    menusSet: () => menusSet,
    core: () => cores.at(-1) as Core,
    close: async () => {
      controller.dispose();
      await Promise.all(cores.map((c) => c.close()));
    },
  };
}

async function trayFigures(w: World) {
  const t = await tray(w);
  try {
    if (t.controller.state.auth !== 'signed-in' || !t.controller.state.meetings) throw new Error(`tray not ready: ${t.controller.state.auth}`);
    const pmi = { kind: 'pmi' } as const;
    const byId = { kind: 'id', id: String(w.sim.meetings[0]?.id) } as const;
    const click = async (target: typeof pmi | typeof byId): Promise<number> => {
      const before = performance.now();
      await t.controller.start(target);
      return (t.opened.at(-1) ?? Number.NaN) - before;
    };
    for (let i = 0; i < 200; i++) await click(i % 2 ? pmi : byId); // warm-up: JIT, caches
    const requestsBefore = w.sim.stats.requests;
    const menusBefore = t.menusSet();
    const hot: number[] = [];
    gc();
    const rssBefore = rssMiB();
    for (let i = 0; i < 3000; i++) hot.push(await click(i % 2 ? pmi : byId));
    gc();
    const rssGrowth = rssMiB() - rssBefore;
    const menuRebuilds = t.menusSet() - menusBefore;
    const invited = agendaOf(t.controller.state).find((m) => m.action.kind === 'join');
    if (!invited) throw new Error('the invitation is not in the tray');
    const joins: number[] = [];
    const joinRequestsBefore = w.sim.stats.requests;
    for (let i = 0; i < 1000; i++) {
      const before = performance.now();
      await t.controller.openMeeting(invited);
      joins.push((t.opened.at(-1) ?? Number.NaN) - before);
    }
    return {
      hot: spread(hot),
      hotRequests: (w.sim.stats.requests - requestsBefore) / hot.length,
      join: spread(joins),
      joinRequests: (w.sim.stats.requests - joinRequestsBefore) / joins.length,
      rssGrowth,
      rssBefore,
      menuRebuilds,
    };
  } finally {
    await t.close();
  }
}

/** Twenty clicks (personal room, next meeting, a meeting ID) the moment a laptop wakes after 3 hours asleep. */
async function burstFigures(w: World) {
  const clock = new ManualClock();
  const t = await tray(w, clock);
  try {
    clock.jump(3 * 3_600_000);
    const before = w.sim.stats.requests;
    const targets = [{ kind: 'pmi' }, { kind: 'next' }, { kind: 'id', id: String(w.sim.meetings[0]?.id) }] as const;
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.controller.start(targets[i % 3] as (typeof targets)[number])));
    await t.controller.roster.refreshUpcoming(); // the meetings a wake refetches, already under way
    // Clicks on a meeting already being started are the same click: one start URL per meeting.
    if (t.opened.length !== targets.length) throw new Error(`${t.opened.length} start URLs opened for ${targets.length} meetings`);
    return { requests: w.sim.stats.requests - before };
  } finally {
    await t.close();
  }
}
/** A meeting someone outside the simulation invited the user to, two hours ahead. */
function invitation(): SimMeeting {
  const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 2 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { id: 87777777777, topic: 'Vendor call', type: 2, start_time: start, duration: 30, timezone: 'UTC' };
}

async function idleFigures() {
  const w = await world({ sim: { invitations: [invitation()] } });
  const clock = new ManualClock();
  try {
    await w.signIn();
    const t = await tray(w, clock);
    const fetchedAt: number[] = [];
    t.controller.onChange((s) => s.meetings && fetchedAt.at(-1) !== clock.now() && fetchedAt.push(clock.now()));
    const hours = 8;
    const before = w.sim.stats.requests;
    const start = clock.now();
    await clock.advance(hours * 3_600_000);
    const requests = w.sim.stats.requests - before;
    const gaps = [start, ...fetchedAt.filter((at) => at > start), clock.now()].map((at, i, all) => (i ? at - (all[i - 1] ?? at) : 0));
    await t.close();
    return { perHour: requests / hours, hours, requests, maxMenuAgeMin: Math.max(...gaps) / 60_000, calls: { ...w.sim.stats.apiCalls }, refreshes: w.sim.stats.refreshes };
  } finally {
    await w.close();
  }
}

/** A small calendar of Zoom meetings around now, as a provider would publish it. */
function feedText(name: string): string {
  const stamp = (ms: number): string => new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const event = (i: number): string =>
    `BEGIN:VEVENT\r\nUID:${name}-${i}@bench\r\nDTSTAMP:${stamp(Date.now())}\r\nDTSTART:${stamp(Date.now() + (i + 1) * 3_600_000)}\r\nDTEND:${stamp(Date.now() + (i + 1.5) * 3_600_000)}\r\nSUMMARY:${name} ${i}\r\nLOCATION:https://zoom.us/j/8${String(i).padStart(2, '0')}1234567${name.length}?pwd=x\r\nEND:VEVENT\r\n`;
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//zoom-tray bench//EN\r\n${Array.from({ length: 20 }, (_, i) => event(i)).join('')}END:VCALENDAR\r\n`;
}

/** Two calendars, "work" and "home", served by `feeds` and added to the world's list. */
async function addCalendars(w: World, feeds: FeedServer) {
  const list = calendarListFor(w.keychain, w.dataDir, w.keychainService);
  for (const name of ['work', 'home']) {
    feeds.serve(name, feedText(name));
    const parsed = parseFeedAddress(feeds.address(name));
    if (!parsed.ok) throw new Error(parsed.why);
    await list.add(parsed.url, () => name);
  }
  return list;
}

/** An idle tray with two calendars over 8 hours of an accelerated clock: what each feed was asked. */
async function feedFigures() {
  const w = await world();
  const feeds = await startFeedServer();
  const clock = new ManualClock();
  try {
    await w.signIn();
    await addCalendars(w, feeds);
    const t = await tray(w, clock);
    await t.controller.calendars.refresh();
    const hours = 8;
    const before = ['work', 'home'].map((n) => feeds.stats(n));
    await clock.advance(hours * 3_600_000);
    const after = ['work', 'home'].map((n) => feeds.stats(n));
    await t.close();
    const requests = after.reduce((sum, s, i) => sum + s.requests - (before[i]?.requests ?? 0), 0);
    const notModified = after.reduce((sum, s, i) => sum + s.notModified - (before[i]?.notModified ?? 0), 0);
    return { perHourEach: requests / hours / 2, notModifiedShare: requests ? notModified / requests : 0 };
  } finally {
    await feeds.close();
    await w.close();
  }
}

/** `zoom-tray meetings --json` with two calendars beside the Zoom lists, whole process, against the simulator. */
async function listFigures(w: World) {
  const feeds = await startFeedServer();
  try {
    const list = await addCalendars(w, feeds);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      const { stdout } = await run(process.execPath, [CLI, 'meetings', '--json'], { env: w.env as NodeJS.ProcessEnv });
      times.push(performance.now() - started);
      const rows = JSON.parse(stdout) as { sources: string[] }[];
      if (!rows.some((r) => r.sources.includes('calendar:work')) || !rows.some((r) => r.sources.includes('zoom'))) throw new Error('zoom-tray meetings missed a source');
    }
    for (const name of ['work', 'home']) await list.remove(name);
    return spread(times);
  } finally {
    await feeds.close();
  }
}

async function timeCli(w: World): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'start', '--print'], { env: w.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`zoom-tray start failed (${code}): ${err}`);
  return performance.now() - started;
}

async function requestsOf(w: World, fn: () => Promise<unknown>): Promise<number> {
  const before = w.sim.stats.requests;
  await fn();
  return w.sim.stats.requests - before;
}

/** The one-fetch baseline script, timed as a whole process, with the current access token handed in. */
async function baselineOf(w: World): Promise<() => Promise<number>> {
  const accessToken = (await w.stored())?.accessToken ?? '';
  return async () => {
    const started = performance.now();
    await run(process.execPath, [path.join(__dirname, 'baseline-zak.cjs'), w.sim.apiBase, w.sim.oauthBase, String(w.sim.user.pmi)], { env: { PATH: process.env.PATH, BENCH_ACCESS_TOKEN: accessToken } });
    return performance.now() - started;
  };
}

async function cliFigures(w: World) {
  const stored = await w.stored();
  if (!stored) throw new Error('not signed in');
  // Cold: only the refresh token to go on.
  await w.keychain.delete(w.keychainService, START_CACHE_ACCOUNT);
  w.sim.expireAccessTokens();
  await w.keychain.set(w.keychainService, 'session', JSON.stringify({ v: 2, ...stored, accessTokenExpiresAt: 0 }));
  const coldRequests = await requestsOf(w, () => timeCli(w));
  const warmRequests = await requestsOf(w, () => timeCli(w));
  const baseline = await baselineOf(w);
  await baseline();
  await timeCli(w);
  const cli: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 21; i++) {
    cli.push(await timeCli(w));
    base.push(await baseline());
  }
  return { cli: spread(cli), baseline: spread(base), coldRequests, warmRequests };
}

async function mainLoad(): Promise<Spread> {
  // The double is TypeScript: bundled once so the timed process loads no TypeScript tooling.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-bench-'));
  const double = path.join(dir, 'electron-double.cjs');
  await build({ entryPoints: [path.join(__dirname, '../test/harness/electron-double.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: double, logLevel: 'warning' });
  const times: number[] = [];
  try {
    for (let i = 0; i < 9; i++) {
      const { stdout } = await run(process.execPath, [path.join(__dirname, 'load-main.cjs'), double], { env: { ...process.env, NODE_EXTRA_CA_CERTS: '', ZOOM_TRAY_DATA_DIR: dir } });
      times.push(Number(stdout.trim()));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return spread(times);
}

async function main(): Promise<void> {
  const w = await world({ sim: { latencyMs: LATENCY_MS, invitations: [invitation()] } });
  try {
    await w.signIn();
    say(`zoom-tray bench: simulator on loopback, +${LATENCY_MS} ms per Zoom answer; Node ${process.version}`);
    const t = await trayFigures(w);
    say(`  hot click → openExternal        ${fmt(t.hot, 3)}; ${t.hotRequests} requests; ${t.menuRebuilds} menu rebuilds in 3,000 clicks`);
    say(`  join click (an invitation)      ${fmt(t.join, 3)}; ${t.joinRequests} requests`);
    const burst = await burstFigures(w);
    say(`  burst: 20 clicks on waking       ${burst.requests} requests (token refresh, one ZAK, Zoom's two meeting lists; each of the 3 meetings opened once)`);
    say(`  tray RSS growth, 3,000 clicks   ${t.rssGrowth.toFixed(1)} MiB (from ${t.rssBefore.toFixed(0)} MiB)`);
    const idle = await idleFigures();
    say(`  idle requests per hour          ${idle.perHour.toFixed(2)} (${idle.requests} in ${idle.hours} h: ${JSON.stringify(idle.calls)}, ${idle.refreshes} token refreshes); menu at most ${idle.maxMenuAgeMin.toFixed(0)} min old`);
    const c = await cliFigures(w);
    say(`  CLI requests: warm ${c.warmRequests}, cold ${c.coldRequests}`);
    say(`  zoom-tray start --print          ${fmt(c.cli)}`);
    say(`  baseline script (one fetch)      ${fmt(c.baseline)}`);
    say(`  CLI / baseline                   ${(c.cli.p50 / c.baseline.p50).toFixed(2)}x`);
    const tt = await tray(w);
    const e = await endpointFigures(w, tt.controller, await baselineOf(w), gc).finally(() => tt.close());
    const [ec, eb] = [spread(e.cli), spread(e.baseline)];
    say(`  start --print, tray running      ${fmt(ec)}; ${(ec.p50 / eb.p50).toFixed(2)}x the baseline (${fmt(eb)}); ${e.requests} requests, ${e.keychainProcesses} keychain processes`);
    say(`  endpoint: RSS over 1,000 asks    ${e.rssGrowthMiB.toFixed(2)} MiB; an idle client dropped at ${e.idleDropMs.toFixed(0)} ms; 50 at once: ${JSON.stringify(e.atOnce)}`);
    const load = await mainLoad();
    say(`  dist/main.js load under Node     ${fmt(load)}`);
    const f = await feedFigures();
    say(`  calendar fetches per hour, each  ${f.perHourEach.toFixed(2)} (idle, 8 h; ${(f.notModifiedShare * 100).toFixed(0)} % answered 304)`);
    const listed = await listFigures(w);
    say(`  zoom-tray meetings, 2 calendars  ${fmt(listed)}`);
    const soak = soakFigures(await runMonth());
    say(`  a month of use (${soak.soak_days} days in ${soak.soak_real_seconds} s): ${soak.soak_lost_sign_ins} lost sign-ins (+${soak.soak_inherent_losses} injected), RSS +${soak.soak_rss_growth_mib} MiB (+${soak.soak_rss_growth_since_day3_mib} after day 3), timers ${soak.soak_timers_start}→${soak.soak_timers_end}, handles ${soak.soak_handles_start}→${soak.soak_handles_end}`);
    say(`    reminders ${soak.soak_reminders_fired}/${soak.soak_reminders_expected} (late ${soak.soak_reminders_late}); requests: at most ${soak.soak_max_requests_per_hour} an hour, ${soak.soak_requests_per_awake_hour} per awake hour, at most ${soak.soak_max_requests_first_minute_back} in the first minute back; menu at most ${soak.soak_max_menu_staleness_min} min old`);
    if (json) {
      const round = (n: number, d = 2): number => Number(n.toFixed(d));
      process.stdout.write(
        `${JSON.stringify({
          latency_ms: LATENCY_MS,
          hot_p50_ms: round(t.hot.p50, 4),
          hot_min_ms: round(t.hot.min, 4),
          hot_max_ms: round(t.hot.max, 4),
          hot_requests: t.hotRequests,
          hot_menu_rebuilds: t.menuRebuilds,
          join_p50_ms: round(t.join.p50, 4),
          join_min_ms: round(t.join.min, 4),
          join_max_ms: round(t.join.max, 4),
          join_requests: t.joinRequests,
          warm_requests: c.warmRequests,
          cold_requests: c.coldRequests,
          burst_requests: burst.requests,
          idle_requests_per_hour: round(idle.perHour),
          idle_max_menu_age_min: round(idle.maxMenuAgeMin, 1),
          rss_growth_mib: round(t.rssGrowth),
          main_load_ms: round(load.p50),
          main_load_min_ms: round(load.min),
          main_load_max_ms: round(load.max),
          cli_start_p50_ms: round(c.cli.p50),
          cli_start_min_ms: round(c.cli.min),
          cli_start_max_ms: round(c.cli.max),
          baseline_p50_ms: round(c.baseline.p50),
          baseline_min_ms: round(c.baseline.min),
          baseline_max_ms: round(c.baseline.max),
          cli_ratio: round(c.cli.p50 / c.baseline.p50),
          tray_cli_start_p50_ms: round(ec.p50),
          tray_cli_baseline_p50_ms: round(eb.p50),
          tray_cli_ratio: round(ec.p50 / eb.p50),
          tray_cli_requests: e.requests,
          tray_cli_keychain_processes: e.keychainProcesses,
          endpoint_rss_growth_1000_mib: round(e.rssGrowthMiB),
          endpoint_idle_drop_ms: round(e.idleDropMs, 0),
          endpoint_fifty_at_once: e.atOnce,
          calendar_fetches_per_hour: round(f.perHourEach),
          calendar_not_modified_share: round(f.notModifiedShare),
          meetings_two_calendars_p50_ms: round(listed.p50),
          meetings_two_calendars_max_ms: round(listed.max),
          ...soak,
        })}\n`,
      );
    }
  } finally {
    await w.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
