import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isZoomTrayError } from '../../main/lib/errors';
import { calendarAddRequest, signInRequest, signOutRequest } from '../../main/windows/ipc-requests';

// Found by test/fuzz/ipc-requests.test.ts (seed 17): a payload no channel takes (a Map) was refused
// with a plain Error; it is the project's usage error, as every other refusal of outside input.
test('a payload a channel does not take is a usage error naming the channel, not the payload', () => {
  const secret = 'https://calendar.example/private-s3cr3t/basic.ics';
  for (const [run, channel] of [
    [() => signInRequest(new Map()), 'auth:sign-in takes a cloud'],
    [() => signOutRequest({ email: secret }), 'auth:sign-out takes an account'],
    [() => calendarAddRequest({ address: secret, name: 42 }), 'calendars:add takes an optional name'],
  ] as const) {
    assert.throws(run, (err) => isZoomTrayError(err) && err.kind === 'usage' && err.message === `zoom-tray: ${channel}.`, channel);
  }
  assert.equal(signInRequest(null), 'commercial');
});
