// What the settings window sends over IPC: a renderer is never trusted, so each payload is read
// into the request the main process acts on, or refused with the project's usage error, which
// names the channel and never repeats the payload (it may carry a calendar's address).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CLOUDS } from '../../main/shared/clouds';
import { accountRequest, calendarAddRequest, calendarRemoveRequest, signInRequest, signOutRequest } from '../../main/windows/ipc-requests';
import { FIVE_MB, holds, outcome, outsideText, runs, timed } from './properties';

const SECRET = 'https://calendar.example/private-s3cr3t/basic.ics';
const text = fc.oneof(fc.constantFrom('', ' ', 'jane@example.com', 'Work', SECRET), outsideText(['@', 'commercial', 'gov'], 8));
/** Payloads as structured clone carries them: the fields each channel reads, with any values, and anything else. */
const payload = fc.oneof(
  fc.record({ cloud: fc.oneof(fc.constantFrom(...CLOUDS, 'mars'), fc.anything()), email: fc.oneof(text, fc.anything()), address: fc.oneof(text, fc.anything()), name: fc.oneof(text, fc.anything()) }, { requiredKeys: [] }),
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
);

const CHANNELS: [string, (request: unknown) => unknown][] = [
  ['auth:sign-in', signInRequest],
  ['auth:sign-out', signOutRequest],
  ['accounts:make-default', (request) => accountRequest('accounts:make-default', request)],
  ['calendars:add', calendarAddRequest],
  ['calendars:remove', calendarRemoveRequest],
];

test('every channel: its request, or a usage error naming the channel and never the payload', () => {
  for (const [channel, read] of CHANNELS) {
    holds(
      fc.property(payload, (request) => {
        const read_ = outcome(() => read(request), ['usage']);
        if (read_.ok) return;
        assert.ok(read_.error.message.startsWith(`zoom-tray: ${channel} takes `), read_.error.message);
        assert.ok(!read_.error.message.includes('s3cr3t'));
      }),
      runs(80),
    );
  }
});

test('a 5 MB payload is refused within the bound', async (t) => {
  const big = 'x'.repeat(FIVE_MB);
  for (const [channel, read] of CHANNELS) {
    await timed(t, channel, () => assert.equal(outcome(() => read({ cloud: big, email: big, address: big, name: big }), ['usage']).ok, false));
  }
});
