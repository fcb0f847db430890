// What another process hands the tray: `zoom-tray://` links (any web page can open one), a second
// launch's argv and additionalData, and the meeting words `--start` and the CLI take.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { handOffTarget, type LinkRequest, linkArgument, parseLink, startArgument } from '../../main/app/launch-args';
import { parseTarget, type Target } from '../../main/meetings/launcher';
import { FIVE_MB, holds, outcome, outsideText, timed } from './properties';

const meetingWord = fc.oneof(
  fc.constantFrom('pmi', 'next', 'instant', ' pmi ', 'PMI', '812 3456 7890', '812-345-678', '1234567890123', '12345678'),
  outsideText(['8', '12', ' ', '-', 'pmi'], 12),
);
const linkText = fc.oneof(
  fc.tuple(fc.constantFrom('zoom-tray://', 'ZOOM-TRAY://', 'zoom-tray:', 'zoom-tray:///', 'zoom-tray://u:p@', 'zoom-tray://start:80'), fc.constantFrom('start/', 'join?url=', 'join?id=', 'join/?url=', 'start//', 'join?url=a&url=b&', ''), outsideText(['https://zoom.us/j/81234567890', '%2F', '%', '/', '?', '#', '&', 'pmi', '81234567890'], 8)).map((parts) => parts.join('')),
  fc.webUrl().map((u) => `zoom-tray://join?url=${encodeURIComponent(u)}`),
  outsideText(['zoom-tray://start/', 'zoom-tray://join?url='], 10),
);
const arg = fc.oneof(linkText, meetingWord, fc.constantFrom('--start', '--start=', '--start=next', '--no-sandbox', '--flag-switches-begin', '.'), outsideText([], 6));
const argv = fc.array(arg, { maxLength: 6 });
/** What Electron hands over as additionalData: anything a second process chose to send. */
const additionalData = fc.oneof(fc.constant(undefined), fc.record({ start: fc.oneof(meetingWord, fc.anything()), link: fc.oneof(linkText, fc.anything()) }, { requiredKeys: [] }), fc.anything());

function checkTarget(target: Target): void {
  assert.ok(['pmi', 'next', 'instant', 'id'].includes(target.kind), target.kind);
  if (target.kind === 'id') assert.match(target.id, /^\d{9,12}$/);
}

function checkRequest(request: LinkRequest | undefined): void {
  if (request === undefined) return;
  if ('start' in request) return checkTarget(request.start);
  // The join text goes on to parseJoin (fuzzed on its own); here, only that a link bounds it.
  assert.ok(request.join.length <= 2048, `a ${request.join.length}-character join`);
}

test('parseTarget: a meeting, or a usage error that quotes an excerpt at most', () => {
  holds(
    fc.property(meetingWord, (text) => {
      const parsed = outcome(() => parseTarget(text), ['usage']);
      if (parsed.ok) checkTarget(parsed.value);
    }),
  );
});

test('parseLink: a zoom-tray link asks for a meeting or a join, or is a usage error', () => {
  holds(
    fc.property(linkText, (text) => {
      const parsed = outcome(() => parseLink(text), ['usage']);
      if (parsed.ok) checkRequest(parsed.value);
    }),
  );
});

test('a second launch: whatever its argv and additionalData, a request, nothing, or a usage error', () => {
  holds(
    fc.property(argv, additionalData, (args, data) => {
      assert.ok(startArgument(args) === undefined || typeof startArgument(args) === 'string');
      assert.ok(linkArgument(args) === undefined || args.includes(linkArgument(args) ?? ''));
      const handed = outcome(() => handOffTarget(args, data), ['usage']);
      if (handed.ok) checkRequest(handed.value);
    }),
  );
});

test('5 MB arguments and links are refused within the bound', async (t) => {
  const big = 'zoom-tray://start/'.padEnd(FIVE_MB, '8');
  const runs: [string, () => unknown][] = [
    ['parseTarget', () => parseTarget('8'.repeat(FIVE_MB))],
    ['parseLink', () => parseLink(big)],
    ['handOffTarget argv', () => handOffTarget(['--start', ' '.repeat(FIVE_MB) + 'x', big], undefined)],
    ['handOffTarget additionalData', () => handOffTarget([], { link: big })],
  ];
  for (const [label, run] of runs) {
    await timed(t, label, () => assert.equal(outcome(run, ['usage']).ok, false));
  }
});
