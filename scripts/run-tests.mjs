// Runs every test/**/*.test.ts with node's test runner (tsx for TypeScript), on Node 20 and 22 alike.
// Closes with node's summary (tests / pass / fail / skipped).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : find(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}

// Arguments pick files or folders (as CI does on macOS and Windows); none runs everything.
const only = process.argv.slice(2);
const files = (only.length > 0 ? only : ['test']).flatMap((p) => (statSync(p).isDirectory() ? find(p).sort() : [p]));
// A hung test fails after 5 minutes with its name, instead of holding CI until the job's limit
// (every test here is bounded well below that: the longest waits are the CLI's 90 s).
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=300000', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
