import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { outdialClient, problemOf } from '../../src/client/index.js';
import { remoteImport } from '../../src/cli/remote-import.js';
import { ImportWorker } from '../../src/services/imports/import-worker.js';
import { contractFiles, openApiDocument } from '../../scripts/openapi.js';
import {
  PASSWORD,
  readWriteKey,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';

describe('the typed client, generated from the document, against a running server', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let base: string;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => t.close());

  test('docs/openapi.json and src/client/openapi.ts are what the routes generate (no drift)', async () => {
    const files = await contractFiles(await openApiDocument());
    for (const [file, text] of Object.entries(files)) {
      assert.ok(fs.readFileSync(file, 'utf8') === text, `${file} is out of date: run npm run openapi`);
    }
  });

  test('logs in, creates and reads records with typed bodies and answers; errors come typed too', async () => {
    const anonymous = outdialClient({ baseUrl: base });
    const login = await anonymous.POST('/v1/auth/login', {
      body: { username: 'admin', password: PASSWORD, contact_center: 'acme' },
    });
    assert.equal(login.response.status, 200);
    assert.ok(login.data);
    assert.equal(login.data.user.username, 'admin');

    const client = outdialClient({ baseUrl: base, token: login.data.access_token });
    const created = await client.POST('/v1/campaigns', { body: { name: 'Typed', dialing_mode: 'preview' } });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    assert.ok(created.data);
    const read = await client.GET('/v1/campaigns/{id}', { params: { path: { id: created.data.id } } });
    assert.equal(read.data?.name, 'Typed');
    assert.equal(read.data?.dialing_mode, 'preview');
    const page = await client.GET('/v1/campaigns', { params: { query: { page: 1, limit: 5 } } });
    assert.ok(page.data?.data.some((c) => c.id === created.data!.id));
    assert.equal(page.data?.meta.page, 1);

    const refused = await client.GET('/v1/processes', { params: { query: { page: 0 } } });
    assert.equal(refused.response.status, 400);
    assert.equal(refused.data, undefined);
    assert.equal(refused.error?.error, 'Bad Request');
    assert.match(problemOf(refused.error, refused.response.status), /^400 .*page/);
  });

  test('the CLI import uploads through the client and follows the job to its end', async (context) => {
    const key = await readWriteKey(t, acme);
    const client = outdialClient({ baseUrl: base, token: key });
    const list = await client.POST('/v1/lead-lists', { body: { name: 'Uploaded by the CLI' } });
    assert.ok(list.data, JSON.stringify(list.error));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-client-'));
    context.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'leads.csv');
    fs.writeFileSync(file, 'phone,first_name\n+919876542001,Asha\n+919876542002,Ravi\nnot a number,Bad\n');
    const worker = new ImportWorker(t.deps, { owner: 'client-test', batchSize: 10 });
    const lines: string[] = [];
    const job = await remoteImport(file, {
      server: base,
      token: key,
      list: list.data.id,
      dedup: 'skip',
      scope: 'list',
      progress: { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream,
      // The job runs when the worker drains, instead of after a wait on the clock.
      sleep: async () => {
        await worker.drain();
      },
    });
    assert.equal(job.status, 'completed');
    assert.equal(job.progress.accepted, 2);
    assert.equal(job.progress.rejected, 1);
    assert.ok(lines.some((l) => l.includes('2 added')));
    const contacts = await client.GET('/v1/contacts', { params: { query: { list_id: list.data.id } } });
    assert.deepEqual(contacts.data?.data.map((c) => c.phone_number).sort(), [
      '+919876542001',
      '+919876542002',
    ]);

    const refused = remoteImport(file, { server: base, token: 'odk_wrong', dedup: 'skip', scope: 'list' });
    await assert.rejects(refused, /Upload refused: 401/);
  });
});
