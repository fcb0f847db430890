/**
 * Imported first by a test file that uses node:test's mock timers: Node 22 prints "The MockTimers
 * API is an experimental feature…" (two lines) in each such file's process, on every run. That one
 * warning is dropped here; every other warning, ExperimentalWarning or not, is printed as before.
 */
const emitWarning = process.emitWarning.bind(process);

process.emitWarning = ((warning: string | Error, ...rest: unknown[]): void => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'ExperimentalWarning' && typeof warning === 'string' && warning.startsWith('The MockTimers API is an experimental feature')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
