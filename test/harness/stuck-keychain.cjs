// A keychain process whose library never returns: at the first request its only thread blocks in
// the kernel (opening a FIFO that nobody writes), as a native keychain call waiting on a prompt
// nobody answers would. From then on it cannot answer, exit, or notice that its parent went away.
const { readFileSync } = require('node:fs');

process.on('message', () => readFileSync(process.argv[2] ?? ''));
