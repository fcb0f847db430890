import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logLine, scrubUrls } from '../../main/updates/log-lines';

test('update log lines: signed download URLs lose their query string, fragments and user-info; host and path stay', () => {
  const line =
    'Redirect to https://objects.githubusercontent.com/github-production-release-asset/1/zoom-tray-1.2.3.AppImage?X-Amz-Credential=AKIA%2F&X-Amz-Signature=deadbeef&response-content-disposition=x, ' +
    'feed https://user:ghp_secrettoken@github.com/zoom-tray/zoom-tray/releases.atom#latest';
  assert.equal(
    scrubUrls(line),
    // The whole query goes, up to white space: a comma may be part of it.
    'Redirect to https://objects.githubusercontent.com/github-production-release-asset/1/zoom-tray-1.2.3.AppImage?[redacted] ' +
      'feed https://github.com/zoom-tray/zoom-tray/releases.atom',
  );
  assert.equal(scrubUrls('Found version 1.2.3 (url: zoom-tray-1.2.3.AppImage)'), 'Found version 1.2.3 (url: zoom-tray-1.2.3.AppImage)');
});

test('update log lines: Errors (with their stack), headers quoted in JSON and other values become one scrubbed text', () => {
  const err = new Error('404 Not Found\nHeaders: {"location": "https://release-assets.githubusercontent.com/x?jwt=eyJabc.def.ghi"}');
  const text = logLine(err);
  assert.match(text, /^Error: 404 Not Found/);
  assert.ok(!text.includes('jwt='), text);
  assert.ok(text.includes('"https://release-assets.githubusercontent.com/x?[redacted]"'), text);
  assert.equal(logLine(42), '42');
});
