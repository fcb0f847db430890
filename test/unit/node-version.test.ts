import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { nodeTooOld } from '../../main/lib/node-version';

const HOW = 'install it with `nvm install 22` or `fnm install 22`, or from https://nodejs.org/en/download';

test('a Node older than ">=22.12.0" gets one line naming the Node needed, the one running and how to get it', () => {
  for (const running of ['20.20.2', 'v20.20.2', '22.11.9', '22.0.0', '18.19.0', '8.0.0']) {
    assert.equal(nodeTooOld(running, '>=22.12.0'), `needs Node.js 22.12 or later, and this is Node ${running.replace(/^v/, '')}: ${HOW}`, running);
  }
  assert.equal(nodeTooOld('22.12.0', '>=22.12.1'), `needs Node.js 22.12 or later, and this is Node 22.12.0: ${HOW}`);
});

test('the minimum itself and anything newer pass, numerically (22.100 is newer than 22.12)', () => {
  for (const running of ['22.12.0', 'v22.12.0', '22.12.1', '22.13.0', '22.100.0', '23.0.0', '24.11.1', '100.0.0']) {
    assert.equal(nodeTooOld(running, '>=22.12.0'), undefined, running);
  }
});

test('an "engines" that is not >=MAJOR.MINOR.PATCH is a mistake in package.json, said as such', () => {
  for (const engine of ['^22.12.0', '>=22', '22.12.0', '>=22.12.0 <25']) assert.throws(() => nodeTooOld('22.12.0', engine), /package\.json "engines\.node" is .* not ">=MAJOR\.MINOR\.PATCH"/, engine);
});

test("package.json's engines is in the form the CLI's check reads", () => {
  const { engines } = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { engines: { node: string } };
  assert.equal(nodeTooOld('22.12.0', engines.node), undefined);
  assert.match(nodeTooOld('20.20.2', engines.node) ?? '', /^needs Node\.js 22\.12 or later/);
});
