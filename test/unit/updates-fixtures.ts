import type { InstallFacts } from '../../main/updates/update-policy';

/** The injected clock of the update tests: plain numbers, no timers. */
export const T0 = Date.UTC(2026, 10, 23, 9, 0);
export const HOUR = 60 * 60_000;

/** An AppImage install that can update itself. */
export const appImageInstall: InstallFacts = {
  platform: 'linux',
  isPackaged: true,
  appImage: true,
  snap: false,
  portable: false,
  linuxPackage: undefined,
  updateConfig: true,
  nsisInstalled: false,
};
