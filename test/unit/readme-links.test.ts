import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { HEADLESS_KEYCHAIN_HELP } from '../../main/session/keychain-client';
import { anchorOf, anchors, linkTargets } from '../harness/readme';

const ROOT = path.resolve(__dirname, '../..');
const pages = ['README.md', 'SECURITY.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (page: string): string => readFileSync(path.join(ROOT, page), 'utf8');
const README = read('README.md');

test('anchors are made as GitHub makes them', () => {
  assert.equal(anchorOf('Create the Zoom app (once)'), 'create-the-zoom-app-once');
  assert.equal(anchorOf("Where to find your calendar's address"), 'where-to-find-your-calendars-address');
  assert.equal(anchorOf('Several accounts, and ZoomGov'), 'several-accounts-and-zoomgov');
  assert.deepEqual([...anchors('# A\n```sh\n# not a heading\n```\n## A\n')], ['a', 'a-1']);
});

test('every link between the README, SECURITY.md and docs/ reaches a file, and its #anchor a heading there', () => {
  let checked = 0;
  for (const page of pages) {
    for (const target of linkTargets(read(page))) {
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split('#');
      const resolved = file ? path.posix.join(path.posix.dirname(page), file) : page;
      assert.ok(existsSync(path.join(ROOT, resolved)), `${page}: ${target} (no ${resolved})`);
      if (anchor) assert.ok(anchors(read(resolved)).has(anchor), `${page}: ${target} (no heading #${anchor} in ${resolved})`);
      checked++;
    }
  }
  assert.ok(checked > 20, `${checked} links checked`);
});

test("exit 5's link on Linux is the README's section on signing in without a desktop", () => {
  const url = new URL(HEADLESS_KEYCHAIN_HELP);
  assert.equal(`${url.origin}${url.pathname}`, 'https://github.com/zoom-tray/zoom-tray');
  assert.ok(anchors(README).has(url.hash.slice(1)), url.hash);
});

test('the quick path fits on one screen and comes first; the README stays short and promises no release yet', () => {
  const lines = README.split('\n');
  const start = lines.indexOf('## Quick start');
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  assert.ok(start > 0 && start < 15, 'Quick start is the first section');
  assert.ok(end - start <= 35, `the quick path is ${end - start} lines`);
  assert.ok(lines.slice(start, end).includes('### Requirements'), 'a place for the requirements');
  assert.ok(lines.length <= 150, `README.md has ${lines.length} lines`);
  assert.doesNotMatch(README, /\.\.\/shared\//);
  // No release exists yet (docs/install.md, "Cutting a release"): say so there, promise nothing here.
  assert.doesNotMatch(README, /publish/i);
});
