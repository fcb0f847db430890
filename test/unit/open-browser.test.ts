import assert from 'node:assert/strict';
import { test } from 'node:test';
import { opener } from '../../main/platform/open-browser';

test('the opener: $BROWSER first (its first entry), else the platform opener; Windows paths keep their drive colon', () => {
  assert.deepEqual(opener({}, 'linux'), { command: 'xdg-open', args: [] });
  assert.deepEqual(opener({}, 'darwin'), { command: 'open', args: [] });
  assert.deepEqual(opener({}, 'win32'), { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] });
  assert.deepEqual(opener({ BROWSER: ':firefox:chromium' }, 'linux'), { command: 'firefox', args: [] });
  assert.deepEqual(opener({ BROWSER: 'C:\\Program Files\\Firefox\\firefox.exe;edge' }, 'win32'), { command: 'C:\\Program Files\\Firefox\\firefox.exe', args: [] });
});
