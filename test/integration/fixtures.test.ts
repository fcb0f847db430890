import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { calendarAddressService, calendarListFor } from '../../main/calendars/calendar-list';
import { KeychainClient } from '../../main/session/keychain-client';
import { SESSION_ACCOUNT } from '../../main/session/secret-store';
import { world } from '../harness/fixtures';

test("a world closes leaving nothing: its data folder, its sign-in and its calendars' addresses in the keychain", async () => {
  const w = await world();
  let calendar;
  try {
    await w.signIn();
    calendar = await calendarListFor(w.keychain, w.dataDir, w.keychainService).add(new URL('https://calendar.example/private-0123456789abcdef/basic.ics'), () => 'Work');
  } finally {
    await w.close();
  }
  assert.ok(!existsSync(w.dataDir), 'data folder removed');
  const keychain = new KeychainClient();
  try {
    assert.equal(await keychain.get(calendarAddressService(w.keychainService), calendar.id), undefined, "the calendar's address");
    assert.equal(await keychain.get(w.keychainService, SESSION_ACCOUNT), undefined, 'the sign-in');
  } finally {
    keychain.close();
  }
});
