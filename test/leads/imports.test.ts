import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Workbook } from '@cj-tech-master/excelts';
import { parse as parseCsv } from 'csv-parse/sync';
import { connectPglite, type DatabaseHandle } from '../../src/db/database.js';
import { loadConfig } from '../../src/config.js';
import { prepareRuntime } from '../../src/runtime.js';
import { ManualClock, systemIds } from '../../src/seams.js';
import { ImportWorker } from '../../src/services/imports/import-worker.js';
import { createCenter } from '../../src/services/centers/create-center.js';
import { systemContext } from '../../src/services/context.js';
import { createLeadList } from '../../src/services/lead-lists/manage-lead-lists.js';
import { createImport } from '../../src/services/imports/create-import.js';
import { multipart } from '../helpers/multipart.js';
import { runUntilKilled } from '../helpers/doomed-process.js';
import {
  as,
  freshDatabase,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';

describe('bulk import', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let worker: ImportWorker;
  let list: { id: string };
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    worker = new ImportWorker(t.deps, { owner: 'test', batchSize: 3 });
    list = (
      await as(t, acme.tokens.admin)({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Imported' } })
    ).json();
    await as(
      t,
      acme.tokens.admin,
    )({ method: 'POST', url: '/v1/dnc', payload: { phone_number: '+91 99999 11111' } });
  });
  after(() => t.close());

  async function upload(fields: Record<string, string>, name: string, content: Buffer | string) {
    const body = multipart(fields, { name, content });
    const res = await as(t, acme.tokens.supervisor)({ method: 'POST', url: '/v1/imports', ...body });
    assert.equal(res.statusCode, 202, res.body);
    await worker.drain();
    const job = (
      await as(t, acme.tokens.supervisor)({ method: 'GET', url: `/v1/imports/${res.json().id}` })
    ).json();
    const errorsCsv = await as(t, acme.tokens.supervisor)({ method: 'GET', url: job.errors_url });
    assert.equal(errorsCsv.statusCode, 200, errorsCsv.body);
    const report = errorsCsv.body;
    return { job, report: (parseCsv(report, { from_line: 2 }) as string[][]).map((r) => r.join('|')) };
  }

  // BOM, semicolons, a quoted field with a newline and a semicolon, every rejection reason, a DNC
  // number, a duplicate inside the file, and variable columns.
  const csv =
    '\uFEFFPhone Number;First Name;Product;Note\r\n' +
    '98765 43210;Priya;home_loan;"call after 5;\nask for Priya"\r\n' +
    '+91-98765-43211;Ravi;car_loan;\r\n' +
    'not a number;Bad;x;\r\n' +
    ';Empty;x;\r\n' +
    '+999 1234567;Country;x;\r\n' +
    '12;Short;x;\r\n' +
    '+44 9098 790000;Premium;x;\r\n' +
    '+91 55555 55555;Invalid;x;\r\n' +
    '99999 11111;Blocked;x;\r\n' +
    '9876543210;Priya again;home_loan;\r\n' +
    '+1 (212) 555-0100;Nina;card;\r\n';

  test('a CSV with a BOM, semicolons and quoted newlines: good rows in, bad rows reported by line and reason', async () => {
    const { job, report } = await upload({ list_id: list.id }, 'leads.csv', csv);
    assert.equal(job.status, 'completed', job.error);
    assert.deepEqual(job.progress, {
      rows_read: 11,
      accepted: 3,
      updated: 0,
      rejected: 6,
      duplicates: 1,
      dnc: 1,
    });
    const reasons = report.map((l) => {
      const [line, , reason] = l.split('|');
      return `${line}:${reason!.split(':')[0]}`;
    });
    assert.deepEqual(reasons, [
      '5:not_a_number',
      '6:empty',
      '7:invalid_country',
      '8:too_short',
      '9:not_dialable',
      '10:invalid_number',
      '11:dnc',
    ]);
    const contacts = (
      await as(t, acme.tokens.supervisor)({ method: 'GET', url: `/v1/contacts?list_id=${list.id}` })
    ).json().data;
    const priya = contacts.find((c: { first_name: string }) => c.first_name === 'Priya');
    assert.equal(priya.phone_number, '+919876543210');
    assert.deepEqual(priya.variables, { product: 'home_loan' });
    assert.equal(priya.note, 'call after 5;\nask for Priya');
  });

  test('re-running the same file: skip adds nothing, update refreshes, allow duplicates', async () => {
    const skip = (await upload({ list_id: list.id, dedup_policy: 'skip' }, 'leads.csv', csv)).job;
    assert.equal(skip.progress.accepted, 0);
    assert.equal(skip.progress.duplicates, 4);
    const update = (
      await upload({ list_id: list.id, dedup_policy: 'update' }, 'leads.csv', csv.replace('Ravi', 'Ravi K'))
    ).job;
    assert.equal(update.progress.updated, 4);
    const contacts = (
      await as(t, acme.tokens.supervisor)({ method: 'GET', url: `/v1/contacts?list_id=${list.id}` })
    ).json().data;
    assert.equal(contacts.length, 3);
    assert.ok(contacts.some((c: { first_name: string }) => c.first_name === 'Ravi K'));
    const allow = (await upload({ list_id: list.id, dedup_policy: 'allow' }, 'leads.csv', csv)).job;
    assert.equal(allow.progress.accepted, 4);
  });

  test('an XLSX file imports like a CSV, with a column mapping', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Mobile', 'Customer', 'Loan amount', 'Junk']);
    sheet.addRow(['98123 45678', 'Asha', 250000, 'x']);
    sheet.addRow(['bad', 'Nope', 1, 'x']);
    sheet.addRow([9812345679, 'Vikram', 100000, 'x']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const xlsxList = (
      await as(
        t,
        acme.tokens.admin,
      )({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'From Excel' } })
    ).json();
    const { job, report } = await upload(
      {
        list_id: xlsxList.id,
        column_mapping: JSON.stringify({
          Customer: 'first_name',
          'Loan amount': 'var:loan_amount',
          Junk: 'ignore',
        }),
      },
      'leads.xlsx',
      buffer,
    );
    assert.equal(job.status, 'completed', job.error);
    assert.deepEqual([job.progress.accepted, job.progress.rejected], [2, 1]);
    assert.match(report[0]!, /^3\|bad\|not_a_number/);
    const contacts = (
      await as(t, acme.tokens.supervisor)({ method: 'GET', url: `/v1/contacts?list_id=${xlsxList.id}` })
    ).json().data;
    assert.deepEqual(
      contacts.map((c: { first_name: string; variables: object; phone_number: string }) => [
        c.first_name,
        c.phone_number,
        c.variables,
      ]),
      [
        ['Asha', '+919812345678', { loan_amount: '250000' }],
        ['Vikram', '+919812345679', { loan_amount: '100000' }],
      ],
    );
  });

  test('a file without a phone column fails with the reason; a malformed CSV fails with where', async () => {
    const noPhone = (await upload({ list_id: list.id }, 'x.csv', 'name,city\nA,B\n')).job;
    assert.equal(noPhone.status, 'failed');
    assert.match(noPhone.error, /phone column/);
    const broken = (await upload({ list_id: list.id }, 'y.csv', 'phone,name\n9876543212,"unterminated\n'))
      .job;
    assert.equal(broken.status, 'failed');
    assert.match(broken.error, /quote|Quote|closing/i);
  });

  test('another center’s imports and lists are not found', async () => {
    const globex = await seedCenter(t, 'globex');
    const body = multipart({ list_id: list.id }, { name: 'a.csv', content: 'phone\n9876500000\n' });
    const res = await as(t, globex.tokens.admin)({ method: 'POST', url: '/v1/imports', ...body });
    assert.equal(res.statusCode, 404);
    const mine = (await upload({ list_id: list.id }, 'z.csv', 'phone\n9876500001\n')).job;
    assert.equal(
      (await as(t, globex.tokens.admin)({ method: 'GET', url: `/v1/imports/${mine.id}` })).statusCode,
      404,
    );
    assert.equal(
      (await as(t, globex.tokens.admin)({ method: 'GET', url: `/v1/imports/${mine.id}/errors.csv` }))
        .statusCode,
      404,
    );
  });
});

describe('an import survives its worker being killed', () => {
  const rows = 50;
  let handle: DatabaseHandle | undefined;
  let dataDir: string;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-crash-'));
  });
  after(async () => {
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('killed after two batches: after restart the import resumes, nothing is half-imported or doubled', async () => {
    const url = process.env.TEST_DATABASE_URL;
    handle = url ? await freshDatabase() : await connectPglite(path.join(dataDir, 'db'));
    const config = loadConfig({ PASSWORD_HASH_COST: '10', OUTDIAL_DATA_DIR: dataDir });
    const clock = new ManualClock(new Date());
    let deps = await prepareRuntime(handle, config, { clock, ids: systemIds });
    const { center } = await createCenter(deps, {
      shortName: 'crash',
      name: 'Crash',
      defaultCountry: 'IN',
      timeZone: 'Asia/Kolkata',
      admin: { username: 'admin', password: 'long-enough-1' },
    });
    const ctx = systemContext(center.id);
    const list = await createLeadList(deps, ctx, { name: 'Big' });
    const file = path.join(dataDir, 'big.csv');
    const lines = ['phone,first_name'];
    for (let i = 0; i < rows; i++) lines.push(`98${String(10000000 + i).padStart(8, '0')},Row ${i}`);
    lines.push('9810000000,Duplicate of row 0');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const job = await createImport(
      deps,
      ctx,
      {
        destination: { leadListUid: list.uid },
        fileName: 'big.csv',
        dedupPolicy: 'skip',
        dedupScope: 'list',
        columnMapping: {},
      },
      file,
    );

    const dbUrl = url ? (handle.pool!.options as { connectionString: string }).connectionString : undefined;
    if (!url) await handle.close(); // the embedded database belongs to one process at a time
    await runUntilKilled('test/leads/support/crash-worker.ts', {
      KILL_AFTER_BATCHES: '2',
      BATCH_SIZE: '10',
      ...(dbUrl ? { WORKER_DATABASE_URL: dbUrl } : { WORKER_DATA_DIR: path.join(dataDir, 'db') }),
    });

    if (!url) {
      handle = await connectPglite(path.join(dataDir, 'db'));
      deps = await prepareRuntime(handle, config, { clock, ids: systemIds });
    }
    const count = async () =>
      Number(
        (
          await handle!.db
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('import_job_id', '=', job.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const interrupted = await handle.db
      .selectFrom('import_jobs')
      .selectAll()
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    assert.equal(interrupted.status, 'running');
    assert.equal(interrupted.checkpoint_row, 20, 'two whole batches were committed');
    assert.equal(await count(), 20, 'exactly the committed batches are in, no half batch');

    // Another worker cannot take the job while the dead one's lease runs; after it expires it can.
    const rescuer = new ImportWorker(deps, { owner: 'rescuer', batchSize: 10, leaseMs: 60_000 });
    assert.equal(await rescuer.drain(), 0);
    clock.advance(10 * 60_000);
    assert.equal(await rescuer.drain(), 1);
    const done = await handle.db
      .selectFrom('import_jobs')
      .selectAll()
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    assert.equal(done.status, 'completed');
    assert.equal(await count(), rows);
    assert.deepEqual([done.rows_read, done.accepted, done.duplicates, done.rejected], [rows + 1, rows, 1, 0]);
    const phones = await handle.db
      .selectFrom('contacts')
      .select('phone_e164')
      .where('import_job_id', '=', job.id)
      .execute();
    assert.equal(new Set(phones.map((p) => p.phone_e164)).size, rows, 'no number was imported twice');
  });
});
