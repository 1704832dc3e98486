import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the `outdial` command from source, as `npx tsx src/cli.ts …` does, and returns what it said. */
async function outdial(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the outdial command', () => {
  let dataDir: string;
  let taken: net.Server;
  let takenPort: number;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-cli-'));
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as net.AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => taken.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('--version prints the version of package.json', async () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    const result = await outdial(['--version']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), pkg.version);
  });

  test('serve on a port already in use: one clear line and exit code 1, no stack trace', async () => {
    const result = await outdial(['serve', '--host', '127.0.0.1', '--port', String(takenPort)], {
      OUTDIAL_DATA_DIR: dataDir,
      OUTDIAL_ENGINE: 'off',
    });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim(),
      `outdial: 127.0.0.1:${takenPort} is already in use: stop what listens there, or choose another port (--port or PORT)`,
    );
  });

  test('--port is checked like PORT', async () => {
    const result = await outdial(['serve', '--port', 'eighty'], { OUTDIAL_DATA_DIR: dataDir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /PORT must be a whole number, got "eighty"/);
  });

  test('forecast: wired to the service, its mistakes said in one line with exit code 1', async () => {
    const result = await outdial(
      [
        'forecast',
        '--center',
        'nowhere',
        '--campaign',
        'cmp_00000000000000000000000000000000',
        '--agents',
        '10,15',
      ],
      { OUTDIAL_DATA_DIR: dataDir },
    );
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), 'No contact center named nowhere');
  });
});
