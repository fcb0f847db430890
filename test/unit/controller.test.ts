import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import type { AppCore } from '../../main/app/account-slot';
import { AppController, type ControllerDeps } from '../../main/app/controller';
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
/** Every harness starts its manual clock here; the meetings are placed against it, never against the machine's. */
const T0 = Date.parse('2026-11-30T09:00:20Z');
const MEETINGS: Meeting[] = [meeting({ id: '81234567890', topic: 'Design review', start: new Date(T0 + 3_600_000), duration: 30 })];

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
  /** Zoom said the app lacks the scope for the meetings the user is invited to. */
  lacksScope?: boolean;
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
    private readonly clock: ManualClock,
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
  readonly meetings = {
    lacksScope: false,
    fetch: async () => {
      this.meetings.lacksScope = Boolean(this.keychain.lacksScope);
      this.calls.push('meetings');
      return this.keychain.meetings ?? MEETINGS;
    },
  };
  private held: { token: string; expiresAt: number } | undefined;
  private fetchZak = async () => {
    this.calls.push('zak');
    this.held = { token: 'zak-1', expiresAt: this.clock.now() + 7_200_000 };
    return this.held;
  };
  readonly zak = {
    warm: async () => this.held ?? this.fetchZak(),
    refresh: this.fetchZak,
    peek: () => this.held,
    renewAt: () => this.clock.now() + 6_000_000,
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
      now: () => this.clock.now(),
    });
  }
  async close(): Promise<void> {
    this.calls.push('close');
  }
}

/**
 * A controller over fake cores, on a manual clock that starts at T0 (or the one given): the clock
 * moves only when a test moves it. The controller is disposed when the test ends.
 */
function harness(t: TestContext, options: { env?: Record<string, string>; settings?: Partial<Settings>; signedIn?: boolean; save?: () => Promise<void>; clock?: ManualClock; taken?: string[] } = {}) {
  const clock = options.clock ?? new ManualClock(T0);
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
    // No calendars here: test/integration/calendars-tray.test.ts has them.
    calendarList: {
      load: async () => [],
      address: async () => new URL('https://calendar.example/never'),
      add: async () => {
        throw new Error('no calendars in these tests');
      },
      remove: async () => {
        throw new Error('no calendars in these tests');
      },
    },
    createCore: (config) => {
      const core = new FakeCore(config, keychain, clock);
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
    clock,
  };
  const controller = new AppController(deps);
  t.after(() => controller.dispose());
  return { controller, deps, clock, notes, opened, cores, keychain, clipboard, keys, secretsAskedFor, core: () => cores.at(-1) as FakeCore };
}

const MINUTE = 60_000;
const count = (calls: string[], name: string): number => calls.filter((c) => c === name).length;

test('start-up warms user, meetings and ZAK; a click then goes to the browser with no other call', async (t) => {
  const h = harness(t);
  await h.controller.init();
  assert.equal(h.controller.state.auth, 'signed-in');
  assert.deepEqual(h.core().calls.sort(), ['me', 'meetings', 'zak']);
  h.core().calls.length = 0;
  await h.controller.start({ kind: 'pmi' });
  assert.deepEqual(h.core().calls, ['start pmi']);
  assert.deepEqual(h.opened, ['https://zoom.us/s/5551234567?zak=zak-1']);
});

test('a double click starts one meeting', async (t) => {
  const h = harness(t);
  await h.controller.init();
  await Promise.all([h.controller.start({ kind: 'pmi' }), h.controller.start({ kind: 'pmi' })]);
  assert.equal(h.opened.length, 1);
});

test('before the configuration is known the app is "starting", and a click asks to sign in instead of failing', async (t) => {
  const h = harness(t);
  assert.equal(h.controller.state.auth, 'starting');
  await h.controller.start({ kind: 'pmi' });
  assert.deepEqual(h.notes.map((n) => n.title), ['Sign in to Zoom first']);
});

test("the environment's client ID is the one whose stored secret is used", async (t) => {
  const h = harness(t, { env: { ZOOM_CLIENT_ID: 'env-client' } });
  await h.controller.init();
  assert.deepEqual(h.secretsAskedFor, ['env-client']);
  assert.equal(h.core().config.clientId, 'env-client');
});

test('Zoom ending the session in the background: a notification says to sign in, and the menu is signed out', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.core().failMe = new ZoomTrayError('signed-out', 'Zoom ended this sign-in.');
  await h.controller.roster.refresh();
  assert.equal(h.controller.state.auth, 'signed-out');
  assert.deepEqual(h.notes.map((n) => n.title), ['Sign in to Zoom again']);
});

test('a background network failure is a quiet line in the menu, cleared by the next success', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.core().failMe = new ZoomTrayError('network', 'Could not reach Zoom.');
  await h.controller.roster.refresh();
  assert.equal(h.controller.state.problem, 'Cannot reach Zoom');
  assert.deepEqual(h.notes, []);
  h.core().failMe = undefined;
  await h.controller.roster.refresh();
  assert.equal(h.controller.state.problem, undefined);
});

test('a start that fails says what to do; the busy state never sticks', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.core().failStart = new ZoomTrayError('zoom', 'Zoom gives no start key.', { noZak: true });
  await h.controller.start({ kind: 'pmi' });
  assert.deepEqual(h.notes.map((n) => n.title), ['Zoom cannot start meetings for this account']);
  assert.equal(h.controller.state.busy, undefined);
});

test('a settings save that cannot be written answers with the reason, and the old settings stay', async (t) => {
  const h = harness(t, {
    save: async () => {
      throw new ZoomTrayError('local', 'Your settings could not be saved to /x/settings.json (EROFS).');
    },
  });
  await h.controller.init();
  const result = await h.controller.preferences.save({ ...h.controller.state.settings, shortcut: 'Control+Alt+N' });
  assert.deepEqual(result, { ok: false, errors: {}, message: 'Your settings could not be saved to /x/settings.json (EROFS).' });
  assert.equal(h.controller.state.settings.shortcut, DEFAULT_SETTINGS.shortcut);
});

test('sign-out, then sign-in again, brings the account back', async (t) => {
  const h = harness(t);
  await h.controller.init();
  await h.controller.signOut();
  assert.equal(h.controller.state.auth, 'signed-out');
  await h.controller.signIn();
  assert.equal(h.controller.state.auth, 'signed-in');
  assert.equal(h.controller.state.user?.email, USER.email);
});

test('dispose twice (quit after an update restart) is harmless, and leaves no timer behind', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.controller.dispose();
  h.controller.dispose();
  assert.equal(h.clock.pending, 0);
});

test('a keychain that fails while reading the client secret: no core without it; a problem line; retried on the next click', async (t) => {
  const h = harness(t);
  let keychainDown = true;
  h.deps.clientSecrets.get = async () => {
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

test('idle, the meetings are asked for every 15 minutes and nothing else is polled', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.core().calls.length = 0;
  await h.clock.advance(4 * 60 * MINUTE);
  assert.equal(count(h.core().calls, 'meetings'), 16);
  assert.equal(count(h.core().calls, 'me'), 0);
  await h.clock.advance(14 * MINUTE);
  assert.equal(count(h.core().calls, 'meetings'), 16, 'never more often than every 15 minutes');
});

test('a menu open refetches meetings older than a minute, once for several opens', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.core().calls.length = 0;
  h.clock.jump(30_000);
  h.controller.roster.menuOpened();
  assert.equal(count(h.core().calls, 'meetings'), 0, 'half a minute old is fresh enough');
  h.clock.jump(MINUTE);
  h.controller.roster.menuOpened();
  h.controller.roster.menuOpened();
  assert.equal(count(h.core().calls, 'meetings'), 1, 'one ask for two opens');
});

test('after a refetch on a menu open, the next poll counts from there', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.clock.jump(2 * MINUTE);
  h.controller.roster.menuOpened();
  h.core().calls.length = 0;
  await h.clock.advance(14 * MINUTE);
  assert.equal(count(h.core().calls, 'meetings'), 0, 'the poll moved to 15 minutes after the open');
  await h.clock.advance(MINUTE);
  assert.equal(count(h.core().calls, 'meetings'), 1);
});

test('a start refetches meetings older than a minute, so the menu shows what is next', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.core().calls.length = 0;
  h.clock.jump(2 * MINUTE);
  await h.controller.start({ kind: 'pmi' });
  assert.equal(count(h.core().calls, 'meetings'), 1);
});

test('a start served from the caches changes no state: no "Starting…" flash, no menu rebuild', async (t) => {
  const h = harness(t);
  await h.controller.init();
  const busy: (string | undefined)[] = [];
  h.controller.onChange((s) => busy.push(s.busy));
  await h.controller.start({ kind: 'pmi' });
  await h.controller.start({ kind: 'id', id: '81234567890' });
  assert.deepEqual(busy, []);
  assert.equal(h.opened.length, 2);
});

test('a start that must ask Zoom says so in the menu while it does', async (t) => {
  await t.test('an instant meeting is always created at Zoom', async (t) => {
    const h = harness(t);
    await h.controller.init();
    const busy: (string | undefined)[] = [];
    h.controller.onChange((s) => busy.push(s.busy));
    await h.controller.start({ kind: 'instant' });
    assert.deepEqual(busy, ['Starting a new instant meeting…', undefined]);
  });
  await t.test('no ZAK held', async (t) => {
    const h = harness(t);
    await h.controller.init();
    h.core().zak.clear();
    const busy: (string | undefined)[] = [];
    h.controller.onChange((s) => busy.push(s.busy));
    await h.controller.start({ kind: 'pmi' });
    assert.deepEqual(busy, ['Starting your personal meeting room…', undefined]);
  });
});

test('a sign-in that ends while the account list cannot be read does not stay "signing in"', async (t) => {
  const h = harness(t, { signedIn: false });
  await h.controller.init();
  assert.equal(h.controller.state.auth, 'signed-out');
  h.keychain.listFails = true;
  await h.controller.signIn();
  assert.notEqual(h.controller.state.auth, 'signing-in');
  assert.match(h.controller.state.problem ?? '', /keychain/i);
  h.keychain.listFails = false;
  h.controller.roster.menuOpened();
  await h.controller.roster.refresh();
  assert.equal(h.controller.state.auth, 'signed-in', 'the next read of the list brings the account in');
});

test('an account replaced while it warms up (a new client ID saved meanwhile) schedules nothing more', async (t) => {
  const h = harness(t);
  let release: () => void = () => undefined;
  h.keychain.slowZoom = new Promise<void>((resolve) => (release = resolve));
  const starting = h.controller.init();
  // Everything here is in memory: one turn of the event loop lets the warm-up go as far as it can
  // without Zoom's answer (deterministic, not a wait for time to pass).
  await new Promise((resolve) => setImmediate(resolve));
  const first = h.core();
  const saved = await h.controller.preferences.save({ ...DEFAULT_SETTINGS, clientId: 'another-client' });
  assert.equal(saved.ok, true, 'a save does not wait on Zoom');
  h.keychain.slowZoom = undefined;
  release();
  await starting;
  const before = first.calls.length;
  await h.clock.advance(3 * 60 * 60_000);
  assert.deepEqual(first.calls.slice(before), [], 'the replaced core asks Zoom nothing');
  assert.equal(h.controller.state.problem, undefined);
});

test('join from the clipboard', async (t) => {
  await t.test('a Zoom link, even inside a pasted invitation, opens', async (t) => {
    const h = harness(t);
    await h.controller.init();
    h.clipboard.text = 'Join Zoom Meeting\nhttps://us06web.zoom.us/j/81234567890?pwd=AbC1\nPasscode: 123456';
    await h.controller.joinFromClipboard();
    assert.deepEqual(h.opened, ['https://us06web.zoom.us/j/81234567890?pwd=AbC1']);
  });
  await t.test('anything else says what it was, never the text itself', async (t) => {
    const h = harness(t);
    await h.controller.init();
    h.clipboard.text = 'hunter2';
    await h.controller.joinFromClipboard();
    assert.deepEqual(h.opened, []);
    assert.deepEqual(h.notes.at(-1), {
      title: 'No Zoom meeting on the clipboard',
      body: 'The clipboard holds 7 characters of text. Copy a Zoom meeting link, an invitation or a meeting ID, then try again.',
    });
  });
});

test("a meeting someone else hosts opens its own link: no ZAK, nothing asked of Zoom", async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.core().calls.length = 0;
  await h.controller.openMeeting(meeting({ id: '83333333333', topic: 'Theirs', start: new Date(T0 + MINUTE), join: 'https://zoom.us/j/83333333333?pwd=x' }));
  assert.deepEqual(h.opened, ['https://zoom.us/j/83333333333?pwd=x']);
  assert.deepEqual(h.core().calls, []);
});

test('copy', async (t) => {
  await t.test("Zoom's invitation reaches the clipboard in one request; the tray says so meanwhile", async (t) => {
    const h = harness(t);
    await h.controller.init();
    const before = h.core().calls.length;
    const busy: (string | undefined)[] = [];
    h.controller.onChange((state) => busy.at(-1) !== state.busy && busy.push(state.busy));
    await h.controller.copy('invitation', { kind: 'id', id: '81234567890' });
    assert.deepEqual(busy, ['Copying the invitation…', undefined]);
    assert.match(h.clipboard.text, /^Jane Doe is inviting you.*Meeting ID: 81234567890\r\nPasscode: s3cret/s);
    assert.deepEqual(h.notes.at(-1), { title: 'Invitation copied', body: 'Design review: ready to paste.' });
    assert.deepEqual(h.core().calls.slice(before), ['invitation 81234567890']);
  });
  await t.test('the ID and passcode of a meeting, and of the personal room (from the user already held)', async (t) => {
    const h = harness(t);
    await h.controller.init();
    const before = h.core().calls.length;
    await h.controller.copy('id-and-passcode', { kind: 'id', id: '81234567890' });
    assert.equal(h.clipboard.text, 'Meeting ID: 812 3456 7890\nPasscode: s3cret');
    assert.deepEqual(h.notes.at(-1), { title: 'Meeting ID and passcode copied', body: 'Design review: ready to paste.' });
    await h.controller.copy('id-and-passcode', { kind: 'pmi' });
    assert.equal(h.clipboard.text, 'Meeting ID: 555 123 4567\nNo passcode');
    assert.deepEqual(h.notes.at(-1), { title: 'Meeting ID and passcode copied', body: 'Your personal meeting room: ready to paste.' });
    assert.deepEqual(h.core().calls.slice(before), ['passcode 81234567890', 'passcode 5551234567']);
    assert.ok(h.notes.every((n) => !`${n.title} ${n.body}`.includes('s3cret')), 'the notification never repeats the passcode');
  });
  await t.test('a refusal (a scope the Zoom app lacks) is said; the clipboard is left alone and the account stays signed in', async (t) => {
    const h = harness(t);
    await h.controller.init();
    h.clipboard.text = 'what the user copied';
    h.core().failCopy = new ZoomTrayError('zoom', "Your Zoom app lacks the scope for the meeting's invitation (…). Add the scope …", { zoomCode: 4711 });
    await h.controller.copy('invitation', { kind: 'pmi' });
    assert.equal(h.clipboard.text, 'what the user copied');
    assert.deepEqual(h.notes.at(-1), { title: 'Zoom refused', body: "Your Zoom app lacks the scope for the meeting's invitation (…). Add the scope …" });
    assert.equal(h.controller.state.auth, 'signed-in');
  });
  await t.test('a double click asks Zoom once', async (t) => {
    const h = harness(t);
    await h.controller.init();
    const before = h.core().calls.length;
    await Promise.all([h.controller.copy('invitation', { kind: 'id', id: '81234567890' }), h.controller.copy('invitation', { kind: 'id', id: '81234567890' })]);
    assert.deepEqual(h.core().calls.slice(before), ['invitation 81234567890']);
  });
  await t.test("a topic's control and bidi characters are shown, not obeyed", async (t) => {
    const h = harness(t);
    h.keychain.meetings = [{ ...MEETINGS[0]!, topic: 'Design\u202eweiver\u001b[31m' }];
    await h.controller.init();
    await h.controller.copy('invitation', { kind: 'id', id: '81234567890' });
    assert.deepEqual(h.notes.map((n) => n.body), ['Design\uFFFDweiver\uFFFD[31m: ready to paste.']);
  });
  await t.test('after a sign-out here, "sign in first"', async (t) => {
    const h = harness(t);
    await h.controller.init();
    h.keychain.signedIn = false;
    await h.controller.signOut();
    await h.controller.copy('invitation', { kind: 'pmi' });
    assert.equal(h.notes.at(-1)?.title, 'Sign in to Zoom first');
  });
  await t.test('after `zoom-tray logout` in a terminal, "sign in first", not "Zoom ended"', async (t) => {
    const h = harness(t);
    await h.controller.init();
    h.keychain.signedIn = false;
    await h.controller.copy('invitation', { kind: 'pmi' });
    assert.equal(h.notes.at(-1)?.title, 'Sign in to Zoom first');
  });
});

test('the join shortcut', async (t) => {
  await t.test('joins from the clipboard, beside the start shortcut', async (t) => {
    const h = harness(t, { settings: { joinShortcut: 'CommandOrControl+Alt+J' } });
    await h.controller.init();
    assert.deepEqual([...h.keys.keys()], [DEFAULT_SETTINGS.shortcut, 'CommandOrControl+Alt+J']);
    h.clipboard.text = 'https://us06web.zoom.us/j/81234567890?pwd=AbC1';
    const opened = new Promise<string>((resolve) => Object.assign(h.deps, { openExternal: async (url: URL) => resolve(url.href) }));
    h.keys.get('CommandOrControl+Alt+J')?.();
    assert.equal(await opened, 'https://us06web.zoom.us/j/81234567890?pwd=AbC1');
    assert.deepEqual(h.controller.state.joinShortcut, { accelerator: 'CommandOrControl+Alt+J', active: true });
  });
  await t.test('saving without it drops it', async (t) => {
    const h = harness(t, { settings: { joinShortcut: 'CommandOrControl+Alt+J' } });
    await h.controller.init();
    await h.controller.preferences.save({ ...h.controller.state.settings, joinShortcut: '' });
    assert.deepEqual([...h.keys.keys()], [DEFAULT_SETTINGS.shortcut]);
    assert.equal(h.controller.state.joinShortcut, undefined);
  });
  await t.test('a taken one is a problem, and the start shortcut still works', async (t) => {
    const h = harness(t, { settings: { joinShortcut: 'Alt+J' }, taken: ['Alt+J'] });
    await h.controller.init();
    assert.equal(h.controller.state.joinShortcut?.problem, 'Alt+J is taken by another app or the system. Choose another shortcut in Settings.');
    assert.equal(h.controller.preferences.view().joinShortcutProblem, h.controller.state.joinShortcut?.problem);
    assert.equal(h.controller.state.shortcut.active, true);
  });
});

test('a start right after the CLI signed in waits for the keychain to say so, instead of "Sign in to Zoom first"', async (t) => {
  const h = harness(t, { signedIn: false });
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

test("without the scope for invited meetings, the tray says once which scope to add; the hosted meetings stay", async (t) => {
  const h = harness(t);
  h.keychain.lacksScope = true;
  await h.controller.init();
  await h.clock.advance(30 * MINUTE);
  const said = h.notes.filter((n) => n.title === 'Meetings you are invited to are not shown');
  assert.equal(said.length, 1);
  assert.match(said[0]?.body ?? '', /meeting:read:list_upcoming_meetings/);
  assert.deepEqual(h.controller.state.meetings?.map((m) => m.id), ['81234567890']);
  assert.equal(h.controller.state.auth, 'signed-in');
});

test('on wake, an account that joined the list meanwhile warms up once, not twice', async (t) => {
  const h = harness(t, { signedIn: false });
  await h.controller.init();
  h.keychain.signedIn = true; // the CLI signed in meanwhile
  await h.controller.roster.refresh({ newZak: true });
  assert.equal(h.controller.state.auth, 'signed-in');
  assert.equal(count(h.core().calls, 'me'), 1);
});

// What is on time is decided by the policy and kept by the scheduler (their own tests); these
// check that the controller hands them the accounts' meetings and starts through its click path.

/** A morning with one meeting at 10:30, on a clock that starts at 10:00:20. */
function morning(t: TestContext, settings: Partial<Settings> = {}) {
  const h = harness(t, { clock: new ManualClock(Date.parse('2026-11-30T10:00:20Z')), settings });
  h.keychain.meetings = [meeting({ id: '81234567890', topic: 'Design review', start: '2026-11-30T10:30:00Z', duration: 30 })];
  const until = (iso: string): Promise<void> => h.clock.advance(Date.parse(iso) - h.clock.now());
  const reminders = (): Note[] => h.notes.filter((n) => n.title.startsWith('Design review starts'));
  return { ...h, until, reminders };
}

test('the state moves on once a minute, on the minute, so the countdown is drawn again', async (t) => {
  const m = morning(t);
  await m.controller.init();
  const minutes: number[] = [];
  m.controller.onChange((s) => s.minute !== undefined && minutes.at(-1) !== s.minute && minutes.push(s.minute));
  await m.clock.advance(40_000);
  assert.deepEqual(minutes, [Date.parse('2026-11-30T10:01:00Z') / 60_000]);
});

test("a reminder of a signed-in account's meeting; its click starts that meeting as host from the caches", async (t) => {
  const m = morning(t);
  await m.controller.init();
  await m.until('2026-11-30T10:29:00Z');
  assert.deepEqual(m.reminders().map((n) => n.title), ['Design review starts in 1 min']);
  m.core().calls.length = 0;
  await m.reminders()[0]?.click?.();
  assert.deepEqual(m.opened, ['https://zoom.us/s/81234567890?zak=zak-1']);
  assert.deepEqual(m.core().calls.filter((c) => c !== 'meetings'), ['start id'], 'nothing asked of Zoom for the start');
});

test('no reminder for a signed-out account', async (t) => {
  const m = morning(t);
  await m.controller.init();
  await m.controller.signOut();
  await m.until('2026-11-30T10:29:00Z');
  assert.deepEqual(m.reminders(), []);
});

test('start on time goes through the click path, once', async (t) => {
  const m = morning(t, { autoStart: true, reminderMinutes: 0 });
  await m.controller.init();
  await m.until('2026-11-30T10:30:00Z');
  assert.deepEqual(m.opened, ['https://zoom.us/s/81234567890?zak=zak-1']);
  await m.until('2026-11-30T10:50:00Z');
  assert.equal(m.opened.length, 1);
});

test('a meeting started from the tray is not reminded; its next occurrence is', async (t) => {
  const m = morning(t);
  await m.controller.init();
  await m.until('2026-11-30T10:20:00Z');
  await m.controller.start({ kind: 'id', id: '81234567890' });
  await m.until('2026-11-30T10:45:00Z');
  assert.deepEqual(m.reminders(), [], 'started: not reminded today');
  m.keychain.meetings = [meeting({ id: '81234567890', topic: 'Design review', start: '2026-12-01T09:30:00Z', duration: 30 })];
  await m.controller.roster.refreshUpcoming();
  await m.until('2026-12-01T09:29:00Z');
  assert.equal(m.reminders().length, 1, 'the same ID tomorrow is another occurrence');
});

test('a sign-out while the settings wait for the keychain asks Zoom nothing and builds no account', async (t) => {
  const h = harness(t);
  let down = true;
  h.deps.clientSecrets.get = async () => {
    if (down) throw new ZoomTrayError('keychain', 'The OS keychain did not answer in time.');
    return 'the-secret';
  };
  await h.controller.init();
  down = false;
  await h.controller.signOut();
  assert.equal(h.cores.length, 0);
  assert.equal(h.controller.state.auth, 'starting');
});

test('a sign-out after a save the keychain could not complete signs out with the configuration in use', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.deps.clientSecrets.get = async () => {
    throw new ZoomTrayError('keychain', 'The OS keychain did not answer in time.');
  };
  await h.controller.preferences.save({ ...h.controller.state.settings, clientId: 'another-client' });
  await h.controller.signOut();
  assert.deepEqual(h.cores.filter((c) => c.calls.includes('sign-out')).map((c) => c.config.clientId), ['settings-client']);
});

test("meetings that arrive after Zoom ended the account's sign-in are neither listed nor reminded", async (t) => {
  const m = morning(t, { reminderMinutes: 5 });
  await m.controller.init();
  const core = m.core();
  // A meetings fetch is under way when Zoom ends the sign-in; the account leaves the list only once
  // its core has closed, which waits for that fetch (as Core.close waits for its requests).
  let answer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const fetch = core.meetings.fetch;
  core.meetings.fetch = async () => {
    await answered;
    return fetch();
  };
  let closed: () => void = () => undefined;
  core.close = () => new Promise<void>((resolve) => (closed = resolve));
  t.after(() => closed());
  const inflight = m.controller.roster.refreshUpcoming();
  core.meetings.fetch = fetch;
  core.failMe = new ZoomTrayError('signed-out', 'Zoom ended this sign-in.');
  await m.controller.roster.refresh();
  answer();
  await inflight;
  assert.equal(m.controller.state.meetings, undefined);
  await m.until('2026-11-30T10:25:00Z');
  assert.deepEqual(m.reminders(), []);
});

test('an account that the list names only later (the CLI wrote it after its keychain entry) is not reminded twice', async (t) => {
  const m = morning(t, { reminderMinutes: 5 });
  let listed = false;
  m.deps.accounts.load = async () => (listed ? { accounts: [ACCOUNT], default: ACCOUNT } : { accounts: [] });
  await m.controller.init();
  await m.until('2026-11-30T10:25:00Z');
  assert.equal(m.reminders().length, 1);
  listed = true;
  m.keychain.meetings = [meeting({ id: '81234567890', topic: 'Design review', start: '2026-11-30T10:30:00Z', duration: 30, account: ACCOUNT })];
  await m.controller.roster.refresh();
  // The named account's slot opens and warms up in memory: one turn of the event loop lets it.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(m.controller.state.meetings?.[0]?.account, ACCOUNT, 'the meeting is now named as the account');
  await m.until('2026-11-30T10:27:00Z');
  assert.equal(m.reminders().length, 1);
});

test('an account signed out elsewhere (the CLI deleted its keychain entry) leaves the menu quietly: nobody is told Zoom ended it', async (t) => {
  const h = harness(t);
  await h.controller.init();
  h.core().failMe = new ZoomTrayError('signed-out', 'You are not signed in to Zoom. Run `zoom-tray login` first.', { entryGone: true });
  await h.controller.roster.refresh();
  assert.equal(h.controller.state.auth, 'signed-out');
  assert.deepEqual(h.notes, []);
});
