import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AppCore, AppController, type ControllerDeps } from '../../main/app/controller';
import type { Note } from '../../main/app/notifications';
import type { Config } from '../../main/core/config';
import type { StartSources } from '../../main/core/core';
import { ZoomTrayError } from '../../main/lib/errors';
import { type Copyable, type CopyTarget, shareText } from '../../main/meetings/invitation';
import type { Target } from '../../main/meetings/launcher';
import { DEFAULT_SETTINGS, type Settings } from '../../main/shared/settings-schema';
import type { Meeting } from '../../main/meetings/meeting';
import type { ZoomUser } from '../../main/zoom/schemas';
import { meeting } from '../harness/meetings';
import { ManualClock } from '../harness/manual-clock';

const USER: ZoomUser = { id: 'u1', email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe', pmi: '5551234567' };
const MEETINGS: Meeting[] = [meeting({ id: '81234567890', topic: 'Design review', start: new Date(Date.now() + 3_600_000), duration: 30 })];

const ACCOUNT = { email: USER.email, cloud: 'commercial', entry: 'session' } as const;

/** The keychain and the account list, as every fake core of one harness sees them. */
interface FakeKeychain {
  signedIn: boolean;
  /** The account list cannot be read (a locked keychain behind a list not written yet). */
  listFails?: boolean;
  /** Holds every core's profile request until resolved (a slow network). */
  slowZoom?: Promise<void> | undefined;
  /** The keychain takes this long to say who is signed in. */
  slowKeychain?: Promise<void> | undefined;
  /** What Zoom lists as upcoming, when not MEETINGS. */
  meetings?: Meeting[];
}

/** A core that answers from memory and counts what it was asked. */
class FakeCore implements AppCore {
  readonly calls: string[] = [];
  readonly extraOrigins: readonly string[] = [];
  failMe: Error | undefined;
  failStart: Error | undefined;
  failCopy: Error | undefined;
  constructor(
    readonly config: Config,
    private readonly keychain: FakeKeychain,
  ) {}
  readonly session = {
    entry: 'session',
    account: async () => {
      await this.keychain.slowKeychain;
      return this.keychain.signedIn ? USER.email : undefined;
    },
  };
  async me(): Promise<ZoomUser> {
    this.calls.push('me');
    await this.keychain.slowZoom;
    if (this.failMe) throw this.failMe;
    return USER;
  }
  readonly hosted = {
    name: 'zoom',
    meetings: async () => {
      this.calls.push('meetings');
      return this.keychain.meetings ?? MEETINGS;
    },
  };
  private held: { token: string; expiresAt: number } | undefined;
  private fetchZak = async () => {
    this.calls.push('zak');
    this.held = { token: 'zak-1', expiresAt: Date.now() + 7_200_000 };
    return this.held;
  };
  readonly zak = {
    warm: async () => this.held ?? this.fetchZak(),
    refresh: this.fetchZak,
    peek: () => this.held,
    renewAt: () => Date.now() + 6_000_000,
    clear: () => void (this.held = undefined),
  };
  async addAccount(): Promise<{ user: ZoomUser; account: typeof ACCOUNT }> {
    this.calls.push('sign-in');
    this.keychain.signedIn = true;
    return { user: USER, account: ACCOUNT };
  }
  async signOut(): Promise<{ account: string }> {
    this.calls.push('sign-out');
    this.keychain.signedIn = false;
    return { account: USER.email };
  }
  async start(target: Target, sources: { user?: () => Promise<ZoomUser> }) {
    this.calls.push(`start ${target.kind}`);
    if (this.failStart) throw this.failStart;
    const user = await sources.user?.();
    const id = target.kind === 'id' ? target.id : (user?.pmi ?? '000000000');
    return { url: new URL(`https://zoom.us/s/${id}?zak=zak-1`), label: 'your personal meeting room' };
  }
  share(what: Copyable, target: CopyTarget, sources: StartSources) {
    return shareText(what, target, {
      pmi: async () => (await sources.user?.())?.pmi,
      upcoming: async () => (await sources.upcoming?.()) ?? [],
      invitation: async (id) => {
        this.calls.push(`invitation ${id}`);
        if (this.failCopy) throw this.failCopy;
        return `Jane Doe is inviting you to a scheduled Zoom meeting.\r\n\r\nMeeting ID: ${id}\r\nPasscode: s3cret\r\n`;
      },
      passcode: async (id) => {
        this.calls.push(`passcode ${id}`);
        if (this.failCopy) throw this.failCopy;
        return id === USER.pmi ? undefined : 's3cret';
      },
      now: Date.now,
    });
  }
  async close(): Promise<void> {
    this.calls.push('close');
  }
}

function harness(options: { env?: Record<string, string>; settings?: Partial<Settings>; signedIn?: boolean; save?: () => Promise<void>; clock?: ManualClock; taken?: string[] } = {}) {
  const notes: Note[] = [];
  /** Registered global shortcuts, as the OS holds them. */
  const keys = new Map<string, () => void>();
  const opened: string[] = [];
  const cores: FakeCore[] = [];
  const secretsAskedFor: string[] = [];
  const keychain: FakeKeychain = { signedIn: options.signedIn ?? true };
  const clipboard = { text: '' };
  const deps: ControllerDeps & { clientSecrets: { get: (clientId: string) => Promise<string | undefined> } } = {
    env: options.env ?? {},
    platform: 'linux',
    launchCommand: ['/opt/zoom-tray/zoom-tray'],
    store: {
      load: async () => ({ settings: { ...DEFAULT_SETTINGS, clientId: 'settings-client', ...options.settings } }),
      save: options.save ?? (async () => undefined),
    },
    clientSecrets: {
      get: async (clientId) => {
        secretsAskedFor.push(clientId);
        return undefined;
      },
      set: async () => undefined,
    },
    accounts: {
      load: async () => {
        if (keychain.listFails) throw new ZoomTrayError('keychain', 'The OS keychain is locked.');
        return keychain.signedIn ? { accounts: [ACCOUNT], default: ACCOUNT } : { accounts: [] };
      },
      setDefault: async () => undefined,
    },
    createCore: (config) => {
      const core = new FakeCore(config, keychain);
      cores.push(core);
      return core;
    },
    openExternal: async (url) => void opened.push(url.href),
    notify: (note) => void notes.push(note),
    copyText: async (text) => void (clipboard.text = text),
    readText: async () => clipboard.text,
    shortcuts: {
      register: (accelerator, onPress) => !options.taken?.includes(accelerator) && Boolean(keys.set(accelerator, onPress)),
      unregisterAll: () => keys.clear(),
    },
    setLaunchAtLogin: async () => undefined,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const controller = new AppController(deps);
  return { controller, deps, notes, opened, cores, keychain, clipboard, keys, secretsAskedFor, core: () => cores.at(-1) as FakeCore };
}

test('start-up warms user, meetings and ZAK; a click then goes to the browser with no other call', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  assert.equal(h.controller.state.auth, 'signed-in');
  assert.deepEqual(h.core().calls.sort(), ['me', 'meetings', 'zak']);
  h.core().calls.length = 0;
  await h.controller.start({ kind: 'pmi' });
  assert.deepEqual(h.core().calls, ['start pmi']);
  assert.deepEqual(h.opened, ['https://zoom.us/s/5551234567?zak=zak-1']);
});

test('a double click starts one meeting', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  await Promise.all([h.controller.start({ kind: 'pmi' }), h.controller.start({ kind: 'pmi' })]);
  assert.equal(h.opened.length, 1);
});

test('before the configuration is known the app is "starting", and a click asks to sign in instead of failing', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  assert.equal(h.controller.state.auth, 'starting');
  await h.controller.start({ kind: 'pmi' });
  assert.deepEqual(h.notes.map((n) => n.title), ['Sign in to Zoom first']);
});

test("the environment's client ID is the one whose stored secret is used", async (t) => {
  const h = harness({ env: { ZOOM_CLIENT_ID: 'env-client' } });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  assert.deepEqual(h.secretsAskedFor, ['env-client']);
  assert.equal(h.core().config.clientId, 'env-client');
});

test('Zoom ending the session in the background: a notification says to sign in, and the menu is signed out', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  h.core().failMe = new ZoomTrayError('signed-out', 'Zoom ended this sign-in.');
  await h.controller.refresh();
  assert.equal(h.controller.state.auth, 'signed-out');
  assert.deepEqual(h.notes.map((n) => n.title), ['Sign in to Zoom again']);
});

test('a background network failure is a quiet line in the menu, cleared by the next success', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  h.core().failMe = new ZoomTrayError('network', 'Could not reach Zoom.');
  await h.controller.refresh();
  assert.equal(h.controller.state.problem, 'Cannot reach Zoom');
  assert.deepEqual(h.notes, []);
  h.core().failMe = undefined;
  await h.controller.refresh();
  assert.equal(h.controller.state.problem, undefined);
});

test('a start that fails says what to do; the busy state never sticks', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  h.core().failStart = new ZoomTrayError('zoom', 'Zoom gives no start key.', { noZak: true });
  await h.controller.start({ kind: 'pmi' });
  assert.deepEqual(h.notes.map((n) => n.title), ['Zoom cannot start meetings for this account']);
  assert.equal(h.controller.state.busy, undefined);
});

test('a settings save that cannot be written answers with the reason, and the old settings stay', async (t) => {
  const h = harness({
    save: async () => {
      throw new ZoomTrayError('local', 'Your settings could not be saved to /x/settings.json (EROFS).');
    },
  });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  const result = await h.controller.saveSettings({ ...h.controller.state.settings, shortcut: 'Control+Alt+N' });
  assert.deepEqual(result, { ok: false, errors: {}, message: 'Your settings could not be saved to /x/settings.json (EROFS).' });
  assert.equal(h.controller.state.settings.shortcut, DEFAULT_SETTINGS.shortcut);
});

test('sign-out, then sign-in again, and dispose twice (quit after an update restart) is harmless', async () => {
  const h = harness();
  await h.controller.init();
  await h.controller.signOut();
  assert.equal(h.controller.state.auth, 'signed-out');
  await h.controller.signIn();
  assert.equal(h.controller.state.auth, 'signed-in');
  assert.equal(h.controller.state.user?.email, USER.email);
  h.controller.dispose();
  h.controller.dispose();
});

test('a keychain that fails while reading the client secret: no core without it; a problem line; retried on the next click', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  let keychainDown = true;
  const asked: string[] = [];
  h.deps.clientSecrets.get = async (clientId) => {
    asked.push(clientId);
    if (keychainDown) throw new ZoomTrayError('keychain', 'The OS keychain did not answer in time.');
    return 'the-secret';
  };
  await h.controller.init();
  assert.equal(h.cores.length, 0, 'no core built without its client secret');
  assert.equal(h.controller.state.auth, 'starting');
  assert.equal(h.controller.state.problem, 'The keychain is unavailable');
  keychainDown = false;
  await h.controller.start({ kind: 'pmi' });
  assert.equal(h.core().config.clientSecret, 'the-secret');
  assert.deepEqual(h.opened, ['https://zoom.us/s/5551234567?zak=zak-1']);
  assert.equal(h.controller.state.problem, undefined);
});

const MINUTE = 60_000;
const count = (calls: string[], name: string): number => calls.filter((c) => c === name).length;

test('idle, the meetings are asked for every 15 minutes and nothing else is polled', async (t) => {
  const clock = new ManualClock();
  const h = harness({ clock });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  h.core().calls.length = 0;
  await clock.advance(4 * 60 * MINUTE);
  assert.equal(count(h.core().calls, 'meetings'), 16);
  assert.equal(count(h.core().calls, 'me'), 0);
  await clock.advance(14 * MINUTE);
  assert.equal(count(h.core().calls, 'meetings'), 16, 'never more often than every 15 minutes');
});

test('a menu open or a start refetches meetings older than a minute, and the next poll counts from there', async (t) => {
  const clock = new ManualClock();
  const h = harness({ clock });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  h.core().calls.length = 0;
  clock.jump(30_000);
  h.controller.menuOpened();
  assert.equal(count(h.core().calls, 'meetings'), 0, 'half a minute old is fresh enough');
  clock.jump(MINUTE);
  h.controller.menuOpened();
  h.controller.menuOpened();
  assert.equal(count(h.core().calls, 'meetings'), 1, 'one ask for two opens');
  await clock.advance(14 * MINUTE);
  assert.equal(count(h.core().calls, 'meetings'), 1, 'the poll moved to 15 minutes after the open');
  clock.jump(2 * MINUTE);
  await h.controller.start({ kind: 'pmi' });
  assert.equal(count(h.core().calls, 'meetings'), 2, 'a start refreshes what the menu shows next');
});

test('a start served from the caches changes no state (no "Starting…" flash, no menu rebuild); one that must ask Zoom shows it', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  const busy: (string | undefined)[] = [];
  h.controller.onChange((s) => busy.push(s.busy));
  await h.controller.start({ kind: 'pmi' });
  await h.controller.start({ kind: 'id', id: '81234567890' });
  assert.deepEqual(busy, []);
  assert.equal(h.opened.length, 2);
  await h.controller.start({ kind: 'instant' });
  assert.deepEqual(busy, ['Starting a new instant meeting…', undefined]);
  h.core().zak.clear();
  busy.length = 0;
  await h.controller.start({ kind: 'pmi' });
  assert.deepEqual(busy, ['Starting your personal meeting room…', undefined], 'no ZAK held: Zoom is asked, and the menu says so');
});

test('a sign-in that ends while the account list cannot be read does not stay "signing in"', async (t) => {
  const h = harness({ signedIn: false });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  assert.equal(h.controller.state.auth, 'signed-out');
  h.keychain.listFails = true;
  await h.controller.signIn();
  assert.notEqual(h.controller.state.auth, 'signing-in');
  assert.match(h.controller.state.problem ?? '', /keychain/i);
  h.keychain.listFails = false;
  h.controller.menuOpened();
  await h.controller.refresh();
  assert.equal(h.controller.state.auth, 'signed-in', 'the next read of the list brings the account in');
});

test('an account replaced while it warms up (a new client ID saved meanwhile) schedules nothing more', async (t) => {
  const clock = new ManualClock();
  const h = harness({ clock });
  t.after(() => h.controller.dispose());
  let release: () => void = () => undefined;
  h.keychain.slowZoom = new Promise<void>((resolve) => (release = resolve));
  const starting = h.controller.init();
  await new Promise((resolve) => setImmediate(resolve));
  const first = h.core();
  const saved = await h.controller.saveSettings({ ...DEFAULT_SETTINGS, clientId: 'another-client' });
  assert.equal(saved.ok, true, 'a save does not wait on Zoom');
  h.keychain.slowZoom = undefined;
  release();
  await starting;
  const before = first.calls.length;
  await clock.advance(3 * 60 * 60_000);
  assert.deepEqual(first.calls.slice(before), [], 'the replaced core asks Zoom nothing');
  assert.equal(h.controller.state.problem, undefined);
});

test('join from the clipboard: a Zoom link opens; anything else says what it was, never the text itself', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  h.clipboard.text = 'Join Zoom Meeting\nhttps://us06web.zoom.us/j/81234567890?pwd=AbC1\nPasscode: 123456';
  await h.controller.joinFromClipboard();
  assert.deepEqual(h.opened, ['https://us06web.zoom.us/j/81234567890?pwd=AbC1']);
  h.clipboard.text = 'hunter2';
  await h.controller.joinFromClipboard();
  assert.equal(h.opened.length, 1);
  assert.deepEqual(h.notes.at(-1), {
    title: 'No Zoom meeting on the clipboard',
    body: 'The clipboard holds 7 characters of text. Copy a Zoom meeting link, an invitation or a meeting ID, then try again.',
  });
});

test("copy: Zoom's invitation or the ID and passcode reach the clipboard in one request; the notification never repeats them", async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  const core = h.core();
  const before = core.calls.length;
  const busy: (string | undefined)[] = [];
  h.controller.onChange((state) => busy.at(-1) !== state.busy && busy.push(state.busy));
  await h.controller.copy('invitation', { kind: 'id', id: '81234567890' });
  assert.deepEqual(busy, ['Copying the invitation…', undefined], 'the tray says a copy is under way until it is done');
  assert.match(h.clipboard.text, /^Jane Doe is inviting you.*Meeting ID: 81234567890\r\nPasscode: s3cret/s);
  assert.deepEqual(h.notes.at(-1), { title: 'Invitation copied', body: 'Design review: ready to paste.' });
  await h.controller.copy('id-and-passcode', { kind: 'id', id: '81234567890' });
  assert.equal(h.clipboard.text, 'Meeting ID: 812 3456 7890\nPasscode: s3cret');
  assert.deepEqual(h.notes.at(-1), { title: 'Meeting ID and passcode copied', body: 'Design review: ready to paste.' });
  await h.controller.copy('id-and-passcode', { kind: 'pmi' });
  assert.equal(h.clipboard.text, 'Meeting ID: 555 123 4567\nNo passcode', 'the personal room, from the user already held');
  assert.deepEqual(h.notes.at(-1), { title: 'Meeting ID and passcode copied', body: 'Your personal meeting room: ready to paste.' });
  assert.deepEqual(core.calls.slice(before), ['invitation 81234567890', 'passcode 81234567890', 'passcode 5551234567']);
  assert.ok(h.notes.every((n) => !`${n.title} ${n.body}`.includes('s3cret')));
});

test('copy: a refusal (a scope the Zoom app lacks) is said, the clipboard is left alone and the account stays signed in', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  await h.controller.init();
  h.clipboard.text = 'what the user copied';
  h.core().failCopy = new ZoomTrayError('zoom', "Your Zoom app lacks the scope for the meeting's invitation (…). Add the scope …", { zoomCode: 4711 });
  await h.controller.copy('invitation', { kind: 'pmi' });
  assert.equal(h.clipboard.text, 'what the user copied');
  assert.deepEqual(h.notes.at(-1), { title: 'Zoom refused', body: "Your Zoom app lacks the scope for the meeting's invitation (…). Add the scope …" });
  assert.equal(h.controller.state.auth, 'signed-in');
  h.keychain.signedIn = false;
  await h.controller.signOut();
  await h.controller.copy('invitation', { kind: 'pmi' });
  assert.equal(h.notes.at(-1)?.title, 'Sign in to Zoom first');
});

test('copy: a double click asks Zoom once; a topic is shown, not obeyed; an account the CLI signed out is "sign in first", not "Zoom ended"', async (t) => {
  const h = harness();
  t.after(() => h.controller.dispose());
  h.keychain.meetings = [{ ...MEETINGS[0]!, topic: 'Design\u202eweiver\u001b[31m' }];
  await h.controller.init();
  const core = h.core();
  const before = core.calls.length;
  await Promise.all([h.controller.copy('invitation', { kind: 'id', id: '81234567890' }), h.controller.copy('invitation', { kind: 'id', id: '81234567890' })]);
  assert.deepEqual(core.calls.slice(before), ['invitation 81234567890']);
  assert.deepEqual(h.notes.map((n) => n.body), ['Design\uFFFDweiver\uFFFD[31m: ready to paste.']);
  h.keychain.signedIn = false; // `zoom-tray logout` meanwhile
  await h.controller.copy('invitation', { kind: 'pmi' });
  assert.equal(h.notes.at(-1)?.title, 'Sign in to Zoom first');
});

test('the join shortcut joins from the clipboard beside the start shortcut; saving moves or drops it; a taken one is a problem', async (t) => {
  const h = harness({ settings: { joinShortcut: 'CommandOrControl+Alt+J' } });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  assert.deepEqual([...h.keys.keys()], [DEFAULT_SETTINGS.shortcut, 'CommandOrControl+Alt+J']);
  h.clipboard.text = 'https://us06web.zoom.us/j/81234567890?pwd=AbC1';
  const opened = new Promise<string>((resolve) => Object.assign(h.deps, { openExternal: async (url: URL) => resolve(url.href) }));
  h.keys.get('CommandOrControl+Alt+J')?.();
  assert.equal(await opened, 'https://us06web.zoom.us/j/81234567890?pwd=AbC1');
  assert.deepEqual(h.controller.state.joinShortcut, { accelerator: 'CommandOrControl+Alt+J', active: true });
  await h.controller.saveSettings({ ...h.controller.state.settings, joinShortcut: '' });
  assert.deepEqual([...h.keys.keys()], [DEFAULT_SETTINGS.shortcut]);
  assert.equal(h.controller.state.joinShortcut, undefined);

  const taken = harness({ settings: { joinShortcut: 'Alt+J' }, taken: ['Alt+J'] });
  t.after(() => taken.controller.dispose());
  await taken.controller.init();
  assert.equal(taken.controller.state.joinShortcut?.problem, 'Alt+J is taken by another app or the system. Choose another shortcut in Settings.');
  assert.equal(taken.controller.view().joinShortcutProblem, taken.controller.state.joinShortcut?.problem);
  assert.equal(taken.controller.state.shortcut.active, true, 'the other shortcut still works');
});

test('a start right after the CLI signed in waits for the keychain to say so, instead of "Sign in to Zoom first"', async (t) => {
  const h = harness({ signedIn: false });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  assert.equal(h.controller.state.auth, 'signed-out');
  // `zoom-tray login` in a terminal: the list and the keychain now hold the account; the keychain is slow to answer.
  h.keychain.signedIn = true;
  let answer: () => void = () => undefined;
  h.keychain.slowKeychain = new Promise<void>((resolve) => (answer = resolve));
  const started = h.controller.startDefault();
  // Everything here is in memory: one turn of the event loop lets that start go as far as it can
  // without the keychain's answer (deterministic, not a wait for time to pass).
  await new Promise((resolve) => setImmediate(resolve));
  const second = h.controller.start({ kind: 'id', id: '81234567890' });
  answer();
  await Promise.all([started, second]);
  assert.deepEqual(h.notes, [], 'no "Sign in to Zoom first"');
  assert.equal(h.opened.length, 2, 'both started');
  assert.equal(h.opened[1], 'https://zoom.us/s/81234567890?zak=zak-1');
  assert.equal(h.cores.length, 2, 'the signed-out one, then one for the account (not one per start while the keychain was asked)');
});

test('the state moves on once a minute, on the minute, so the countdown is drawn again; never more often', async (t) => {
  const clock = new ManualClock(Date.parse('2026-11-30T10:00:20Z'));
  const h = harness({ clock });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  const minutes: number[] = [];
  h.controller.onChange((s) => s.minute !== undefined && minutes.at(-1) !== s.minute && minutes.push(s.minute));
  await clock.advance(39_000);
  assert.deepEqual(minutes, []);
  await clock.advance(1_000);
  assert.deepEqual(minutes, [Date.parse('2026-11-30T10:01:00Z') / 60_000]);
  await clock.advance(5 * 60_000);
  assert.equal(minutes.length, 6);
});

/** A morning with one meeting at 10:30, on a clock that starts at 10:00:20. */
function morning(settings: Partial<Settings> = {}) {
  const clock = new ManualClock(Date.parse('2026-11-30T10:00:20Z'));
  const h = harness({ clock, settings });
  h.keychain.meetings = [meeting({ id: '81234567890', topic: 'Design review', start: '2026-11-30T10:30:00Z', duration: 30 })];
  const until = (iso: string): Promise<void> => clock.advance(Date.parse(iso) - clock.now());
  const reminders = (): Note[] => h.notes.filter((n) => n.title.startsWith('Design review starts'));
  return { ...h, clock, until, reminders };
}

test('a reminder one minute before (the default), once; its click starts that meeting as host', async (t) => {
  const m = morning();
  t.after(() => m.controller.dispose());
  await m.controller.init();
  await m.until('2026-11-30T10:28:59Z');
  assert.deepEqual(m.reminders(), []);
  await m.until('2026-11-30T10:29:00Z');
  assert.equal(m.reminders().length, 1);
  const note = m.reminders()[0];
  assert.equal(note?.title, 'Design review starts in 1 min');
  assert.deepEqual(note?.actions?.map((a) => a.label), ['Start', 'Remind me in 1 minute']);
  await note?.click?.();
  assert.deepEqual(m.opened, ['https://zoom.us/s/81234567890?zak=zak-1']);
  await m.until('2026-11-30T10:45:00Z');
  assert.equal(m.reminders().length, 1, 'never twice');
  assert.equal(m.opened.length, 1);
});

test('"remind me in 1 minute" reminds again a minute later, unless the meeting was started meanwhile', async (t) => {
  const m = morning({ reminderMinutes: 5 });
  t.after(() => m.controller.dispose());
  await m.controller.init();
  await m.until('2026-11-30T10:25:00Z');
  assert.equal(m.reminders()[0]?.title, 'Design review starts in 5 min');
  m.reminders()[0]?.actions?.[1]?.run();
  await m.until('2026-11-30T10:26:00Z');
  assert.equal(m.reminders()[1]?.title, 'Design review starts in 4 min');
  m.reminders()[1]?.actions?.[1]?.run();
  await m.controller.start({ kind: 'id', id: '81234567890' });
  await m.until('2026-11-30T10:28:00Z');
  assert.equal(m.reminders().length, 2, 'started from zoom-tray: no more reminders');
});

test('0 minutes turns reminders off', async (t) => {
  const m = morning({ reminderMinutes: 0 });
  t.after(() => m.controller.dispose());
  await m.controller.init();
  await m.until('2026-11-30T10:45:00Z');
  assert.deepEqual(m.reminders(), []);
});

test('start on time (opt-in): in the minute the meeting starts, once; not if started already; not late after a sleep', async (t) => {
  const on = morning({ autoStart: true, reminderMinutes: 0 });
  t.after(() => on.controller.dispose());
  await on.controller.init();
  await on.until('2026-11-30T10:29:59Z');
  assert.deepEqual(on.opened, []);
  await on.until('2026-11-30T10:30:00Z');
  assert.deepEqual(on.opened, ['https://zoom.us/s/81234567890?zak=zak-1']);
  await on.until('2026-11-30T10:50:00Z');
  assert.equal(on.opened.length, 1, 'never twice');

  const early = morning({ autoStart: true, reminderMinutes: 0 });
  t.after(() => early.controller.dispose());
  await early.controller.init();
  await early.until('2026-11-30T10:20:00Z');
  await early.controller.start({ kind: 'id', id: '81234567890' });
  await early.until('2026-11-30T10:35:00Z');
  assert.equal(early.opened.length, 1, 'started by hand before its time: not again');

  const slept = morning({ autoStart: true, reminderMinutes: 0 });
  t.after(() => slept.controller.dispose());
  await slept.controller.init();
  await slept.until('2026-11-30T10:20:00Z');
  slept.clock.jump(12 * 60_000); // asleep from 10:20 to 10:32
  await slept.until('2026-11-30T10:40:00Z');
  assert.deepEqual(slept.opened, [], 'a start missed asleep is not made late');

  const off = morning({ reminderMinutes: 0 });
  t.after(() => off.controller.dispose());
  await off.controller.init();
  await off.until('2026-11-30T10:40:00Z');
  assert.deepEqual(off.opened, [], 'off by default');
});

test('a recurring meeting started from zoom-tray today is still reminded at its next occurrence', async (t) => {
  const m = morning();
  t.after(() => m.controller.dispose());
  await m.controller.init();
  await m.until('2026-11-30T10:20:00Z');
  await m.controller.start({ kind: 'id', id: '81234567890' });
  await m.until('2026-11-30T10:45:00Z');
  assert.deepEqual(m.reminders(), [], 'started: not reminded today');
  m.keychain.meetings = [meeting({ id: '81234567890', topic: 'Design review', start: '2026-12-01T09:30:00Z', duration: 30 })];
  await m.controller.refreshUpcoming();
  await m.until('2026-12-01T09:29:00Z');
  assert.equal(m.reminders().length, 1, 'the same ID tomorrow is another occurrence');
});

test('on wake, an account that joined the list meanwhile warms up once, not twice', async (t) => {
  const h = harness({ signedIn: false });
  t.after(() => h.controller.dispose());
  await h.controller.init();
  h.keychain.signedIn = true; // the CLI signed in meanwhile
  await h.controller.refresh({ newZak: true });
  assert.equal(h.controller.state.auth, 'signed-in');
  assert.equal(count(h.core().calls, 'me'), 1);
});
