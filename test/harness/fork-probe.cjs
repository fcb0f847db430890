// Loaded into a CLI process with --require: records each child process it forks (the keychain
// process is one), one module path a line, in $FORK_PROBE_RECORD. The CLI's entry calls
// child_process.fork through the module object at call time, so wrapping the export sees it.
const childProcess = require('node:child_process');
const { appendFileSync } = require('node:fs');

const fork = childProcess.fork;
childProcess.fork = function recordedFork(modulePath, ...rest) {
  appendFileSync(process.env.FORK_PROBE_RECORD, `${modulePath}\n`);
  return fork.call(this, modulePath, ...rest);
};
