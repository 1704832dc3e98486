import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { claimNextImport } from '../../src/repositories/imports.repository.js';
import { ImportWorker } from '../../src/services/imports/import-worker.js';
import { runImport } from '../../src/services/imports/run-import.js';
import { parsePublicId } from '../../src/domain/public-ids.js';
import { multipart } from '../helpers/multipart.js';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

interface ContactView {
  id: string;
  phone_number: string;
  first_name: string;
  last_name: string;
  note: string | null;
  variables: Record<string, string>;
  time_zone: string;
  time_zone_source: string;
  priority: number;
}

describe('import rules: every rejection, dedup scopes and policies, threads, leases, paging', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let worker: ImportWorker;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    worker = new ImportWorker(t.deps, { owner: 'test', batchSize: 4 });
  });
  after(() => t.close());

  const sup = () => as(t, acme.tokens.supervisor);
  const newList = async (name: string) =>
    (await as(t, acme.tokens.admin)({ method: 'POST', url: '/v1/lead-lists', payload: { name } })).json() as {
      id: string;
    };

  /** Queues an import through the API and returns the job id; a worker runs it. */
  async function queue(fields: Record<string, string>, content: string, name = 'leads.csv') {
    const res = await sup()({ method: 'POST', url: '/v1/imports', ...multipart(fields, { name, content }) });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().id as string;
  }

  async function result(id: string) {
    const job = (await sup()({ method: 'GET', url: `/v1/imports/${id}` })).json();
    const errorsCsv = await sup()({ method: 'GET', url: job.errors_url });
    assert.equal(errorsCsv.statusCode, 200, errorsCsv.body);
    const csv = errorsCsv.body;
    return { job, report: parseCsv(csv, { from_line: 2 }) as string[][] };
  }

  async function run(fields: Record<string, string>, content: string, by = worker) {
    const id = await queue(fields, content);
    await by.drain();
    return result(id);
  }

  async function contactsOf(listId: string): Promise<ContactView[]> {
    const res = await sup()({ method: 'GET', url: `/v1/contacts?list_id=${listId}&limit=1000` });
    return res.json().data;
  }

  test('every row-level rejection reason is reported with its line, raw value and reason', async () => {
    const list = await newList('Reasons');
    const long = 'x'.repeat(1025);
    const csv =
      'phone,first_name,priority,max_retries,cool_off,time_zone,product\n' +
      '98765 00001,Good,,,,,loan\n' +
      ',Empty,,,,,\n' +
      'call me,NotANumber,,,,,\n' +
      '+999 1234567,Country,,,,,\n' +
      '12,Short,,,,,\n' +
      '+91 98765 43210 123 456,Long,,,,,\n' +
      '+91 55555 55555,Invalid,,,,,\n' +
      '+44 9098 790000,Premium,,,,,\n' +
      '98765 00002,Priority,high,,,,\n' +
      '98765 00003,Retries,,500,,,\n' +
      '98765 00004,CoolOff,,,-5,,\n' +
      '98765 00005,Zone,,,,Mars/Olympus,\n' +
      `98765 00006,Variables,,,,,${long}\n` +
      '98765 99999,Blocked,,,,,\n' +
      '98765 00007,Fine,7,2,600,Asia/Kolkata,card\n';
    await sup()({ method: 'POST', url: '/v1/dnc', payload: { phone_number: '98765 99999' } });
    const { job, report } = await run({ list_id: list.id }, csv);
    assert.equal(job.status, 'completed', job.error);
    assert.deepEqual(job.progress, {
      rows_read: 15,
      accepted: 2,
      updated: 0,
      rejected: 12,
      duplicates: 0,
      dnc: 1,
    });
    assert.deepEqual(
      // Values starting with + are shown behind an apostrophe (csv-export.ts: no formulas).
      report.map(([line, raw, reason]) => [line, raw!.slice(0, 30), reason!.split(':')[0]]),
      [
        ['3', '', 'empty'],
        ['4', 'call me', 'not_a_number'],
        ['5', "'+999 1234567", 'invalid_country'],
        ['6', '12', 'too_short'],
        ['7', "'+91 98765 43210 123 456", 'too_long'],
        ['8', "'+91 55555 55555", 'invalid_number'],
        ['9', "'+44 9098 790000", 'not_dialable'],
        ['10', 'high', 'invalid_priority'],
        ['11', '500', 'invalid_max_retries'],
        ['12', '-5', 'invalid_cool_off'],
        ['13', 'Mars/Olympus', 'invalid_time_zone'],
        ['14', `{"product":"${'x'.repeat(18)}`, 'invalid_variables'],
        ['15', '98765 99999', 'dnc'],
      ],
    );
    const fine = (await contactsOf(list.id)).find((c) => c.first_name === 'Fine')!;
    assert.deepEqual(
      [fine.phone_number, fine.priority, fine.time_zone, fine.time_zone_source, fine.variables],
      ['+919876500007', 7, 'Asia/Kolkata', 'explicit', { product: 'card' }],
    );
  });

  test('dedup within the campaign: a number in another list of the same campaign is a duplicate', async () => {
    const admin = as(t, acme.tokens.admin);
    const campaign = (
      await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Scope' } })
    ).json();
    const first = await newList('Scope first');
    const second = await newList('Scope second');
    for (const l of [first, second]) {
      await admin({ method: 'PUT', url: `/v1/campaigns/${campaign.id}/lead-lists/${l.id}`, payload: {} });
    }
    const file = 'phone\n98700 00001\n98700 00002\n';
    const into = (list: string, scope: string) =>
      run({ campaign_id: campaign.id, list_id: list, dedup_scope: scope }, file);
    assert.equal((await into(first.id, 'campaign')).job.progress.accepted, 2);
    const sameCampaign = (await into(second.id, 'campaign')).job.progress;
    assert.deepEqual([sameCampaign.accepted, sameCampaign.duplicates], [0, 2]);
    const listOnly = (await into(second.id, 'list')).job.progress;
    assert.deepEqual([listOnly.accepted, listOnly.duplicates], [2, 0]);
    const scopeWithoutCampaign = await sup()({
      method: 'POST',
      url: '/v1/imports',
      ...multipart({ list_id: first.id, dedup_scope: 'campaign' }, { name: 'a.csv', content: file }),
    });
    assert.equal(scopeWithoutCampaign.statusCode, 400);
  });

  test('update: the last row of a number wins, empty cells keep stored values, variables merge', async () => {
    const list = await newList('Updates');
    await run(
      { list_id: list.id },
      'phone,first_name,last_name,note,city\n98711 00001,Asha,Rao,first,Pune\n',
    );
    // Both rows fall in one batch (4 rows): only the later one is applied, as a whole.
    const { job } = await run(
      { list_id: list.id, dedup_policy: 'update' },
      'phone,first_name,last_name,note,plan\n98711 00001,Asha K,,second,gold\n+91 98711 00001,Asha R,,,silver\n',
    );
    assert.deepEqual([job.progress.updated, job.progress.accepted], [2, 0]);
    const [asha] = await contactsOf(list.id);
    assert.deepEqual(
      [asha!.first_name, asha!.last_name, asha!.note, asha!.variables],
      ['Asha R', 'Rao', 'first', { city: 'Pune', plan: 'silver' }],
    );
  });

  test('a reader thread, with or without preparation threads, gives what the main thread gives', async () => {
    const lines = ['phone,first_name,note,product'];
    for (let i = 0; i < 40; i++) {
      const phone =
        i % 9 === 4 ? `bad-${i}` : i % 11 === 5 ? '98722 00003' : `98722 ${String(i).padStart(5, '0')}`;
      lines.push(`${phone},Name ${i},"line one\nline ${i}",p${i % 3}`);
    }
    const file = `${lines.join('\n')}\n`;
    const shape = (cs: ContactView[]) =>
      cs.map((c) => [c.phone_number, c.first_name, c.note, c.variables, c.time_zone, c.time_zone_source]);
    const runs = [];
    for (const threads of [0, 1, 3]) {
      const by = new ImportWorker(t.deps, {
        owner: `t${threads}`,
        batchSize: 6,
        threads,
        threadsFromBytes: 0,
      });
      const list = await newList(`Threads ${threads}`);
      const { job, report } = await run({ list_id: list.id }, file, by);
      assert.equal(job.status, 'completed', job.error);
      runs.push({ progress: job.progress, report, contacts: shape(await contactsOf(list.id)) });
    }
    assert.equal(runs[0]!.contacts.length, runs[0]!.progress.accepted);
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
  });

  test('a file without a phone column fails the same way on a reader thread', async () => {
    const by = new ImportWorker(t.deps, { owner: 'reader', batchSize: 6, threads: 1, threadsFromBytes: 0 });
    const list = await newList('No phone');
    const { job } = await run({ list_id: list.id }, 'name,city\nA,B\n', by);
    assert.equal(job.status, 'failed');
    assert.match(job.error, /phone column/);
    const broken = (await run({ list_id: list.id }, 'phone,name\n9876543212,"unterminated\n', by)).job;
    assert.equal(broken.status, 'failed');
    assert.match(broken.error, /quote|Quote|closing/i);
  });

  test('a stray NUL character in a file is dropped, not fatal', async () => {
    const list = await newList('Nul');
    const { job } = await run(
      { list_id: list.id },
      'phone,first_name,city\n98733 00001,Ra\u0000vi,Pu\u0000ne\n',
    );
    assert.equal(job.status, 'completed', job.error);
    const [ravi] = await contactsOf(list.id);
    assert.deepEqual([ravi!.first_name, ravi!.variables], ['Ravi', { city: 'Pune' }]);
  });

  test('a worker that lost its lease to another writes nothing more', async () => {
    const list = await newList('Lease');
    const rows = Array.from({ length: 12 }, (_, i) => `98744 ${String(i).padStart(5, '0')}`);
    const id = await queue({ list_id: list.id }, `phone\n${rows.join('\n')}\n`);
    const jobId = Number(
      (
        await t.deps.db
          .selectFrom('import_jobs')
          .select('id')
          .where('uid', '=', parsePublicId('importJob', id)!)
          .executeTakeFirstOrThrow()
      ).id,
    );
    const stale = (await claimNextImport(t.deps.db, 'slow', t.clock.now(), 60_000, jobId))!;
    t.clock.advance(5 * 60_000); // the slow worker's lease runs out; another takes the job over
    assert.equal(await worker.drain(), 1);
    await assert.rejects(
      runImport(t.deps, stale, { owner: 'slow', leaseMs: 60_000, batchSize: 4 }),
      // The job ended under the other worker, which deleted its file: nothing left to read.
      /import lease lost|no such file/,
    );
    const { job } = await result(id);
    assert.equal(job.status, 'completed');
    assert.equal(job.progress.accepted, 12);
    assert.equal((await contactsOf(list.id)).length, 12, 'the stale worker added nothing');
  });

  test('key-set pagination misses and repeats nothing while an import is adding contacts', async () => {
    const list = await newList('Paging');
    const rows = Array.from({ length: 60 }, (_, i) => `98755 ${String(i).padStart(5, '0')},Row ${i}`);
    const id = await queue({ list_id: list.id }, `phone,first_name\n${rows.join('\n')}\n`);
    const importing = worker.drain();
    const seen: string[] = [];
    let cursor: string | null = null;
    let done = false;
    void importing.then(() => (done = true));
    let pages = 0;
    for (; pages < 10_000; pages++) {
      const finished = done;
      const page: { data: { id: string }[]; next_cursor: string | null } = (
        await sup()({
          method: 'GET',
          url: `/v1/contacts?list_id=${list.id}&limit=3${cursor ? `&after=${cursor}` : ''}`,
        })
      ).json();
      const ids = page.data.map((c) => c.id);
      if (page.next_cursor) {
        seen.push(...ids);
        cursor = page.next_cursor;
      } else if (finished) {
        seen.push(...ids);
        break;
      }
      // Otherwise: the end of what is committed so far; ask again from the same place.
    }
    assert.ok(pages > 3, 'pages were read while the import ran');
    await importing;
    assert.equal((await result(id)).job.progress.accepted, 60);
    const all = (await contactsOf(list.id)).map((c) => c.id);
    assert.equal(all.length, 60);
    assert.equal(new Set(seen).size, seen.length, 'a contact was repeated');
    assert.deepEqual(seen, all, 'a contact was missed');
  });
});
