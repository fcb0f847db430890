import type { Clock } from '../lib/clock';
import { type Config, type Env, clientIdInUse, resolveConfig } from '../core/config';
import { describeError, isZoomTrayError } from '../lib/errors';
import type { ClientSecrets } from '../session/client-secrets';
import { type Account, type AccountList, accountLabel } from '../session/accounts';
import { type AccountRef, type Cloud, CLOUDS, sameAccount, sameAccountOrNone } from '../shared/clouds';
import type { AccountView } from '../shared/ipc-channels';
import type { Settings } from '../shared/settings-schema';
import { UPCOMING_SCOPE } from '../meetings/zoom-meetings';
import { AccountSlot, type AppCore } from './account-slot';
import { type Note, noteFor } from './notifications';
import type { OtherAccount } from './state';
import type { StateStore } from './state-store';

export interface RosterDeps {
  readonly env: Env;
  readonly clientSecrets: ClientSecrets;
  /** The signed-in accounts (the account list in the data folder). */
  readonly accounts: { load(): Promise<AccountList>; setDefault(account: AccountRef): Promise<void> };
  /** One core per account and configuration; without an account, the first account's entry. */
  readonly createCore: (config: Config, account: Account | undefined) => AppCore;
  readonly clock: Clock;
  /** Where what the accounts show goes: who is signed in, their meetings, a background problem. */
  readonly store: StateStore;
  readonly notify: (note: Note) => void;
  /** A sign-in waits in the browser: when it is the first, it owns "signing-in" until it ends. */
  readonly signingIn: () => boolean;
}

/** The hosted meetings still show; what is missing, and how to get it. */
const UPCOMING_SCOPE_NOTE: Note = {
  title: 'Meetings you are invited to are not shown',
  body: `Your Zoom app lacks the scope ${UPCOMING_SCOPE}. Add it on the app's Scopes page in the Zoom App Marketplace, then sign in again.`,
};

/**
 * The signed-in accounts the tray holds: an AccountSlot each, the default first, built from the
 * account list and each cloud's configuration, kept warm and in step with the list (which the CLI
 * may change at any time). What they show, and what goes wrong with them in the background,
 * reaches the state from here.
 */
export class Roster {
  /** The default account first; empty until the configuration is known. */
  private held: AccountSlot[] = [];
  private configs = new Map<Cloud, Config>();
  private loading: Promise<unknown> = Promise.resolve();
  /** Settings whose configuration could not be completed yet (the keychain did not answer). */
  private unapplied: Settings | undefined;

  constructor(private readonly deps: RosterDeps) {}

  get slots(): readonly AccountSlot[] {
    return this.held;
  }

  /** The default account's slot (the shortcut and the top of the menu use it). */
  get first(): AccountSlot | undefined {
    return this.held[0];
  }

  config(cloud: Cloud): Config | undefined {
    return this.configs.get(cloud);
  }

  /** The configured web bases, where a link with no account may go. */
  origins(): string[] {
    return [...this.configs.values()].map((c) => c.oauthBase.origin);
  }

  /** An account's slot; without one, the default account's. */
  slotOf(account: AccountRef | undefined): AccountSlot | undefined {
    return account ? this.held.find((slot) => slot.account && sameAccount(slot.account, account)) : this.held[0];
  }

  isDefault(slot: AccountSlot | undefined): boolean {
    return slot !== undefined && slot === this.held[0];
  }

  /**
   * Each cloud's configuration from the settings (the environment first, the client secret from
   * the keychain), then the accounts of those clouds. `warm: false`: return once the accounts are
   * in place, before they have asked Zoom anything.
   */
  async apply(settings: Settings, { warm = true }: { warm?: boolean } = {}): Promise<void> {
    this.unapplied = undefined;
    const { store } = this.deps;
    const secrets: Partial<Record<Cloud, boolean>> = {};
    const configs = new Map<Cloud, Config>();
    for (const cloud of CLOUDS) {
      if (cloud !== 'commercial' && !clientIdInUse(this.deps.env, settings, cloud)) continue;
      try {
        const lookup = async (clientId: string): Promise<string | undefined> => {
          const secret = await this.deps.clientSecrets.get(clientId);
          secrets[cloud] = secret !== undefined;
          return secret;
        };
        configs.set(cloud, await resolveConfig(this.deps.env, settings, lookup, cloud));
      } catch (err) {
        if (isZoomTrayError(err) && err.kind === 'keychain') {
          // The client secret could not be read: a core without it would fail later with a misleading
          // "check your client secret". Wait in "starting" and try again on the next click or wake.
          this.unapplied = settings;
          this.replace([]);
          store.update({ auth: 'starting', problem: noteFor(err, 'refresh').title });
          return;
        }
        if (cloud === 'commercial') {
          this.configs = new Map();
          this.replace([]);
          store.update({ auth: 'needs-setup', user: undefined, meetings: undefined, others: undefined });
          // A missing client ID is what "Set up zoom-tray…" means; anything else (a bad URL) is said.
          if (clientIdInUse(this.deps.env, settings)) store.update({ problem: describeError(err) });
          return;
        }
        store.update({ problem: describeError(err) });
      }
    }
    store.update({ hasClientSecret: Boolean(secrets.commercial), hasGovClientSecret: Boolean(secrets.gov) });
    const changed = CLOUDS.some((cloud) => !sameConfig(this.configs.get(cloud), configs.get(cloud)));
    this.configs = configs;
    if (changed || this.held.length === 0) {
      this.replace([]);
      const { opened } = await this.load();
      if (warm) await opened;
    }
  }

  /** Before a click: settings the keychain could not complete are tried again, else the list is read again. */
  async current(): Promise<void> {
    if (this.unapplied) await this.apply(this.unapplied);
    else await this.reload();
  }

  /** The account list read again (the CLI may have signed accounts in or out), with the configurations known. */
  async reload(): Promise<void> {
    if (this.configs.size > 0) await this.load();
  }

  /**
   * (Re)builds one slot per signed-in account from the account list, keeping those that are still
   * signed in; `renewed` (just signed in again) starts afresh. One load at a time: two at once
   * would each open a slot for a new account. Only the list is waited for in turn; the new slots
   * warm up (over the network) on their own.
   */
  load(renewed?: AccountRef): Promise<{ opened: Promise<void> }> {
    const loaded = this.loading.then(() => this.loadNow(renewed));
    this.loading = loaded;
    return loaded;
  }

  private async loadNow(renewed: AccountRef | undefined): Promise<{ opened: Promise<void> }> {
    let list: AccountList;
    try {
      list = await this.deps.accounts.load();
    } catch (err) {
      this.deps.store.update({ auth: this.held[0]?.signedIn ? 'signed-in' : 'signed-out', problem: noteFor(err, 'refresh').title });
      return { opened: Promise.resolve() };
    }
    const ordered = list.default ? [list.default, ...list.accounts.filter((a) => a !== list.default)] : [undefined];
    const kept: AccountSlot[] = [];
    const opening: AccountSlot[] = [];
    for (const account of ordered) {
      const config = this.configs.get(account?.cloud ?? 'commercial');
      if (!config) continue; // an account of a cloud whose app is gone from the settings
      const isRenewed = renewed !== undefined && account !== undefined && sameAccount(account, renewed);
      // A slot still asking the keychain is kept too: replacing it would only ask again.
      const old = this.held.find((slot) => (slot.signedIn || slot.asking) && !isRenewed && slot.entry === (account?.entry ?? slot.entry) && sameAccountOrNone(slot.account, account));
      if (old) {
        kept.push(old);
        continue;
      }
      const slot = new AccountSlot(account, this.deps.createCore(config, account), {
        clock: this.deps.clock,
        // A slot no longer held (replaced, signed out) is not heard.
        changed: (s) => {
          if (this.held.includes(s)) this.publish();
        },
        outcome: (s, err) => {
          if (this.held.includes(s)) this.outcome(s, err);
        },
        lacksUpcomingScope: (s) => {
          if (this.held.includes(s)) this.deps.notify(this.whose(UPCOMING_SCOPE_NOTE, s));
        },
      });
      // Just signed in: it is, and the menu need not say otherwise while its keychain entry is read.
      slot.signedIn = isRenewed;
      kept.push(slot);
      opening.push(slot);
    }
    this.replace(kept);
    // A sign-in under way owns "signing-in" until it ends (then it loads with `renewed` set).
    if (!this.deps.signingIn() || renewed !== undefined) this.deps.store.update({ auth: kept[0]?.signedIn ? 'signed-in' : 'signed-out' });
    return { opened: Promise.all(opening.map((slot) => slot.open())).then(() => undefined) };
  }

  /** Warms every account (at start-up, on wake: `newZak`, since the sleep may have outlasted the ZAK). */
  async refresh(options: { newZak?: boolean } = {}): Promise<void> {
    if (this.unapplied) return this.apply(this.unapplied);
    const known = new Set(this.held);
    if (this.configs.size > 0) await this.load();
    // Accounts new in the list warm up as they open: only those already here are refreshed.
    await Promise.all(this.held.filter((slot) => known.has(slot)).map((slot) => slot.refresh(options)));
  }

  /** Fetches every account's upcoming meetings. */
  async refreshUpcoming(): Promise<void> {
    await Promise.all(this.held.map((slot) => slot.refreshUpcoming()));
  }

  /**
   * The tray menu is opening (where the OS says so): meetings older than a minute are fetched again, and accounts the CLI
   * added or signed out meanwhile join or leave the menu.
   */
  menuOpened(): void {
    for (const slot of this.held) slot.refreshUpcomingIfStale();
    if (this.configs.size > 0) void this.load();
  }

  /** The account the shortcut and the top of the menu use. */
  async makeDefault(account: AccountRef): Promise<void> {
    try {
      await this.deps.accounts.setDefault(account);
      await this.load();
    } catch (err) {
      this.deps.notify(noteFor(err, 'refresh'));
    }
  }

  /**
   * Zoom ended an account's sign-in (or its keychain entry is gone): its core has taken it off the
   * account list, so once that is written the list is read again and the default moves to an
   * account that still works; the others stay in the menu.
   */
  ended(slot: AccountSlot): void {
    slot.signedOut();
    if (!slot.account) return;
    void slot.core.close().then(() => this.load());
  }

  /** A note about another account than the default one names it. */
  whose(note: Note, slot: AccountSlot | undefined): Note {
    return slot && slot !== this.held[0] && slot.account ? { title: `${note.title} (${accountLabel(slot.account)})`, body: note.body } : note;
  }

  /** The accounts as the settings window lists them: signed in, the default first. */
  views(): AccountView[] {
    return this.held
      .filter((slot): slot is AccountSlot & { account: Account } => slot.account !== undefined && slot.signedIn)
      .map((slot) => ({ email: slot.account.email, cloud: slot.account.cloud, default: slot === this.held[0] }));
  }

  /** The clouds whose Zoom app is configured. */
  clouds(): Cloud[] {
    return CLOUDS.filter((cloud) => this.configs.has(cloud));
  }

  /** Lets go of every account, without a word to the state (the app is quitting). */
  dispose(): void {
    for (const slot of this.held) slot.dispose();
    this.held = [];
  }

  /** The default account's slot becomes the top-level state; the others follow. */
  publish(): void {
    const { store } = this.deps;
    const [first, ...rest] = this.held;
    const others: OtherAccount[] = rest
      .filter((slot): slot is AccountSlot & { account: Account } => slot.account !== undefined)
      .map((slot) => ({
        account: { email: slot.account.email, cloud: slot.account.cloud },
        signedIn: slot.signedIn,
        ...(slot.user ? { user: slot.user } : {}),
        // A fetch that lands after Zoom ended the sign-in shows nothing: no line, no reminder.
        ...(slot.signedIn && slot.meetings ? { meetings: slot.meetings } : {}),
      }));
    const { auth } = store.state;
    const kept = auth === 'signing-in' || auth === 'starting' || auth === 'needs-setup';
    store.update({
      ...(first ? { auth: kept ? auth : first.signedIn ? 'signed-in' : 'signed-out' } : {}),
      // The slot's own account object: the same one while the default stays, so no spurious change.
      account: first?.account,
      user: first?.user,
      meetings: first?.signedIn ? first.meetings : undefined,
      others: others.length === 0 ? undefined : sameOthers(others, store.state.others) ? store.state.others : others,
    });
  }

  /** Background work fails quietly into the menu, except a session Zoom ended, which the user must act on. */
  private outcome(slot: AccountSlot, err: unknown): void {
    if (err === undefined) {
      if (slot === this.held[0]) this.deps.store.update({ problem: undefined });
      return;
    }
    if (isZoomTrayError(err) && err.kind === 'signed-out') {
      // An entry deleted by a sign-out elsewhere (the CLI's logout) was the user's own doing: no "sign in again".
      if (slot.signedIn && !err.details.entryGone) this.deps.notify(this.whose(noteFor(err, 'refresh'), slot));
      this.ended(slot);
      return;
    }
    const label = slot !== this.held[0] && slot.account ? `${accountLabel(slot.account)}: ` : '';
    this.deps.store.update({ problem: `${label}${noteFor(err, 'refresh').title}` });
  }

  private replace(next: AccountSlot[]): void {
    for (const slot of this.held) if (!next.includes(slot)) slot.dispose();
    this.held = next;
    this.publish();
  }
}

function sameOthers(a: readonly OtherAccount[], b: readonly OtherAccount[] | undefined): boolean {
  return (
    b !== undefined &&
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return y !== undefined && sameAccount(x.account, y.account) && x.signedIn === y.signedIn && x.user === y.user && x.meetings === y.meetings;
    })
  );
}

function sameConfig(a: Config | undefined, b: Config | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.cloud === b.cloud &&
    a.clientId === b.clientId &&
    a.clientSecret === b.clientSecret &&
    a.redirectUri.href === b.redirectUri.href &&
    a.oauthBase.href === b.oauthBase.href &&
    a.apiBase.href === b.apiBase.href &&
    a.keychainService === b.keychainService
  );
}
