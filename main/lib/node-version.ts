/**
 * The CLI's first check (main/cli.ts): a Node older than package.json's "engines" gets one line
 * saying which Node is needed and how to get it. scripts/check-node.mjs says the same for npm
 * start, npm test and npm run dist, in plain JavaScript an old Node runs.
 */

/** The line for Node `running` ("20.20.2"), or undefined when it satisfies `engine` (">=22.12.0"). */
export function nodeTooOld(running: string, engine: string): string | undefined {
  const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(engine);
  if (!minimum) throw new Error(`package.json "engines.node" is ${JSON.stringify(engine)}, not ">=MAJOR.MINOR.PATCH"`);
  const needed = minimum.slice(1).map(Number);
  const have = running.replace(/^v/, '').split('.').map(Number);
  const index = needed.findIndex((part, i) => have[i] !== part);
  if (index < 0 || (have[index] ?? 0) > (needed[index] ?? 0)) return undefined;
  const [major, minor] = needed;
  return `needs Node.js ${major}.${minor} or later, and this is Node ${running.replace(/^v/, '')}: install it with \`nvm install ${major}\` or \`fnm install ${major}\`, or from https://nodejs.org/en/download`;
}
