/**
 * The "running tray answers the CLI" figures of `npm run bench`: `zoom-tray start --print` answered
 * by a warm tray's endpoint (whole process, against the one-fetch baseline, alternating with it),
 * its requests and keychain processes, the tray's RSS over 1,000 requests, how soon a client that
 * sends nothing is dropped, and 50 clients at once. The tray is the bench's in-process one, its
 * endpoint wired as main/index.ts wires it.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { AppController } from '../main/app/controller';
import { endpointFor } from '../main/endpoint/address';
import { answerRequest } from '../main/endpoint/answers';
import { askTray } from '../main/endpoint/client';
import { configDigest, requestLine, type TrayRequest } from '../main/endpoint/protocol';
import { listenEndpoint } from '../main/endpoint/server';
import { accountIndexFor } from '../main/session/accounts';
import { CLI } from '../test/harness/cli-process';
import type { World } from '../test/harness/fixtures';

const PROBE = path.resolve(__dirname, '../test/harness/fork-probe.cjs');

async function timeStartPrint(w: World, env: NodeJS.ProcessEnv = w.env as NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'start', '--print'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 || !/\/s\/\d+\?zak=/.test(out)) throw new Error(`zoom-tray start --print failed (${code})`);
  return performance.now() - started;
}

/** Connects and sends nothing: resolves with how long until the tray dropped it (bounded at 5 s). */
function idleDrop(at: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.createConnection(at);
    const bound = setTimeout(() => {
      socket.destroy();
      reject(new Error('an idle client was not dropped within 5 s'));
    }, 5_000);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(bound);
      resolve(performance.now() - started);
    });
  });
}

/** 50 clients at once: how many were answered, refused (closed unanswered) or still waiting after 5 s. */
async function fifty(at: string, request: TrayRequest): Promise<{ answered: number; refused: number; hung: number }> {
  const outcomes = await Promise.all(
    Array.from({ length: 50 }, () =>
      new Promise<'answered' | 'refused' | 'hung'>((resolve) => {
        let got = '';
        const socket = net.createConnection(at, () => socket.write(requestLine(request)));
        const bound = setTimeout(() => (socket.destroy(), resolve('hung')), 5_000);
        socket.on('data', (c: Buffer) => (got += c.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => (clearTimeout(bound), resolve(got.includes('"ok":true') ? 'answered' : 'refused')));
      }),
    ),
  );
  return { answered: outcomes.filter((o) => o === 'answered').length, refused: outcomes.filter((o) => o === 'refused').length, hung: outcomes.filter((o) => o === 'hung').length };
}

export async function endpointFigures(w: World, controller: AppController, baseline: () => Promise<number>, gc: () => void) {
  const endpoint = endpointFor(w.dataDir, w.env, process.platform);
  const server = await listenEndpoint(endpoint, (request) =>
    answerRequest(request, {
      config: configDigest(w.env),
      ready: () => true,
      accounts: accountIndexFor(w.keychain, w.dataDir, w.keychainService),
      slots: async () => {
        await controller.roster.current();
        return controller.roster.slots;
      },
      calendars: controller.calendars,
      now: () => controller.clock.now(),
    }),
  );
  if (!server || endpoint.kind !== 'socket') throw new Error('the endpoint did not listen');
  try {
    const request: TrayRequest = { command: 'start-print', config: configDigest(w.env), target: { kind: 'pmi' } };
    // Requests and keychain processes of one run, the fork probe loaded (not in the timed runs).
    const forksFile = path.join(w.dataDir, 'bench-forks.txt');
    const before = w.sim.stats.requests;
    await timeStartPrint(w, { ...(w.env as NodeJS.ProcessEnv), NODE_OPTIONS: `--require ${PROBE}`, FORK_PROBE_RECORD: forksFile });
    const requests = w.sim.stats.requests - before;
    const keychainProcesses = (await readFile(forksFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    await rm(forksFile, { force: true });
    const cli: number[] = [];
    const base: number[] = [];
    await timeStartPrint(w);
    for (let i = 0; i < 21; i++) {
      cli.push(await timeStartPrint(w));
      base.push(await baseline());
    }
    // The tray's RSS over 1,000 requests in a row (after 100 to warm up), garbage collected before and after.
    for (let i = 0; i < 100; i++) await askTray(endpoint, request);
    gc();
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 1_000; i++) if (!(await askTray(endpoint, request))?.ok) throw new Error('the tray did not answer');
    gc();
    const rssGrowthMiB = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    const idleDropMs = await idleDrop(endpoint.path);
    const atOnce = await fifty(endpoint.path, request);
    return { cli, baseline: base, requests, keychainProcesses, rssGrowthMiB, idleDropMs, atOnce };
  } finally {
    await server.close();
  }
}
