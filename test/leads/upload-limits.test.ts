import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Workbook } from '@cj-tech-master/excelts';
import { ImportWorker } from '../../src/services/imports/import-worker.js';
import { multipart } from '../helpers/multipart.js';
import { readWriteKey, seedCenter, startTestApp, type TestApp } from '../helpers/harness.js';

const BOUNDARY = 'outdial-cut';

function part(name: string, value: string) {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}
function filePart(content: string) {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\n\r\n${content}\r\n`;
}

/** This process's open file handles on files under `dir` (deleted ones included). */
function openFilesUnder(dir: string): number {
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)) n += 1;
    } catch {
      // closed while listed
    }
  }
  return n;
}

/**
 * Sends a request over a real socket: the headers promise `declaredLength` bytes, `body` is what
 * is actually sent. `then`: 'wait' keeps the connection open for the server's answer; 'hang-up'
 * closes it as soon as the body is out (a client that died mid-upload).
 */
function rawRequest(
  port: number,
  url: string,
  key: string,
  body: Buffer,
  declaredLength: number,
  then: 'wait' | 'hang-up',
): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, text });
    });
    socket.on('connect', () => {
      socket.write(
        `POST ${url} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${key}\r\n` +
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${declaredLength}\r\n` +
          'Connection: close\r\n\r\n',
      );
      socket.write(body, () => {
        if (then === 'hang-up') socket.destroy();
      });
    });
  });
}

/** Waits (bounded) for the server to finish with a request the client abandoned. */
async function eventually(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`never happened: ${what}`);
}

describe('uploads end, whatever the client sends', () => {
  let t: TestApp;
  let key: string;
  let port: number;
  let listId: string;
  let campaignId: string;
  let uploadDir: string;
  const stored = () => (fs.existsSync(uploadDir) ? fs.readdirSync(uploadDir) : []);

  before(async () => {
    t = await startTestApp({ UPLOAD_IDLE_TIMEOUT_MS: '300' });
    const acme = await seedCenter(t, 'acme');
    key = await readWriteKey(t, acme);
    const headers = { authorization: `Bearer ${key}` };
    listId = (
      await t.app.inject({ method: 'POST', url: '/v1/lead-lists', headers, payload: { name: 'L' } })
    ).json().id;
    campaignId = (
      await t.app.inject({ method: 'POST', url: '/v1/campaigns', headers, payload: { name: 'Uploads' } })
    ).json().id;
    uploadDir = path.join(t.deps.storageDir, 'imports');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  after(() => t.close());

  const signed = (body: { payload: Buffer; headers: Record<string, string> }) => ({
    payload: body.payload,
    headers: { ...body.headers, authorization: `Bearer ${key}` },
  });

  const routes = () => [
    { name: '/v1/imports', url: '/v1/imports', fields: part('list_id', listId) },
    { name: 'DialNexa upload-file', url: `/v1/campaigns-leads/upload-file/${campaignId}`, fields: '' },
  ];

  for (const which of [0, 1]) {
    const route = () => routes()[which]!;
    const label = which === 0 ? '/v1/imports' : 'DialNexa upload-file';

    test(`${label}: 20 uploads cut off mid-body (client gone) leave no open file and no stored file`, async () => {
      const { url, fields } = route();
      const body = Buffer.from(fields + filePart('phone\n9876543210\n9876543211'));
      for (let i = 0; i < 20; i++) {
        const res = await rawRequest(port, url, key, body, body.length + 10_000, 'hang-up');
        assert.equal(res.status, null);
      }
      await eventually(
        () => stored().length === 0 && openFilesUnder(t.deps.storageDir) === 0,
        'uploads released',
      );
    });

    test(`${label}: a client that stops sending is answered 408 and its file discarded`, async () => {
      const { url, fields } = route();
      const body = Buffer.from(fields + filePart('phone\n9876543210'));
      const res = await rawRequest(port, url, key, body, body.length + 10_000, 'wait');
      assert.equal(res.status, 408, res.text);
      assert.match(res.text, /"statusCode":408/);
      assert.match(res.text, /Upload stalled/);
      await eventually(
        () => stored().length === 0 && openFilesUnder(t.deps.storageDir) === 0,
        'upload released',
      );
    });

    test(`${label}: a body that ends without its closing boundary answers 400`, async () => {
      const { url, fields } = route();
      const body = Buffer.from(fields + filePart('phone\n9876543210'));
      const res = await rawRequest(port, url, key, body, body.length, 'wait');
      assert.equal(res.status, 400, res.text);
      assert.match(res.text, /Unexpected end of multipart data/);
      await eventually(() => stored().length === 0, 'upload discarded');
    });

    test(`${label}: too many form fields answer 413, before or after the file`, async () => {
      const { url, fields } = route();
      const many = Array.from({ length: 30 }, (_, i) => part(`extra${i}`, 'x')).join('');
      for (const layout of [
        many + fields + filePart('phone\n9876543210'),
        fields + filePart('phone\n1') + many,
      ]) {
        const body = Buffer.from(layout + `--${BOUNDARY}--\r\n`);
        const res = await rawRequest(port, url, key, body, body.length, 'wait');
        assert.equal(res.status, 413, res.text);
        assert.match(res.text, /Too many form (fields|parts)/);
      }
      await eventually(() => stored().length === 0, 'uploads discarded');
    });

    test(`${label}: multipart without a boundary answers 400`, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: route().url,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'multipart/form-data' },
        payload: 'phone\n9876543210',
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'message', 'statusCode']);
    });
  }

  test('DialNexa upload-file: a file over 10 MB answers 413 and nothing is kept', async () => {
    const big = 'phone\n' + '9876543210\n'.repeat(1_000_000);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/campaigns-leads/upload-file/${campaignId}`,
      headers: {
        authorization: `Bearer ${key}`,
        ...multipart({}, { name: 'big.csv', content: big }).headers,
      },
      payload: multipart({}, { name: 'big.csv', content: big }).payload,
    });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().error, 'Payload Too Large');
    await eventually(() => stored().length === 0, 'upload discarded');
  });

  test('/v1/imports: column_mapping null, a list, or a non-text target answers 400', async () => {
    for (const mapping of ['null', '[]', '"phone"', '{"Phone":1}', '{not json']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/imports',
        ...signed(
          multipart(
            { list_id: listId, column_mapping: mapping },
            { name: 'a.csv', content: 'phone\n9876543210' },
          ),
        ),
      });
      assert.equal(res.statusCode, 400, `${mapping}: ${res.body}`);
      assert.match(JSON.stringify(res.json().message), /column_mapping/);
    }
    assert.deepEqual(stored(), []);
  });

  // Files neither reader can take: one rule for both upload paths (read-rows.ts unreadableFile).
  const unreadable = async () => {
    const workbook = new Workbook();
    workbook.addWorksheet('Leads').addRows([['phone'], ['9876543210'], ['9876543211']]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    return [
      { name: 'junk.xlsx', content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)) },
      { name: 'truncated.xlsx', content: xlsx.subarray(0, Math.floor(xlsx.length / 2)) },
      { name: 'quote.csv', content: 'phone,name\n9876543210,"Asha\n9876543211,Ravi\n' },
      { name: 'quoted.csv', content: 'phone,name\n98765"43210,Asha\n' },
    ];
  };

  test('DialNexa upload-file: binary junk, a truncated XLSX and a stray quote answer 400, never 500', async () => {
    for (const file of await unreadable()) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/campaigns-leads/upload-file/${campaignId}`,
        ...signed(multipart({}, file)),
      });
      assert.equal(res.statusCode, 400, `${file.name}: ${res.body}`);
      assert.match(JSON.stringify(res.json().message), /cannot be read as (CSV|XLSX)/, file.name);
    }
    await eventually(() => stored().length === 0, 'uploads deleted');
  });

  test('/v1/imports: the same files fail the job with the same reason, and the file is deleted', async () => {
    const worker = new ImportWorker(t.deps, { owner: 'test', batchSize: 100 });
    for (const file of await unreadable()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/imports',
        ...signed(multipart({ list_id: listId }, file)),
      });
      assert.equal(res.statusCode, 202, res.body);
      await worker.drain();
      const job = (
        await t.app.inject({
          method: 'GET',
          url: `/v1/imports/${res.json().id}`,
          headers: { authorization: `Bearer ${key}` },
        })
      ).json();
      assert.equal(job.status, 'failed', file.name);
      assert.match(job.error, /cannot be read as (CSV|XLSX)/, file.name);
    }
    assert.deepEqual(stored(), []);
  });

  test('an import file is deleted once its import completes', async () => {
    const worker = new ImportWorker(t.deps, { owner: 'test', batchSize: 100 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/imports',
      ...signed(
        multipart({ list_id: listId }, { name: 'ok.csv', content: 'phone\n9876543210\n9876543211\n' }),
      ),
    });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(stored().length, 1, 'kept while queued');
    await worker.drain();
    const job = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/imports/${res.json().id}`,
        headers: { authorization: `Bearer ${key}` },
      })
    ).json();
    assert.equal(job.status, 'completed', job.error);
    assert.equal(job.progress.accepted, 2);
    assert.deepEqual(stored(), []);
  });
});
