import type { AuthStatus } from '../ipc/channels';
import type { Settings } from '../settings/schema';
import type { Meeting, ZoomUser } from '../zoom/schemas';

/** Everything the tray menu, the tray icon and the settings window show. */
export interface AppState {
  readonly auth: AuthStatus;
  readonly user?: ZoomUser;
  /** Zoom's upcoming scheduled meetings; undefined until fetched. Views derive what is still ahead. */
  readonly meetings?: readonly Meeting[];
  /** What is being started or signed in right now ("your personal meeting room"). */
  readonly busy?: string;
  /** A background problem worth a line in the menu (offline, keychain locked, …). */
  readonly problem?: string;
  readonly settings: Settings;
  readonly shortcut: { readonly accelerator: string; readonly active: boolean; readonly problem?: string };
  readonly hasClientSecret: boolean;
  readonly lockedByEnv: readonly (keyof Settings)[];
  readonly warning?: string;
}
