import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import S3rver from 's3rver';
import { ConfigError, loadConfig } from '../../src/config.js';
import { recordingStoreOf } from '../../src/runtime.js';
import { S3RecordingStore } from '../../src/services/recordings/s3-recording-store.js';

// A real S3-compatible server run here from npm (s3rver: the S3 REST API over a directory); no
// MinIO or other object store is packaged for Debian or npm. It does not check signatures strictly.
let server: S3rver;
let dir: string;
let endpoint: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'recordings', configs: [] }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});
after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('S3 recording store', () => {
  test('put, whole and ranged get, exists, delete, against a real S3 API', async () => {
    const config = loadConfig({
      OUTDIAL_DATA_DIR: dir,
      RECORDING_STORE: 's3',
      RECORDING_S3_ENDPOINT: endpoint,
      RECORDING_S3_BUCKET: 'recordings',
      RECORDING_S3_PREFIX: 'outdial/',
      RECORDING_S3_ACCESS_KEY_ID: 'S3RVER',
      RECORDING_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const store = recordingStoreOf(config);
    assert.ok(store instanceof S3RecordingStore);
    const body = 'RIFF-0123456789-abcdefghij';
    await store.put('7/2026-12/a.wav', Readable.from([Buffer.from(body)]), body.length);
    assert.ok(fs.existsSync(path.join(dir, 'recordings')), 'the object is in the server’s bucket');
    assert.equal(await store.exists('7/2026-12/a.wav'), true);
    assert.equal(await text(await store.get('7/2026-12/a.wav')), body);
    assert.equal(await text(await store.get('7/2026-12/a.wav', { start: 5, end: 14 })), body.slice(5, 15));
    await store.delete('7/2026-12/a.wav');
    assert.equal(await store.exists('7/2026-12/a.wav'), false);
    await store.delete('7/2026-12/a.wav');
    (store as S3RecordingStore).destroy();
  });

  test('a missing object or bucket is an error, not an empty file', async () => {
    const store = new S3RecordingStore({
      endpoint,
      region: 'us-east-1',
      bucket: 'recordings',
      prefix: '',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
    await assert.rejects(store.get('never-stored.wav'));
    const elsewhere = new S3RecordingStore({
      endpoint,
      region: 'us-east-1',
      bucket: 'no-such-bucket',
      prefix: '',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
    await assert.rejects(elsewhere.put('x.wav', Readable.from([Buffer.from('x')]), 1));
    store.destroy();
    elsewhere.destroy();
  });

  test('RECORDING_STORE=s3 without its bucket and keys is refused at start', () => {
    assert.throws(
      () => loadConfig({ RECORDING_STORE: 's3' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => p.startsWith('RECORDING_S3_BUCKET is required')) &&
        error.problems.some((p) => p.startsWith('RECORDING_S3_SECRET_ACCESS_KEY is required')),
    );
  });
});
