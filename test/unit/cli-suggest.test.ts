import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest } from '../../main/cli/suggest';

const COMMANDS = ['login', 'start', 'meetings', 'whoami', 'logout', 'join', 'invitation', 'accounts', 'calendar', 'help'];

test('a mistyped command gets the commands one or two edits away: swapped, dropped, added or changed letters', () => {
  const cases: [string, string[]][] = [
    ['strat', ['start']], // two neighbours swapped: one edit
    ['star', ['start']],
    ['stat', ['start']],
    ['sttart', ['start']],
    ['Start', ['start']],
    ['meeting', ['meetings']],
    ['meting', ['meetings']], // two edits in a word of more than four letters
    ['whomai', ['whoami']],
    ['calender', ['calendar']],
    ['acounts', ['accounts']],
    ['logni', ['login']],
    ['loin', ['login', 'join']], // as near as each other: both, in the list's order
    ['hlep', ['help']],
  ];
  for (const [typed, expected] of cases) assert.deepEqual(closest(typed, COMMANDS), expected, typed);
});

test('nothing is suggested when no candidate is near: two edits are too many in a word of four letters or less', () => {
  for (const typed of ['log', 'sta', 'xyz', 'meetingsxyz', 'calendar-list', '', 'https://calendar.example/private-0123']) assert.deepEqual(closest(typed, COMMANDS), [], typed);
  assert.deepEqual(closest('start', []), []);
});

test('options: the dashes count as they are typed', () => {
  const options = ['--print', '--account', '--cloud'];
  assert.deepEqual(closest('--prnt', options), ['--print']);
  assert.deepEqual(closest('--acount', options), ['--account']);
  assert.deepEqual(closest('-print', options), ['--print']);
  assert.deepEqual(closest('-p', options), []);
  assert.deepEqual(closest('--verison', ['--help', '--version']), ['--version']);
  assert.deepEqual(closest('--json', ['--help', '--version']), []);
});
