// Prints how long the bundled main process (dist/main.js) takes to load under plain Node, every
// require('electron') answered by the test double (bundled by the bench and passed as argv[2]).
const Module = require('node:module');
const path = require('node:path');
const electron = require(process.argv[2]);
const load = Module._load;
Module._load = function (request, parent, isMain) {
  return request === 'electron' ? electron : load.call(this, request, parent, isMain);
};
const started = performance.now();
require(path.resolve(__dirname, '../dist/main.js'));
process.stdout.write(`${performance.now() - started}\n`);
process.exit(0);
