import assert from 'node:assert/strict';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import type { Env } from '../../main/core/config';
import { READS_KEYCHAIN, readsKeychain } from '../../main/cli/command-names';
import { runCli } from '../../main/cli/run';
import { helpText, usageLines } from '../../main/cli/help';
import { COMMANDS } from '../../main/cli/table';
import type { KeychainRequest } from '../../main/session/keychain-protocol';

const ROOT = path.resolve(__dirname, '../..');
const NAMES = Object.keys(COMMANDS) as (keyof typeof COMMANDS)[];

/** Stands in for the keychain process the CLI's entry forks: records each request, answers "no entry". */
class FakeKeychainProcess extends EventEmitter {
  readonly connected = true;
  readonly exitCode = null;
  readonly signalCode = null;
  readonly requests: KeychainRequest[] = [];
  send(request: KeychainRequest): boolean {
    this.requests.push(request);
    setImmediate(() => this.emit('message', { id: request.id, ok: true }));
    return true;
  }
  ref(): void {}
  unref(): void {}
  kill(): boolean {
    return true;
  }
}

/** Holds the redirect URI's port: a login that got past its checks fails at once instead of waiting for a browser. */
const redirectPort = net.createServer();
before(() => new Promise<void>((resolve) => redirectPort.listen(0, '127.0.0.1', resolve)));
after(() => new Promise<void>((resolve) => redirectPort.close(() => resolve())));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** What the command asked of the keychain. */
  readonly keychain: readonly KeychainRequest[];
}

/** runCli in this process, on a data folder of its own, with a keychain that is never the OS's. */
async function cli(args: readonly string[]): Promise<Run> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zoom-tray-cli-table-'));
  const env: Env = {
    ZOOM_TRAY_DATA_DIR: dataDir,
    ZOOM_TRAY_KEYCHAIN_SERVICE: 'zoom-tray-cli-table-test',
    ZOOM_CLIENT_ID: 'cli-table-test',
    ZOOM_REDIRECT_URI: `http://127.0.0.1:${(redirectPort.address() as AddressInfo).port}/oauth/callback`,
    // Nothing listens there: a command that got as far as the network would fail, not reach Zoom.
    ZOOM_OAUTH_URL: 'http://127.0.0.1:9',
    ZOOM_API_URL: 'http://127.0.0.1:9/v2',
    BROWSER: '/bin/false',
  };
  const keychain = new FakeKeychainProcess();
  let stdout = '';
  let stderr = '';
  try {
    const code = await runCli(args, { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, keychain as unknown as ChildProcess);
    return { code, stdout, stderr, keychain: keychain.requests };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const usage = (message: string): string => `zoom-tray: ${message} Run \`zoom-tray --help\` for usage.\n`;

test("--help shows every command's usage lines, in the table's order, each description in its column", async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.equal(help.stdout, helpText());
  for (const [name, command] of Object.entries(COMMANDS)) {
    for (const { args, does } of command.usage) assert.ok(help.stdout.includes(`  zoom-tray ${[name, args].filter(Boolean).join(' ')}`) && help.stdout.includes(does), `${name} ${args}`);
  }
  const starts = Object.keys(COMMANDS).map((name) => help.stdout.indexOf(`\n  zoom-tray ${name} `));
  assert.deepEqual(starts, [...starts].sort((x, y) => x - y), "in the table's order");
  assert.equal(help.stdout.slice(help.stdout.indexOf('Usage:\n'), help.stdout.indexOf('\n\nOptions:')), `Usage:\n${usageLines().join('\n')}`);
  // A synopsis that ends two columns before the descriptions has its description beside it, else below.
  assert.ok(help.stdout.includes('\n  zoom-tray accounts [--json]    list the signed-in accounts\n  zoom-tray accounts use EMAIL   make one the default\n'));
  assert.ok(help.stdout.includes(`\n  zoom-tray logout [--account EMAIL]\n${' '.repeat(33)}revoke the sign-in at Zoom and forget it here\n`));
  for (const alias of ['-h', 'help']) assert.equal((await cli([alias])).stdout, help.stdout, alias);
});

test('each command takes the arguments and options its usage lines show', () => {
  for (const [name, command] of Object.entries(COMMANDS)) {
    const words = command.usage.map(({ args }) => args.match(/\[[^\]]*\]|\S+/g) ?? []);
    const shownArity = Math.max(...words.map((w) => w.filter((word) => !/^\[?--/.test(word)).length));
    assert.equal(command.positionals, shownArity, `${name}: positionals`);
    for (const option of words.flat().flatMap((word) => [...word.matchAll(/--([a-z-]+)/g)].map((m) => m[1] ?? ''))) {
      assert.ok(Object.hasOwn(command.options, option), `${name}: --${option} is shown but not an option`);
    }
  }
});

test('one argument more than a command takes is exit 2, before the keychain is asked anything', async () => {
  for (const name of NAMES) {
    const args = Array.from({ length: COMMANDS[name].positionals + 1 }, (_, i) => (name === 'accounts' && i === 0 ? 'use' : `extra${i}`));
    const run = await cli([name, ...args]);
    assert.equal(run.code, 2, `${name} ${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderr, usage(`Unexpected argument "${args.at(-1)}".`), name);
    assert.deepEqual(run.keychain, [], name);
  }
  // As many as it takes is no usage error: these get as far as "not signed in".
  for (const args of [['start', 'pmi'], ['invitation', 'next']]) {
    const run = await cli(args);
    assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
  }
});

test('the commands whose keychain process starts early are the ones the table says read the keychain, invitation among them', () => {
  assert.deepEqual(Object.keys(READS_KEYCHAIN).sort(), [...NAMES].sort());
  for (const name of NAMES) assert.equal(readsKeychain(name), COMMANDS[name].keychain, name);
  assert.equal(readsKeychain('invitation'), true);
  assert.equal(readsKeychain('join', ['https://zoom.us/j/81234567890']), false, 'a link joins with no sign-in');
  assert.equal(readsKeychain('join', ['next']), true, '`join next` looks the next meeting up in the accounts');
  for (const other of [undefined, '', 'help', '--help', 'strat', 'constructor', '__proto__', 'hasOwnProperty']) assert.equal(readsKeychain(other), false, String(other));
});

test("the CLI's entry bundles the command names, not the commands", async () => {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['main/cli.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [{ name: 'commands apart', setup: (b) => b.onResolve({ filter: /^\.\/cli-commands\.js$/ }, () => ({ path: './cli-commands.js', external: true })) }],
  });
  // Besides the names: the Node version check (the "engines" of package.json, that field alone, and
  // its comparison), and the running tray's client (cli/tray-first.ts, endpoint/), asked before the
  // keychain process may start, with what it reads the arguments and the data folder with, and opens
  // the link `join next` found (cli/open-link.ts).
  assert.deepEqual(Object.keys(result.metafile.inputs).sort(), [
    'main/cli.ts',
    'main/cli/command-names.ts',
    'main/cli/open-link.ts',
    'main/cli/tray-first.ts',
    'main/core/config.ts',
    'main/endpoint/address.ts',
    'main/endpoint/client.ts',
    'main/endpoint/protocol.ts',
    'main/lib/errors.ts',
    'main/lib/node-version.ts',
    'main/lib/redact.ts',
    'main/meetings/launcher.ts',
    'main/meetings/meeting.ts',
    'main/platform/open-browser.ts',
    'main/session/keychain-process.ts',
    'main/shared/clouds.ts',
    'main/shared/urls.ts',
    'main/zoom/start-url.ts',
    'package.json',
  ]);
  const entry = result.outputFiles?.[0]?.text ?? '';
  assert.ok(entry.includes('engines') && !entry.includes('devDependencies'), 'package.json bundled whole');
});

test('the built entry forks the keychain process before it loads the commands exactly for the commands that read the keychain', () => {
  // Preloaded into the CLI (the keychain process is forked with no flags of its own): notes each
  // fork, and when the commands are loaded says whether one came first and stops there.
  const hook = `
    const cp = require('node:child_process'), Module = require('node:module');
    const forked = [], fork = cp.fork;
    cp.fork = (...args) => { const child = fork(...args); forked.push(child); return child; };
    const load = Module._load;
    Module._load = function (request, ...rest) {
      if (request === './cli-commands.js') { process.stdout.write(forked.length ? 'early' : 'none'); for (const c of forked) c.kill(); process.exit(0); }
      return load.call(this, request, ...rest);
    };`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zoom-tray-cli-entry-'));
  try {
    const preload = path.join(dir, 'hook.cjs');
    writeFileSync(preload, hook);
    for (const name of [...NAMES, 'help', 'strat']) {
      const run = spawnSync(process.execPath, ['--require', preload, path.join(ROOT, 'dist/cli.js'), name], { encoding: 'utf8', timeout: 30_000 });
      const expected = Object.hasOwn(COMMANDS, name) && COMMANDS[name as keyof typeof COMMANDS].keychain ? 'early' : 'none';
      assert.equal(run.stdout, expected, `${name}: ${run.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unknown commands and options, and missing ones, are exit 2 in the same words, the keychain untouched', async () => {
  const cases: [string[], string][] = [
    [[], usage('No command given.')],
    [['strat'], usage('Unknown command "strat": did you mean `start`?')],
    [['Meeting'], usage('Unknown command "Meeting": did you mean `meetings`?')],
    [['loin'], usage('Unknown command "loin": did you mean `login` or `join`?')],
    [['log'], usage('Unknown command "log".')],
    [['--verison'], usage('Unknown command "--verison": did you mean `--version`?')],
    [['-v'], usage('Unknown command "-v".')],
    [['--json', 'start'], usage('Unknown command "--json".')],
    [['start', '--prnt'], usage('Unknown option "--prnt" for start: did you mean `--print`?')],
    [['start', '--prnt', '--acount', 'a@b.c'], usage('Unknown option "--prnt" for start: did you mean `--print`?')],
    [['start', '-p'], usage('Unknown option "-p" for start (it takes --print, --account, --cloud).')],
    [['join', 'x', '--cloud', 'gov'], usage('Unknown option "--cloud" for join (it takes --print).')],
    [['logout', '--https://calendar.example/private-0123456789abcdef'], usage('Unknown option a link for logout (it takes --account, --cloud).')],
    [['start', '--print=1'], usage(`Option '--print' does not take an argument.`)],
    [['login', '--timeout'], usage(`Option '--timeout <value>' argument missing.`)],
    [['start', '1', '2'], usage('Unexpected argument "2".')],
    [['join'], usage('Give a Zoom meeting link or ID to join.')],
  ];
  for (const [args, stderr] of cases) {
    const run = await cli(args);
    assert.deepEqual({ code: run.code, stdout: run.stdout, stderr: run.stderr, keychain: run.keychain }, { code: 2, stdout: '', stderr, keychain: [] }, args.join(' '));
  }
  const use = await cli(['accounts', 'use']);
  assert.equal(use.code, 2);
  assert.equal(use.stderr, usage('`zoom-tray accounts` lists your accounts; `zoom-tray accounts use EMAIL` picks the default.'));
});

// Found by test/fuzz/cli-args.test.ts (seed 17): `zoom-tray login <"pmi" × 200>` and the word
// `<"pmi" × 200>` as a command were quoted whole (a pasted 5 MB went to stderr whole), and so were
// --cloud, --timeout and an unknown option's name.
test('an argument an error quotes is cut to 40 characters, whatever it was', async () => {
  const long = 'pmi'.repeat(200);
  const cut = `${long.slice(0, 40)}…`;
  const cases: [string[], string][] = [
    [['login', long], usage(`Unexpected argument "${cut}".`)],
    [[long], usage(`Unknown command "${cut}".`)],
    [['start', '--account', 'a@example.com', '--cloud', long], usage(`--cloud is commercial or gov (got "${cut}").`)],
    [['login', '--timeout', long], usage(`--timeout takes seconds from 1 to 3600 (got "${cut}").`)],
    [['start', `--${long}`], usage(`Unknown option "--${long.slice(0, 38)}…" for start (it takes --print, --account, --cloud).`)],
  ];
  for (const [args, stderr] of cases) {
    const run = await cli(args);
    assert.deepEqual({ code: run.code, stderr: run.stderr, keychain: run.keychain }, { code: 2, stderr, keychain: [] }, args.join(' ').slice(0, 60));
  }
});

test('--version prints the version of package.json, and nothing is asked of the keychain', async () => {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.match(version, /^\d+\.\d+\.\d+/);
  const run = await cli(['--version']);
  assert.deepEqual({ code: run.code, stdout: run.stdout, stderr: run.stderr, keychain: run.keychain }, { code: 0, stdout: `zoom-tray ${version}\n`, stderr: '', keychain: [] });
});

test('what can be checked without a call is checked before the keychain is asked anything, in the same order', async () => {
  const cases: [string[], string][] = [
    [['start', 'bogus'], 'zoom-tray: Unknown meeting "bogus": use pmi, instant, next, or a meeting ID (9 to 12 digits).\n'],
    [['start', 'bogus', '--cloud', 'x'], 'zoom-tray: Unknown meeting "bogus": use pmi, instant, next, or a meeting ID (9 to 12 digits).\n'],
    [['invitation', 'instant', '--cloud', 'x'], usage('A new instant meeting has no invitation until it exists: `zoom-tray start instant` creates one.')],
    [['login', '--timeout', '0', '--cloud', 'x'], usage('--timeout takes seconds from 1 to 3600 (got "0").')],
    [['login', '--cloud', 'x'], usage('--cloud is commercial or gov (got "x").')],
    [['start', '--cloud', 'gov'], usage('--cloud picks between two accounts of the same e-mail: use it with --account.')],
    [['meetings', '--cloud', 'gov'], usage('--cloud picks between two accounts of the same e-mail: use it with --account.')],
    [['accounts', 'x', '--cloud', 'y'], usage('--cloud is commercial or gov (got "y").')],
  ];
  for (const [args, stderr] of cases) {
    const run = await cli(args);
    assert.deepEqual({ code: run.code, stderr: run.stderr, keychain: run.keychain.length }, { code: 2, stderr, keychain: 0 }, args.join(' '));
  }
  // The keychain stand-in does see a command that gets that far.
  const listed = await cli(['accounts', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout, '[]\n');
  assert.ok(listed.keychain.length > 0);
});

test('calendar: what it was asked is checked before the keychain, and an address (a secret) is never repeated', async () => {
  const secret = 'https://calendar.google.com/calendar/ical/jane%40example.com/private-0123456789abcdef/basic.ics';
  const cases: [string[], string][] = [
    [['calendar'], usage('`zoom-tray calendar` takes add <url> [--name NAME], list [--json] or remove NAME.')],
    [['calendar', secret], usage('`zoom-tray calendar` takes add <url> [--name NAME], list [--json] or remove NAME.')],
    [['calendar', 'add'], usage("Give the calendar's secret iCal address (or '-' to paste it on standard input).")],
    [['calendar', 'add', secret.replace('https:', 'http:')], usage("That is not a calendar address: a calendar's address starts with https:// or webcal:// (this one is http).")],
    [['calendar', 'add', 'calendar.google.com/private-0123456789abcdef'], usage('That is not a calendar address: it is not a link.')],
    [['calendar', 'add', secret, '--name', secret], usage('That name cannot be used: a name is not a link (give the address first, the name after --name).')],
    [['calendar', 'add', secret, '--name', ' Work'], usage('That name cannot be used: a name has no space at either end and is not empty.')],
    [['calendar', 'add', secret, '--json'], usage('--json goes with `zoom-tray calendar list`.')],
    [['calendar', 'add', 'Work', secret], usage('Unexpected argument a link.')],
    [['calendar', 'list', 'Work'], usage('`zoom-tray calendar` takes add <url> [--name NAME], list [--json] or remove NAME.')],
    [['calendar', 'list', '--name', 'x'], usage('--name goes with `zoom-tray calendar add`.')],
    [['calendar', 'remove'], usage('Name the calendar to remove (`zoom-tray calendar list` lists them).')],
    [['calendar', 'remove', 'Work', '--json'], usage('--json goes with `zoom-tray calendar list`.')],
    [[secret], usage('Unknown command a link.')],
  ];
  for (const [args, stderr] of cases) {
    const run = await cli(args);
    assert.deepEqual({ code: run.code, stdout: run.stdout, stderr: run.stderr, keychain: run.keychain }, { code: 2, stdout: '', stderr, keychain: [] }, args.join(' '));
    assert.ok(!run.stderr.includes('0123456789abcdef'), args.join(' '));
  }
  // The list needs no network: empty here, from the data folder alone.
  const listed = await cli(['calendar', 'list', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout, '[]\n');
});

test("a calendar's failure gets its own stderr line, except a keychain that does not answer: that is the command's error, said once", async () => {
  const { calendarProblem } = await import('../../main/cli/agenda');
  const { ZoomTrayError } = await import('../../main/lib/errors');
  assert.equal(calendarProblem(new ZoomTrayError('network', 'Could not reach calendar "Work".')), 'zoom-tray: Could not reach calendar "Work".\n');
  assert.equal(calendarProblem(new ZoomTrayError('keychain', 'The OS keychain is unavailable.')), undefined);
});
