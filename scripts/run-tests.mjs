#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner and tsx, several files at once: each file
// runs in a process of its own with its own database, so files never share state. A file's
// output is printed whole when it ends (never interleaved), then a summary with each file's time.
//
//   npm test                    every file
//   npm test -- leads web       files whose path contains one of the words
//   TEST_CONCURRENCY=1 npm test one file at a time (default: the machine's cores + 1, at least 2)
//
// A run never hangs: a file (or one of its tests) still running after TEST_TIMEOUT_SECONDS (1200)
// fails with the output it had printed, and a minute later it is killed with everything it
// started; a file whose tests are done does not wait for handles left open (--test-force-exit).
// Every few minutes the files still running are listed.
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

function seconds(name, fallback) {
  const asked = process.env[name];
  if (asked === undefined || asked === '') return fallback;
  const n = Number(asked);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`${name} must be a number of seconds above 0, not "${asked}"`);
    process.exit(2);
  }
  return n;
}

// Node's --test-timeout bounds each test and each file alike; the kill is the backstop for a
// process that cannot even report its time-out.
const TEST_TIMEOUT = seconds('TEST_TIMEOUT_SECONDS', 1200);
const FILE_TIMEOUT = TEST_TIMEOUT + 60;
// Once a file's process has exited, how long its output pipes may stay open (held by something it
// started and left behind) before they are closed and its process group is killed.
const PIPE_GRACE_MS = 5_000;
const HEARTBEAT_MS = 180_000;

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

const running = new Map();

function runFile(file) {
  return new Promise((resolve) => {
    const begun = Date.now();
    // Its own process group (detached), so a file that overruns is killed with whatever it
    // started: Node's test runner runs the file in a child process of its own.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        `--test-timeout=${Math.round(TEST_TIMEOUT * 1000)}`,
        '--test-force-exit',
        file,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
      },
    );
    running.set(file, begun);
    const output = [];
    let timedOut = false;
    let exit;
    const killGroup = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group has already gone
      }
    };
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    const overrun = setTimeout(() => {
      timedOut = true;
      output.push(Buffer.from(`\n[run-tests] ${file} still running after ${FILE_TIMEOUT} s: killed\n`));
      killGroup();
    }, FILE_TIMEOUT * 1000);
    let pipeGrace;
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      pipeGrace = setTimeout(() => {
        output.push(
          Buffer.from(`\n[run-tests] ${file} exited but something it started kept its output open: killed\n`),
        );
        killGroup();
        child.stdout.destroy();
        child.stderr.destroy();
      }, PIPE_GRACE_MS);
    });
    child.on('close', (code, signal) => {
      clearTimeout(overrun);
      clearTimeout(pipeGrace);
      running.delete(file);
      killGroup();
      const { code: exitCode, signal: exitSignal } = exit ?? { code, signal };
      const seconds = (Date.now() - begun) / 1000;
      const ok = exitCode === 0 && !timedOut;
      const why = timedOut ? `timed out after ${FILE_TIMEOUT} s` : (exitSignal ?? `exit ${exitCode}`);
      process.stdout.write(`\n── ${file} ${ok ? 'passed' : `FAILED (${why})`} in ${seconds.toFixed(1)} s\n`);
      const text = Buffer.concat(output);
      process.stdout.write(text);
      const printed = text.toString('utf8');
      results.push({
        file,
        ok,
        seconds,
        counts: testCounts(printed, ok),
        failures: ok ? '' : failureExcerpt(printed),
      });
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

/**
 * What a failed file's reporter said of its failures (the spec reporter's closing "failing tests"
 * list, else the output's last lines), repeated after the summary: a log read from its tail (CI's)
 * then shows why, not only which file.
 */
function failureExcerpt(text) {
  const lines = text.split('\n');
  const from = lines.findLastIndex((line) => /failing tests:\s*$/.test(line));
  const excerpt = from >= 0 ? lines.slice(from, from + 120) : lines.slice(-60);
  return excerpt.join('\n').trimEnd();
}

async function lane() {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
}

const heartbeat = setInterval(() => {
  const now = Date.now();
  const list = [...running].map(([file, begun]) => `${file} (${Math.round((now - begun) / 1000)} s)`);
  process.stdout.write(
    `\n[run-tests] ${results.length}/${files.length} files done; running: ${list.join(', ')}\n`,
  );
}, HEARTBEAT_MS);
await Promise.all(Array.from({ length: parallel }, lane));
clearInterval(heartbeat);

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
for (const r of failed) console.log(`\n── why ${r.file} failed\n${r.failures}`);
if (failed.length) console.log(`\n${failed.length} file(s) failed: ${failed.map((r) => r.file).join(', ')}`);
const sum = (key) => results.reduce((n, r) => n + r.counts[key], 0);
// The closing line CI reads: every file's tests together.
console.log(`\ntests: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(failed.length ? 1 : 0);
