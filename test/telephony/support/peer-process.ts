import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Debian package each peer binary comes from, for the error a missing one raises. */
const PACKAGE_OF: Record<string, string> = {
  kamailio: 'kamailio',
  rtpengine: 'rtpengine-daemon',
  sipp: 'sip-tester',
  baresip: 'baresip-core',
  sox: 'sox',
  'espeak-ng': 'espeak-ng',
};

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * The absolute path of a peer binary. Throws (never skips) when it is missing: in CI a missing peer is a
 * failure, and `.ci/run` installs them.
 */
export function requireBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SEARCH_PATH];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  const pkg = PACKAGE_OF[name] ?? name;
  throw new Error(
    `telephony peer '${name}' is not installed: install Debian's '${pkg}' package (apt-get install ${pkg}); .ci/run does this`,
  );
}

/** Runs a peer tool to completion (sox, espeak-ng) and throws with its output when it fails. */
export function runTool(name: string, args: string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(requireBinary(name), args, { cwd: options.cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${name} ${args.join(' ')} exited with ${result.status}: ${result.stderr || result.stdout}`,
    );
  }
  // sox writes its statistics to stderr
  return `${result.stdout}${result.stderr}`;
}

const scratchDirs = new Set<string>();

/**
 * A scratch directory for one peer's configuration, logs and recordings. removeScratchDir() deletes it,
 * and any left over go when the test process exits, unless OUTDIAL_KEEP_PEER_FILES is set (to read a
 * failed run's logs and recordings).
 */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `outdial-${prefix}-`));
  scratchDirs.add(dir);
  return dir;
}

export function removeScratchDir(dir: string): void {
  scratchDirs.delete(dir);
  if (!process.env.OUTDIAL_KEEP_PEER_FILES) fs.rmSync(dir, { recursive: true, force: true });
}

const running = new Set<PeerProcess>();

/**
 * A peer started by this harness, in its own process group so stop() ends it and its children (Kamailio
 * forks workers) and nothing else. Output is kept for the error messages of failed starts and tests.
 */
export class PeerProcess {
  private output = '';
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.append(chunk));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        running.delete(this);
        resolve(this.exitCode);
      });
      child.on('error', (error) => {
        this.append(Buffer.from(String(error)));
        this.exitCode = -1;
        running.delete(this);
        resolve(-1);
      });
    });
  }

  private dirs: string[] = [];

  static start(
    binary: string,
    args: string[],
    options: { cwd?: string; name?: string; ownDirs?: string[]; env?: Record<string, string> } = {},
  ): PeerProcess {
    const child = spawn(path.isAbsolute(binary) ? binary : requireBinary(binary), args, {
      cwd: options.cwd,
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const peer = new PeerProcess(options.name ?? binary, child);
    peer.dirs = options.ownDirs ?? [];
    running.add(peer);
    return peer;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** Everything the peer printed so far (capped to the last 200 kB). */
  log(): string {
    return this.output;
  }

  /** Writes to the peer's standard input (SIPp's keyboard commands). */
  write(text: string): void {
    this.child.stdin?.write(text);
  }

  private append(chunk: Buffer): void {
    this.output += chunk.toString('utf8');
    if (this.output.length > 200_000) this.output = this.output.slice(-200_000);
  }

  /** Resolves when the output matches, rejects when the peer exits first or the time runs out. */
  async waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (!this.alive)
        throw new Error(`${this.name} exited (${this.exitCode}) before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves with the exit code when the peer ends by itself. */
  async waitForExit(timeoutMs = 30_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.name} still running after ${timeoutMs} ms:\n${this.tail()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  tail(lines = 40): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** Kills the peer's process group at once (SIGKILL: no cleanup, as in a crash) and waits for it to end. */
  async kill(): Promise<void> {
    if (!this.alive || this.child.pid === undefined) return;
    process.kill(-this.child.pid, 'SIGKILL');
    await this.exited;
  }

  /** Ends the peer's process group (SIGTERM, then SIGKILL after a grace period) and removes its scratch files. */
  async stop(graceMs = 3000): Promise<void> {
    await this.end(graceMs);
    for (const dir of this.dirs) removeScratchDir(dir);
    this.dirs = [];
  }

  private async end(graceMs: number): Promise<void> {
    if (!this.alive || this.child.pid === undefined) return;
    const group = -this.child.pid;
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      return;
    }
    const ended = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs)),
    ]);
    if (!ended) {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        // already gone
      }
      await this.exited;
    }
    // Kamailio's workers may outlive the main process by a moment; the group is ours alone.
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // none left
    }
  }
}

/**
 * Kills every peer this process started and has not stopped, and removes the scratch directories, so a
 * failed or interrupted test leaves nothing behind.
 */
export function killAllPeersSync(): void {
  for (const peer of running) {
    if (peer.pid === undefined) continue;
    try {
      process.kill(-peer.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
  for (const dir of [...scratchDirs]) removeScratchDir(dir);
}

process.once('exit', killAllPeersSync);
// The test runner ends a file that overruns with SIGTERM, which skips 'exit' handlers.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    killAllPeersSync();
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  });
}
