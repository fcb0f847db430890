// The first step of npm start, npm test, npm run dist and npm run bench (package.json): on a Node
// older than package.json's "engines" asks, one line that says which Node is needed and how to get
// it, instead of the later steps failing in their own words (Electron's installer, tsx, a test that
// finds no function, electron-builder). Plain JavaScript reading nothing but package.json, so that
// an old Node runs it; main/lib/node-version.ts says the same for the CLI.
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(engines.node);
if (!minimum) throw new Error(`check-node: package.json "engines.node" is ${JSON.stringify(engines.node)}, not ">=MAJOR.MINOR.PATCH"`);
const needed = minimum.slice(1).map(Number);
const running = process.versions.node.split('.').map(Number);
const index = needed.findIndex((part, i) => running[i] !== part);
if (index >= 0 && running[index] < needed[index]) {
  const [major, minor] = needed;
  console.error(
    `zoom-tray: needs Node.js ${major}.${minor} or later, and this is Node ${process.versions.node}: install it with \`nvm install ${major}\` or \`fnm install ${major}\`, or from https://nodejs.org/en/download`,
  );
  process.exit(1);
}
