// The properties every parser of outside input must have (issue #17), and the fast-check settings
// the fuzzers share: a fixed seed by default, so a run is the same run everywhere; FUZZ_SEED and
// FUZZ_RUNS to look elsewhere or deeper (FUZZ_SEED=random draws a seed). A failure names the seed
// and the number of runs that reproduce it.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { TestContext } from 'node:test';
import fc from 'fast-check';
import { isZoomTrayError, type ZoomTrayError } from '../../main/lib/errors';

function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} takes an integer (got ${JSON.stringify(text)}).`);
  return value;
}

/** FUZZ_SEED=random draws one (said on failure, so the run reproduces). */
export const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : envNumber('FUZZ_SEED', 17);
const DEFAULT_RUNS = 200;
/** Runs of each property; a few hundred keep the whole folder within seconds. */
export const RUNS = envNumber('FUZZ_RUNS', DEFAULT_RUNS);

/** A property's own number of runs (fewer for the slow ones), scaled as FUZZ_RUNS scales the default. */
export function runs(atDefault: number): number {
  return Math.max(1, Math.round((atDefault * RUNS) / DEFAULT_RUNS));
}

/** What a message may repeat of its input at most, and how long any one-line error may be. */
export const MESSAGE_BOUND = 600;
export const FIVE_MB = 5 * 1024 * 1024;
/** Generous: the 5 MB inputs take milliseconds to a second or two here; only a hang or a quadratic blow-up reaches it. */
export const FIVE_MB_BOUND_MS = 8_000;

/** fast-check's report, with long runs of one character counted rather than printed (a counterexample may be 80 KB of "a"). */
function shortened(message: string): string {
  const counted = message.replace(/(.)\1{39,}/gsu, (run: string, c: string) => `${c.repeat(8)}…[${run.length} × ${JSON.stringify(c)}]…`);
  return counted.length > 6000 ? `${counted.slice(0, 6000)}…` : counted;
}

function reproducible(err: unknown, numRuns: number): never {
  const message = shortened(err instanceof Error ? err.message : String(err));
  throw new Error(`Fuzzing failed with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}, ${numRuns} runs of this property (set them to reproduce; fast-check's seed and path follow).\n${message}`, { cause: err });
}

/** Checks a synchronous property with the shared seed. */
export function holds<T>(property: fc.IProperty<T>, numRuns = RUNS): void {
  try {
    fc.assert(property, { seed: SEED, numRuns });
  } catch (err) {
    reproducible(err, numRuns);
  }
}

export async function holdsAsync<T>(property: fc.IAsyncProperty<T>, numRuns = RUNS): Promise<void> {
  try {
    await fc.assert(property, { seed: SEED, numRuns });
  } catch (err) {
    reproducible(err, numRuns);
  }
}

/** A message a user may see: one line, and short whatever the input was (so it cannot hold more than an excerpt of it). */
export function assertBoundedMessage(message: string, what = 'the message'): void {
  assert.ok(message.length <= MESSAGE_BOUND, `${what} is ${message.length} characters long (at most ${MESSAGE_BOUND}): ${message.slice(0, 200)}…`);
  assert.ok(!/[\r\n\u2028\u2029]/.test(message), `${what} spans lines: ${JSON.stringify(message.slice(0, 200))}`);
}

/** The project's typed error and nothing else, with a bounded one-line message. */
export function assertTypedError(err: unknown, kinds?: readonly ZoomTrayError['kind'][]): asserts err is ZoomTrayError {
  if (!isZoomTrayError(err)) assert.fail(`threw something other than a ZoomTrayError: ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 300)}` : String(err)}`);
  if (kinds) assert.ok(kinds.includes(err.kind), `a ${err.kind} error, not ${kinds.join(' or ')}: ${err.message}`);
  assertBoundedMessage(err.message);
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ZoomTrayError };

/** Runs a parser: its answer, or the typed error it threw (anything else fails the property). */
export function outcome<T>(parse: () => T, kinds?: readonly ZoomTrayError['kind'][]): Outcome<T> {
  try {
    return { ok: true, value: parse() };
  } catch (err) {
    assertTypedError(err, kinds);
    return { ok: false, error: err };
  }
}

export async function outcomeAsync<T>(parse: () => Promise<T>, kinds?: readonly ZoomTrayError['kind'][]): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await parse() };
  } catch (err) {
    assertTypedError(err, kinds);
    return { ok: false, error: err };
  }
}

/** A DNS label: letters, digits and inner hyphens, 1 to 63 of them (RFC 1035 §2.3.1, RFC 1123 §2.1). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Written apart from the app's own check (start-url.ts), as the oracle for it: https, no port, no
 * user info, on zoom.us or zoomgov.com or a well-formed subdomain of either; or one of `extraOrigins`
 * (the configured simulator).
 */
export function assertZoomUrl(href: string | URL, extraOrigins: readonly string[] = []): void {
  const url = new URL(href);
  assert.ok(!url.username && !url.password, `user info in ${url.href}`);
  if (extraOrigins.includes(url.origin)) return;
  assert.equal(url.protocol, 'https:', `not https: ${url.href}`);
  assert.equal(url.port, '', `a port: ${url.href}`);
  const labels = url.hostname.split('.');
  const domain = labels.slice(-2).join('.');
  assert.ok(domain === 'zoom.us' || domain === 'zoomgov.com', `off Zoom's domains: ${url.hostname.slice(0, 200)}`);
  assert.ok(labels.every((label) => LABEL.test(label)), `not a well-formed host: ${url.hostname.slice(0, 200)}`);
}

/** Runs a parser once on a 5 MB input, reports how long it took, and fails only past a generous bound. */
export async function timed<T>(t: TestContext, label: string, run: () => T | Promise<T>, boundMs = FIVE_MB_BOUND_MS): Promise<T> {
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  t.diagnostic(`${label}: ${ms.toFixed(0)} ms`);
  assert.ok(ms < boundMs, `${label} took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`);
  return result;
}

/**
 * Text from outside: fragments a parser looks for (`tokens`) among arbitrary characters, controls
 * and lone surrogates included, now and then repeated into tens of kilobytes (what a cap must bound).
 */
export function outsideText(tokens: readonly string[] = [], maxLength = 40): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 3, arbitrary: tokens.length > 0 ? fc.constantFrom(...tokens) : fc.string() },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
    { weight: 1, arbitrary: fc.constantFrom(' ', '\n', '\r\n', '\t', '\u00a0', '\u2028', '\u202e', '\u0000', '\u001b[31m', '\uD800', '%', '%00', '%ZZ', '&amp;') },
  );
  const text = fc.array(piece, { maxLength }).map((pieces) => pieces.join(''));
  return fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: bulky(text) });
}

/** A text repeated to up to 80 KB (an empty one stays empty); it shrinks to the shortest that still fails. */
export function bulky(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.integer({ min: 1, max: 80_000 })).map(([s, size]) => (s ? s.repeat(Math.ceil(size / s.length)).slice(0, size) : s));
}
