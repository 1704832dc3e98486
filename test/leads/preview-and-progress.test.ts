import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Workbook } from '@cj-tech-master/excelts';
import { multipart } from '../helpers/multipart.js';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

describe('import preview', () => {
  let t: TestApp;
  let acme: SeededCenter;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
  });
  after(() => t.close());

  async function preview(name: string, content: Buffer | string, fields: Record<string, string> = {}) {
    return as(
      t,
      acme.tokens.supervisor,
    )({ method: 'POST', url: '/v1/imports/preview', ...multipart(fields, { name, content }) });
  }

  test('the first rows of a CSV, each column’s target, and which rows the import would refuse and why', async () => {
    const csv =
      '\uFEFFPhone Number;First Name;Product\r\n' +
      '98765 43210;Priya;home_loan\r\n' +
      'not a number;Bad;x\r\n' +
      '"+91 98765 43211";"Ravi; jr";car_loan\r\n';
    const res = await preview('leads.csv', csv);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.file_name, 'leads.csv');
    assert.deepEqual(body.header, ['Phone Number', 'First Name', 'Product']);
    assert.deepEqual(
      body.columns.map((c: { target: string }) => c.target),
      ['phone', 'first_name', 'var:product'],
    );
    assert.deepEqual(body.problems, []);
    assert.equal(body.estimated_rows, 3);
    assert.equal(body.exact_row_count, true);
    assert.deepEqual(
      body.rows.map(
        (r: { line: number; result: { status: string; phone_number: string; reason: string } }) => [
          r.line,
          r.result.status,
          r.result.phone_number ?? r.result.reason,
        ],
      ),
      [
        [2, 'ok', '+919876543210'],
        [3, 'rejected', 'not_a_number'],
        [4, 'ok', '+919876543211'],
      ],
    );
    assert.deepEqual(body.rows[2].cells, ['+91 98765 43211', 'Ravi; jr', 'car_loan']);
  });

  test('a mapping is applied; one without a phone column is reported with the suggested targets', async () => {
    const csv = 'mobile,name,city\n9876543210,Priya,Pune\n';
    const mapped = (
      await preview('a.csv', csv, {
        column_mapping: JSON.stringify({ city: 'ignore', name: 'var:customer' }),
      })
    ).json();
    assert.deepEqual(
      mapped.columns.map((c: { target: string }) => c.target),
      ['phone', 'var:customer', 'ignore'],
    );
    const broken = (
      await preview('a.csv', csv, { column_mapping: JSON.stringify({ mobile: 'ignore' }) })
    ).json();
    assert.match(broken.problems.join(' '), /phone column/);
    assert.deepEqual(
      broken.columns.map((c: { target: string }) => c.target),
      ['phone', 'first_name', 'var:city'],
    );
    assert.equal(broken.rows[0].result, null);
    const bad = await preview('a.csv', csv, { column_mapping: '[1,2]' });
    assert.equal(bad.statusCode, 400);
  });

  test('a file without a header: its first row is data and columns are named by position', async () => {
    const body = (await preview('raw.csv', '9876543210,Priya\n9876543211,Ravi\n')).json();
    assert.equal(body.header, null);
    assert.deepEqual(
      body.columns.map((c: { position: number; name: string; target: string }) => [
        c.position,
        c.name,
        c.target,
      ]),
      [
        [1, 'column_1', 'phone'],
        [2, 'column_2', 'ignore'],
      ],
    );
    assert.deepEqual(
      body.rows.map((r: { line: number }) => r.line),
      [1, 2],
    );
  });

  test('a CSV larger than the sample: only its beginning is read, a cut last row is dropped, the size estimates the rows', async () => {
    const rows = Array.from(
      { length: 20000 },
      (_, i) => `98${String(76500000 + i).padStart(8, '0')},Name ${String(i).padStart(5, '0')}`,
    );
    const csv = `phone,name\n${rows.join('\n')}\n`;
    const body = (await preview('big.csv', csv, { rows: '3' })).json();
    assert.equal(body.rows.length, 3);
    assert.equal(body.exact_row_count, false);
    assert.ok(Math.abs(body.estimated_rows - 20000) < 100, `estimate ${body.estimated_rows}`);
    // A client may send only the beginning and say how large the file is.
    const head = Buffer.from(csv).subarray(0, 50_000);
    const sampled = (await preview('big.csv', head, { file_size: String(Buffer.byteLength(csv)) })).json();
    assert.equal(sampled.exact_row_count, false);
    assert.ok(Math.abs(sampled.estimated_rows - 20000) < 100, `estimate ${sampled.estimated_rows}`);
    const cut = (await preview('cut.csv', 'phone,name\n9876543210,A\n98765', { file_size: '1000' })).json();
    assert.deepEqual(
      cut.rows.map((r: { cells: string[] }) => r.cells[0]),
      ['9876543210'],
    );
  });

  test('XLSX: the first sheet’s first rows', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Mobile', 'Name', 'Amount']);
    for (let i = 0; i < 30; i++) sheet.addRow([`98765432${String(i).padStart(2, '0')}`, `N${i}`, i * 10]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const body = (await preview('leads.xlsx', buffer)).json();
    assert.equal(body.format, 'xlsx');
    assert.deepEqual(body.header, ['Mobile', 'Name', 'Amount']);
    assert.equal(body.rows.length, 10);
    assert.equal(body.rows[0].result.phone_number, '+919876543200');
    assert.deepEqual(body.rows[1].cells, ['9876543201', 'N1', '10']);
    assert.equal(body.estimated_rows, null);
  });

  test('unreadable and unsupported files are refused clearly; agents may not preview', async () => {
    const pdf = await preview('leads.pdf', 'x');
    assert.equal(pdf.statusCode, 400);
    assert.match(pdf.body, /CSV or XLSX/);
    const broken = await preview('leads.xlsx', 'this is not a zip');
    assert.equal(broken.statusCode, 400);
    assert.match(broken.body, /cannot be read/);
    const agent = await as(
      t,
      acme.tokens.agent,
    )({
      method: 'POST',
      url: '/v1/imports/preview',
      ...multipart({}, { name: 'a.csv', content: 'phone\n9876543210\n' }),
    });
    assert.equal(agent.statusCode, 403);
  });
});

describe('campaign progress', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let globex: SeededCenter;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    globex = await seedCenter(t, 'globex');
  });
  after(() => t.close());

  test('contacts by status per campaign and per list, over the lists each campaign dials, in one answer', async () => {
    const admin = as(t, acme.tokens.admin);
    const ok = async (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
      const res = await admin({ method, url, ...(payload ? { payload } : {}) });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.body}`);
      return res.json();
    };
    const renewals = await ok('POST', '/v1/campaigns', { name: 'Renewals' });
    const winback = await ok('POST', '/v1/campaigns', { name: 'Winback' });
    const empty = await ok('POST', '/v1/campaigns', { name: 'Empty' });
    const shared = await ok('POST', '/v1/lead-lists', { name: 'Shared' });
    const own = await ok('POST', '/v1/lead-lists', { name: 'Own' });
    await ok('PUT', `/v1/campaigns/${renewals.id}/lead-lists/${shared.id}`, {});
    await ok('PUT', `/v1/campaigns/${renewals.id}/lead-lists/${own.id}`, {});
    await ok('PUT', `/v1/campaigns/${winback.id}/lead-lists/${shared.id}`, {});
    const add = (list: string, phone: string) =>
      ok('POST', '/v1/contacts', { list_id: list, phone_number: phone });
    await add(shared.id, '9876543210');
    const done = await add(shared.id, '9876543211');
    await ok('PATCH', `/v1/contacts/${done.id}`, { status: 'completed' });
    await add(own.id, '9876543212');
    const gone = await add(own.id, '9876543213');
    await ok('DELETE', `/v1/contacts/${gone.id}`);

    const res = await as(
      t,
      acme.tokens.supervisor,
    )({
      method: 'GET',
      url: `/v1/campaigns/progress?campaign_id=${renewals.id}&campaign_id=${winback.id}&campaign_id=${empty.id}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const [r, w, e] = res.json().data;
    assert.equal(r.campaign_id, renewals.id);
    assert.equal(r.total, 3);
    assert.deepEqual(r.contacts_by_status, { new: 2, completed: 1 });
    const byList = Object.fromEntries(
      r.lists.map((l: { list_id: string; contacts_by_status: object }) => [l.list_id, l.contacts_by_status]),
    );
    assert.deepEqual(byList, { [shared.id]: { new: 1, completed: 1 }, [own.id]: { new: 1 } });
    assert.deepEqual([w.total, w.contacts_by_status], [2, { new: 1, completed: 1 }]);
    assert.deepEqual([e.campaign_id, e.total, e.lists], [empty.id, 0, []]);

    const all = (
      await as(t, acme.tokens.supervisor)({ method: 'GET', url: '/v1/campaigns/progress' })
    ).json();
    assert.deepEqual(
      all.data.map((p: { total: number }) => p.total),
      [3, 2, 0],
    );
    const one = (
      await as(
        t,
        acme.tokens.supervisor,
      )({ method: 'GET', url: `/v1/campaigns/progress?campaign_id=${winback.id}` })
    ).json();
    assert.equal(one.data.length, 1);

    // Another center's campaign is not found, and an agent may not read reports.
    const foreign = await as(
      t,
      globex.tokens.admin,
    )({
      method: 'GET',
      url: `/v1/campaigns/progress?campaign_id=${renewals.id}`,
    });
    assert.equal(foreign.statusCode, 404);
    const agent = await as(t, acme.tokens.agent)({ method: 'GET', url: '/v1/campaigns/progress' });
    assert.equal(agent.statusCode, 403);
  });
});
