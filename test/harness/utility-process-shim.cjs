// Runs a module the way Electron's utility process does: it talks to its parent through
// process.parentPort ({ data } events in, postMessage out), not process.send. Used by the Electron
// double's utilityProcess.fork, so the app's real utility-process code path is the one tested.
const { EventEmitter } = require('node:events');

const parentPort = new EventEmitter();
parentPort.postMessage = (message) => process.send(message);
process.on('message', (data) => parentPort.emit('message', { data }));
// Electron ends a utility process with its parent; a forked Node child would linger.
process.on('disconnect', () => process.exit(0));
Object.defineProperty(process, 'parentPort', { value: parentPort });
require(process.argv[2]);
