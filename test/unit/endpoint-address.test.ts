import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointFor, folderProblem, MAX_SOCKET_PATH_BYTES } from '../../main/endpoint/address';

const LONG = `/home/someone/${'very-long-folder-name/'.repeat(5)}zoom-tray`;

test('the socket sits in a folder of the data folder while its path fits a socket address', () => {
  assert.deepEqual(endpointFor('/home/jane/.config/zoom-tray', {}, 'linux'), { kind: 'socket', dir: '/home/jane/.config/zoom-tray/endpoint', path: '/home/jane/.config/zoom-tray/endpoint/tray.sock' });
  const edge = `/${'d'.repeat(MAX_SOCKET_PATH_BYTES - '/endpoint/tray.sock'.length - 1)}`;
  assert.equal(endpointFor(edge, {}, 'darwin').kind, 'socket', 'exactly 103 bytes fits');
  assert.equal(endpointFor(`${edge}x`, {}, 'darwin').kind, 'none', '104 bytes does not');
  // Bytes, not characters: an accented name is longer than it looks.
  assert.equal(endpointFor(`/${'é'.repeat(50)}`, {}, 'linux').kind, 'none');
});

test("a data folder too long for a socket moves it to a folder named for it in the user's runtime folder, or turns the endpoint off with the reason", () => {
  const moved = endpointFor(LONG, { XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux');
  assert.equal(moved.kind, 'socket');
  assert.match(moved.kind === 'socket' ? moved.path : '', /^\/run\/user\/1000\/zoom-tray-[0-9a-f]{16}\/tray\.sock$/);
  const other = endpointFor(`${LONG}-2`, { XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux');
  assert.notDeepEqual(other, moved, 'two data folders, two endpoints');
  assert.deepEqual(endpointFor(LONG, { XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux'), moved, 'the CLI finds what the tray made');
  // macOS has no XDG_RUNTIME_DIR; its TMPDIR is per user. Linux's TMPDIR (often /tmp, shared) is not used.
  assert.match(JSON.stringify(endpointFor(LONG, { TMPDIR: '/var/folders/ab/xyz/T/' }, 'darwin')), /"\/var\/folders\/ab\/xyz\/T\/zoom-tray-[0-9a-f]{16}\/tray\.sock"/);
  const off = endpointFor(LONG, { TMPDIR: '/tmp' }, 'linux');
  assert.equal(off.kind, 'none');
  assert.match(off.kind === 'none' ? off.why : '', /too long for a socket \(\d+ bytes, at most 103\) and \$XDG_RUNTIME_DIR does not offer a shorter one/);
  assert.equal(endpointFor(LONG, { XDG_RUNTIME_DIR: 'relative/dir' }, 'linux').kind, 'none', 'a relative runtime folder is not one');
  assert.equal(endpointFor(LONG, { XDG_RUNTIME_DIR: `/${'r'.repeat(90)}` }, 'linux').kind, 'none', 'nor one that is too long itself');
});

test('on Windows there is no endpoint: a named pipe cannot be made the user\'s alone, and its name is no secret', () => {
  const endpoint = endpointFor('C:\\Users\\Jane\\AppData\\Roaming\\zoom-tray', {}, 'win32');
  assert.equal(endpoint.kind, 'none');
  assert.match(endpoint.kind === 'none' ? endpoint.why : '', /named pipe/);
});

test("the endpoint's folder must be a real folder, the user's own, closed to everyone else", () => {
  const own = { isDirectory: true, isSymbolicLink: false, uid: 1000, mode: 0o40700 };
  assert.equal(folderProblem(own, 1000), undefined);
  assert.equal(folderProblem({ ...own, uid: 1001 }, 1000), 'belongs to user 1001, not to this user (1000)');
  assert.equal(folderProblem({ ...own, mode: 0o40750 }, 1000), 'is open to others (mode 750)');
  assert.equal(folderProblem({ ...own, mode: 0o40701 }, 1000), 'is open to others (mode 701)');
  assert.equal(folderProblem({ ...own, isSymbolicLink: true }, 1000), 'is not a folder');
  assert.equal(folderProblem({ ...own, isDirectory: false }, 1000), 'is not a folder');
});
