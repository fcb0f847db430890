import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noteFor } from '../../main/app/notifications';
import { ZoomTrayError } from '../../main/lib/errors';

test('each failure says what happened and what to do', () => {
  const signedOut = new ZoomTrayError('signed-out', 'Zoom ended this sign-in (Invalid Token!). Run `zoom-tray login` to sign in again.', { tokenRejected: true });
  assert.deepEqual(noteFor(signedOut, 'start'), {
    title: 'Sign in to Zoom again',
    body: 'Zoom ended your sign-in. Choose "Sign in to Zoom…" in the zoom-tray menu, then try again.',
  });
  const noZak = new ZoomTrayError('zoom', 'Zoom gives no start key (ZAK) to accounts that sign in to Zoom with Google or Facebook.', { noZak: true });
  assert.equal(noteFor(noZak, 'start').title, 'Zoom cannot start meetings for this account');
  assert.equal(noteFor(noZak, 'start').body, noZak.message);
  const limited = new ZoomTrayError('zoom', 'rate', { rateLimited: {} });
  assert.equal(noteFor(limited, 'start').body, "Zoom's rate limit was reached. Try again in a few seconds.");
  assert.equal(noteFor(new ZoomTrayError('network', 'x'), 'start').title, 'Cannot reach Zoom');
  const denied = new ZoomTrayError('signed-out', 'Sign-in was denied in the browser.');
  assert.deepEqual(noteFor(denied, 'sign-in'), { title: 'Sign-in did not complete', body: 'Sign-in was denied in the browser.' });
  assert.equal(noteFor(new ZoomTrayError('network', 'x'), 'sign-in').title, 'Cannot reach Zoom', 'offline during sign-in is still "offline"');
  // A calendar that cannot be read says which one and why (its message names it, never its address).
  const calendar = new ZoomTrayError('calendar', 'The address of calendar "Work" (calendar.google.com) no longer works.');
  assert.deepEqual(noteFor(calendar, 'refresh'), { title: 'A calendar cannot be read', body: calendar.message });
  assert.equal(new ZoomTrayError('calendar', 'x').exitCode, 9);
});

test('an unexpected error is reported without secrets', () => {
  const note = noteFor(new Error('boom at https://zoom.us/s/1?zak=SECRET'), 'start');
  assert.equal(note.title, 'Something went wrong');
  assert.ok(!note.body.includes('SECRET'));
});
