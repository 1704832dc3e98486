#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner and tsx, several files at once: each file
// runs in a process of its own with its own database, so files never share state. A file's
// output is printed whole when it ends (never interleaved), then a summary with each file's time.
//
//   npm test                    every file
//   npm test -- leads web       files whose path contains one of the words
//   TEST_CONCURRENCY=1 npm test one file at a time (default: the machine's cores + 1, at least 2)
//
// The slowest files start first (their times from the last run are kept in
// artifacts/test-times.json, else scripts/test-times.json; the largest first when there are
// none), so the run ends soon after its longest file does.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TIMES = path.join('artifacts', 'test-times.json');
// Times of a whole run on a 2-core machine, committed: the order of a fresh checkout's first run.
const SEED = path.join('scripts', 'test-times.json');

const filters = process.argv.slice(2);
const files = fs
  .readdirSync('test', { recursive: true })
  .map((f) => path.join('test', String(f)))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error(`No test files match ${filters.join(', ')}`);
  process.exit(1);
}

function readTimes(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function concurrency() {
  const asked = process.env.TEST_CONCURRENCY;
  if (asked === undefined || asked === '') return Math.max(2, os.availableParallelism() + 1);
  const n = Number(asked);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`TEST_CONCURRENCY must be a whole number of files at once (1 or more), not "${asked}"`);
    process.exit(2);
  }
  return n;
}

const previous = { ...readTimes(SEED), ...readTimes(TIMES) };
// Files without a time yet (a fresh checkout, a new file) go first, the larger ones before the
// smaller: a slow file should not be the one the whole run waits for at the end.
const size = (file) => fs.statSync(file).size;
const queue = [...files].sort(
  (a, b) => (previous[b] ?? Infinity) - (previous[a] ?? Infinity) || size(b) - size(a),
);
const parallel = Math.min(concurrency(), files.length);
const started = Date.now();
const results = [];

function runFile(file) {
  return new Promise((resolve) => {
    const begun = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
    });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - begun) / 1000;
      const ok = code === 0;
      process.stdout.write(
        `\n── ${file} ${ok ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${seconds.toFixed(1)} s\n`,
      );
      const text = Buffer.concat(output);
      process.stdout.write(text);
      results.push({ file, ok, seconds, counts: testCounts(text.toString('utf8'), ok) });
      resolve();
    });
  });
}

/** The file's own totals from the spec reporter's closing lines; a file that died before them counts as one failure. */
function testCounts(text, ok) {
  const total = (name) => {
    const match = [...text.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))].at(-1);
    return match ? Number(match[1]) : undefined;
  };
  const passed = total('pass');
  const failedTests = total('fail');
  if (passed === undefined || failedTests === undefined) return { passed: 0, failed: 1, skipped: 0 };
  return { passed, failed: failedTests + (ok || failedTests > 0 ? 0 : 1), skipped: total('skipped') ?? 0 };
}

async function lane() {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
}

await Promise.all(Array.from({ length: parallel }, lane));

const wall = (Date.now() - started) / 1000;
const failed = results.filter((r) => !r.ok);
fs.mkdirSync(path.dirname(TIMES), { recursive: true });
fs.writeFileSync(
  TIMES,
  JSON.stringify(
    { ...readTimes(TIMES), ...Object.fromEntries(results.map((r) => [r.file, Math.round(r.seconds)])) },
    null,
    2,
  ),
);
console.log(`\n── ${results.length} files, ${parallel} at a time, in ${wall.toFixed(1)} s wall time`);
for (const r of [...results].sort((a, b) => b.seconds - a.seconds))
  console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.seconds.toFixed(1).padStart(7)} s  ${r.file}`);
if (failed.length) console.log(`\n${failed.length} file(s) failed: ${failed.map((r) => r.file).join(', ')}`);
const sum = (key) => results.reduce((n, r) => n + r.counts[key], 0);
// The closing line CI reads: every file's tests together.
console.log(`\ntests: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(failed.length ? 1 : 0);
