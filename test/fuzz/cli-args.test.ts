// The zoom-tray command's arguments: whatever is typed or pasted (a link, a calendar's secret
// address, megabytes), each command's parse and checks answer before any call is made, with a
// one-line usage error that quotes an excerpt at most.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { readArguments, runCli } from '../../main/cli/run';
import { COMMANDS } from '../../main/cli/table';
import { assertBoundedMessage, FIVE_MB, holds, holdsAsync, outcome, outsideText, runs, timed } from './properties';

const NAMES = Object.keys(COMMANDS) as (keyof typeof COMMANDS)[];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zoom-tray-fuzz-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const words = ['pmi', 'next', 'instant', '812 3456 7890', 'use', 'add', 'list', 'remove', '-', 'a@example.com', 'commercial', 'gov', '60', '0', '1e3', 'NaN', 'https://zoom.us/j/81234567890', 'webcal://calendar.example/feed.ics?token=s3cret', 'https://calendar.example/x.ics', 'Work', '--', '-x'];
const value = fc.oneof(fc.constantFrom(...words), outsideText(words, 6));

/** Arguments for one command: its own options (with values, or without), others, and words. */
function argsFor(name: keyof typeof COMMANDS): fc.Arbitrary<string[]> {
  const options = Object.keys(COMMANDS[name].options);
  const option = fc.oneof(
    fc.tuple(fc.constantFrom(...options, 'bogus', 'cloud', 'account', 'h'), fc.boolean(), value).map(([o, inline, v]) => (inline ? [`--${o}=${v}`] : [`--${o}`, v])),
    value.map((v) => [v]),
  );
  return fc.array(option, { maxLength: 5 }).map((parts) => parts.flat());
}

test("every command's arguments: read and checked, or a usage error quoting an excerpt at most", () => {
  for (const name of NAMES) {
    holds(
      fc.property(argsFor(name), (args) => {
        outcome(() => readArguments(name, COMMANDS[name], args), ['usage']);
      }),
      runs(Math.ceil(400 / NAMES.length)),
    );
  }
});

test('a word that is no command: one line on stderr, exit code 2, the word quoted in part or not at all', async () => {
  const io = (err: string[]) => ({ env: { ZOOM_TRAY_DATA_DIR: dataDir }, stdout: () => undefined, stderr: (text: string) => err.push(text) });
  await holdsAsync(
    fc.asyncProperty(value.filter((w) => !NAMES.includes(w as never) && !['--help', '-h', 'help'].includes(w)), fc.array(value, { maxLength: 3 }), async (word, rest) => {
      const err: string[] = [];
      assert.equal(await runCli([word, ...rest], io(err)), 2);
      assert.equal(err.length, 1);
      assert.ok(err[0]?.endsWith('\n'));
      assertBoundedMessage(err[0]?.slice(0, -1) ?? '');
    }),
    runs(50),
  );
});

test('5 MB arguments are refused within the bound', async (t) => {
  const big = 'x'.repeat(FIVE_MB);
  for (const [label, command, args] of [
    ['start <5 MB>', 'start', [big]],
    ['start pmi <5 MB>', 'start', ['pmi', big]],
    ['login --timeout <5 MB>', 'login', ['--timeout', big]],
    ['start --cloud <5 MB>', 'start', ['--account', 'a@example.com', '--cloud', big]],
    ['start --<5 MB>', 'start', [`--${big}`]],
    ['calendar add <5 MB>', 'calendar', ['add', big]],
    ['calendar remove <5 MB>', 'calendar', ['remove', big]],
    ['join <5 MB>', 'join', [`https://${big}`]],
  ] as const) {
    await timed(t, label, () => assert.equal(outcome(() => readArguments(command, COMMANDS[command], [...args]), ['usage']).ok, label === 'calendar remove <5 MB>' || label === 'join <5 MB>'));
  }
});
