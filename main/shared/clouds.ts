/** Zoom's commercial cloud (zoom.us) or ZoomGov (zoomgov.com): separate services, each with its own apps. No Node imports: the settings window uses it too. */
export type Cloud = 'commercial' | 'gov';
export const CLOUDS: readonly Cloud[] = ['commercial', 'gov'];
export const CLOUD_NAMES: Record<Cloud, string> = { commercial: 'Zoom', gov: 'ZoomGov' };

/** An account as the settings window and the menu name it: its e-mail on its cloud. */
export interface AccountRef {
  readonly email: string;
  readonly cloud: Cloud;
}

/** An account named by a message from the settings window: checked, never trusted. */
export function parseAccountRef(value: unknown): AccountRef | undefined {
  const { email, cloud } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof email !== 'string' || email.length === 0 || email.length > 320 || !CLOUDS.includes(cloud as Cloud)) return undefined;
  return { email, cloud: cloud as Cloud };
}

/** One account: the same cloud and the same e-mail, whatever its case. */
export function sameAccount(a: AccountRef, b: AccountRef): boolean {
  return a.cloud === b.cloud && a.email.toLowerCase() === b.email.toLowerCase();
}

/** The same account, where none stands for the first account's entry before any account list exists. */
export function sameAccountOrNone(a: AccountRef | undefined, b: AccountRef | undefined): boolean {
  return a === undefined || b === undefined ? a === b : sameAccount(a, b);
}
