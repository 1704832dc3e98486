import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

/**
 * Runs a test's worker script in a process of its own and waits for it to kill itself (SIGKILL:
 * no cleanup, as in a crash). Fails the test with the process's output if it ended otherwise.
 */
export async function runUntilKilled(script: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, s) => resolve(s)),
  );
  assert.equal(signal, 'SIGKILL', `${script} was not killed: ${output}`);
}
