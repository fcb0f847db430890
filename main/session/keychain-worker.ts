/**
 * The keychain process. zoom-tray never calls the OS keychain from its own process: a native
 * keychain call can block without limit (an unlock prompt nobody answers, a frozen Secret Service)
 * and, while it does, Node cannot even exit; a native library can also crash. Here such a call
 * only costs this small process, which the app kills when it does not answer in time
 * (main/session/keychain-client.ts). Runs as a Node child process (CLI) or an Electron utility
 * process (tray). Not a worker thread, which would start sooner: process.exit() waits for every
 * worker thread and libuv's thread pool to finish, so one stuck call would hang the CLI's exit too
 * (test/integration/keychain-process.test.ts keeps the process's side of that).
 */
import { execFile } from 'node:child_process';
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { type KeychainReply, type KeychainRequest, keychainFailure, type SecretEntry } from './keychain-protocol';

// On Linux, @napi-rs/keyring falls back to the kernel keyring when no Secret Service answers; that
// keyring is emptied at logout, so a sign-in stored there would be lost. Use the Secret Service or fail.
const OPTIONS = process.platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;

function entry(service: string, account: string): AsyncEntry {
  return new AsyncEntry(service, account, OPTIONS);
}

/** secret-tool's output; `search` prints the secrets on stdout but their attributes on stderr. */
function secretTool(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('secret-tool', args, { timeout: 10_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr })));
  });
}

/**
 * keytar's entries. On Linux through libsecret's own tool (keytar's attributes differ from
 * keyring-rs's); on macOS both libraries use generic passwords keyed by service and account, so
 * the new one sees keytar's items itself. On Windows keytar named its credentials differently and
 * this library cannot list them: nothing is migrated there (the user signs in once more).
 */
async function legacyList(service: string): Promise<SecretEntry[]> {
  if (process.platform === 'win32') return [];
  if (process.platform !== 'linux') {
    return (await findCredentialsAsync(service)).map((c) => ({ account: c.account, secret: c.password }));
  }
  let listing: string;
  try {
    listing = (await secretTool(['search', '--all', 'service', service])).stderr;
  } catch (err) {
    // No secret-tool (libsecret-tools): nothing can be migrated, the user signs in once. Any other
    // failure (a slow or locked keyring) is reported, so the migration is tried again next time.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const accounts = [...listing.matchAll(/^attribute\.account = (.*)$/gm)].map((m) => m[1] ?? '');
  const entries: SecretEntry[] = [];
  for (const account of new Set(accounts)) {
    if (account) entries.push({ account, secret: (await secretTool(['lookup', 'service', service, 'account', account])).stdout });
  }
  return entries;
}

async function legacyDelete(service: string, account: string): Promise<void> {
  if (process.platform !== 'linux') {
    await entry(service, account).deleteCredential();
    return;
  }
  await secretTool(['clear', 'service', service, 'account', account]);
}

type Answer = Omit<Extract<KeychainReply, { ok: true }>, 'id'>;

/**
 * Another process (a `logout`) deleted the item between the Secret Service finding it and reading
 * it: for a reader the entry is simply gone, for a deleter the work is done.
 */
const VANISHED = /No such (interface|object)|Object does not exist|No such secret item/i;

async function unlessVanished<T>(op: Promise<T>, gone: T): Promise<T> {
  try {
    return await op;
  } catch (err) {
    if (err instanceof Error && VANISHED.test(err.message)) return gone;
    throw err;
  }
}

async function perform(request: KeychainRequest): Promise<Answer> {
  switch (request.op) {
    case 'get': {
      const bytes = await unlessVanished(entry(request.service, request.account).getSecret(), null);
      return { ok: true, value: bytes === null ? null : Buffer.from(bytes).toString('utf8') };
    }
    case 'set':
      // Bytes, not a "password": on Windows a password is stored as UTF-16 and Credential Manager
      // holds 2560 bytes, too few for Zoom's two tokens that way; as UTF-8 they fit.
      await entry(request.service, request.account).setSecret(Buffer.from(request.secret, 'utf8'));
      return { ok: true };
    case 'delete':
      await unlessVanished(entry(request.service, request.account).deleteCredential(), false);
      return { ok: true };
    case 'list':
      // On Windows this library reads every credential's blob as UTF-16 and fails on one of odd
      // length (ours are UTF-8): the caller then says that the keychain could not list them.
      return { ok: true, value: (await findCredentialsAsync(request.service)).map((c) => c.account) };
    case 'legacy-list':
      return { ok: true, value: await legacyList(request.service) };
    case 'legacy-delete':
      await legacyDelete(request.service, request.account);
      return { ok: true };
  }
}

/** Answers one request; true when the keychain did what was asked (so it is unlocked). */
async function answer(request: KeychainRequest, reply: (message: KeychainReply) => void): Promise<boolean> {
  try {
    reply({ id: request.id, ...(await perform(request)) });
    return true;
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
    reply({ id: request.id, ok: false, message, cause: keychainFailure(message) });
    return false;
  }
}

// One call at a time until one has worked: two reads of a locked keyring each raise an unlock
// prompt, and the second was left unanswered behind the first (gnome-keyring, a prompt that cannot
// be shown). Once a call has gone through, the keyring is open and calls may overlap.
let turn: Promise<boolean> = Promise.resolve(false);
function inTurn(request: KeychainRequest, reply: (message: KeychainReply) => void): void {
  turn = turn.then(async (open) => {
    if (open) {
      void answer(request, reply);
      return true;
    }
    return answer(request, reply);
  });
}

interface ParentPort {
  on(event: 'message', listener: (event: { data: KeychainRequest }) => void): void;
  postMessage(message: KeychainReply): void;
}
const parentPort = (process as { parentPort?: ParentPort }).parentPort;
if (parentPort) {
  parentPort.on('message', (event) => inTurn(event.data, (reply) => parentPort.postMessage(reply)));
} else {
  process.on('message', (request: KeychainRequest) => inTurn(request, (reply) => process.send?.(reply)));
  // The parent went away (it exited, or gave up on us): nothing is left to answer.
  process.on('disconnect', () => process.exit(0));
}
