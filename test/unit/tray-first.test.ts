import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trayRequestFor } from '../../main/cli/tray-first';
import { configDigest } from '../../main/endpoint/protocol';

const ENV = { ZOOM_CLIENT_ID: 'abc', ZOOM_TRAY_DATA_DIR: '/tmp/zt' };
const config = configDigest(ENV);

test('the tray is asked for start --print (pmi, next, an ID, an account), accounts --json, meetings --json and join next, as the CLI reads those arguments', () => {
  assert.deepEqual(trayRequestFor(['start', '--print'], ENV), { command: 'start-print', config, target: { kind: 'pmi' } });
  assert.deepEqual(trayRequestFor(['start', 'next', '--print'], ENV), { command: 'start-print', config, target: { kind: 'next' } });
  assert.deepEqual(trayRequestFor(['start', '--print', '812 3456-7890'], ENV), { command: 'start-print', config, target: { kind: 'id', id: '81234567890' } });
  assert.deepEqual(trayRequestFor(['start', '--print', '--account', 'Jane@example.com'], ENV), { command: 'start-print', config, target: { kind: 'pmi' }, account: { email: 'Jane@example.com' } });
  assert.deepEqual(trayRequestFor(['start', '--print', '--account=j@x.gov', '--cloud', 'gov'], ENV), { command: 'start-print', config, target: { kind: 'pmi' }, account: { email: 'j@x.gov', cloud: 'gov' } });
  assert.deepEqual(trayRequestFor(['accounts', '--json'], ENV), { command: 'accounts-json', config });
  assert.deepEqual(trayRequestFor(['meetings', '--json'], ENV), { command: 'meetings-json', config });
  assert.deepEqual(trayRequestFor(['join', 'next'], ENV), { command: 'join-next', config });
  assert.deepEqual(trayRequestFor(['join', '--print', 'next'], ENV), { command: 'join-next', config });
});

test('anything the tray cannot answer, or the CLI would refuse, is not asked: the CLI runs it (and says what is wrong)', () => {
  for (const argv of [
    ['start'],
    ['start', 'pmi'],
    ['start', 'instant', '--print'],
    ['start', '--print', 'tomorrow'],
    ['start', '--print', '12345678'],
    ['start', '--print', 'pmi', 'next'],
    ['start', '--print', '--cloud', 'gov'],
    ['start', '--print', '--account', 'j@x', '--cloud', 'mars'],
    ['start', '--print', '--account', ' '],
    ['start', '--print', '--verbose'],
    ['accounts'],
    ['accounts', '--json', '--cloud', 'gov'],
    ['accounts', 'use', 'j@x', '--json'],
    ['meetings'],
    ['meetings', '--json', '--account', 'j@x'],
    ['meetings', '--json', 'next'],
    ['join', 'https://zoom.us/j/81234567890', '--print'],
    ['join', 'next', 'now'],
    ['join', 'next', '--open'],
    ['join'],
    ['login'],
    [],
  ]) {
    assert.equal(trayRequestFor(argv, ENV), undefined, argv.join(' '));
  }
});
