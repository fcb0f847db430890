import { ZoomTrayError } from '../lib/errors';
import { type AccountRef, type Cloud, CLOUDS, parseAccountRef } from '../shared/clouds';

/**
 * What the settings window may ask, checked before the main process acts: a message from a
 * renderer is never trusted, even from the window's own page. Each parser returns the request or
 * throws the usage error naming the channel (never echoing the payload: it may carry a calendar's address).
 */
function refuse(channel: string, takes: string): never {
  throw new ZoomTrayError('usage', `zoom-tray: ${channel} takes ${takes}.`);
}

const absent = (request: unknown): boolean => request === null || request === undefined;

/** auth:sign-in: the cloud to add an account on (none: commercial). */
export function signInRequest(request: unknown): Cloud {
  const cloud = absent(request) ? 'commercial' : (request as { cloud?: unknown }).cloud;
  return CLOUDS.includes(cloud as Cloud) ? (cloud as Cloud) : refuse('auth:sign-in', 'a cloud');
}

/** auth:sign-out: the account to sign out (none: the default one). */
export function signOutRequest(request: unknown): AccountRef | undefined {
  if (absent(request)) return undefined;
  return parseAccountRef(request) ?? refuse('auth:sign-out', 'an account');
}

export function accountRequest(channel: string, request: unknown): AccountRef {
  return parseAccountRef(request) ?? refuse(channel, 'an account');
}

/** An address is a URL a user pasted: anything this long is not one. */
const MAX_ADDRESS = 4096;
const MAX_NAME = 64;

/** calendars:add: the address (checked as a calendar address later, where the error can say why) and an optional name. */
export function calendarAddRequest(request: unknown): { address: string; name: string | undefined } {
  const { address, name } = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  if (typeof address !== 'string' || address.length === 0 || address.length > MAX_ADDRESS) refuse('calendars:add', 'an address');
  if (name !== undefined && (typeof name !== 'string' || name.length > MAX_NAME)) refuse('calendars:add', 'an optional name');
  return { address, name: name === undefined || name.trim() === '' ? undefined : name.trim() };
}

export function calendarRemoveRequest(request: unknown): string {
  const { name } = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_NAME ? name : refuse('calendars:remove', 'a name');
}
