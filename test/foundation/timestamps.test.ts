import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { parseTimestamptz, TIMESTAMPTZ_OID } from '../../src/db/timestamps.js';

const pgParse = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date | number;

/** The same instant (or the same refusal) as pg's own parser, for the text PostgreSQL sends. */
function assertSameAsPg(text: string) {
  const ours = parseTimestamptz(text);
  const theirs = pgParse(text);
  const value = (d: Date | number) => (d instanceof Date ? d.getTime() : d);
  assert.equal(String(value(ours)), String(value(theirs)), text);
}

describe('timestamptz read by position', () => {
  test('the same Date as pg for every fraction length, offset form and calendar edge', () => {
    const fractions = ['', '.1', '.12', '.123', '.1234', '.12345', '.123456', '.999999', '.000001', '.5'];
    const offsets = ['+00', '-00', '+05:30', '-03:30', '+14', '-12', '+05:53:28', '-00:25:21'];
    const moments = [
      '2026-12-07 09:24:54',
      '1970-01-01 00:00:00',
      '2024-02-29 23:59:59',
      '1000-01-01 00:00:00',
      '9999-12-31 23:59:59',
      '1900-03-01 12:00:00',
    ];
    for (const moment of moments)
      for (const fraction of fractions)
        for (const offset of offsets) assertSameAsPg(`${moment}${fraction}${offset}`);
  });

  test("what it does not read by position is pg's answer", () => {
    for (const text of [
      'infinity',
      '-infinity',
      '0050-06-01 00:00:00+00',
      '0001-01-01 00:00:00+00 BC',
      '10000-01-01 00:00:00+00',
      '2026-12-07 09:24:54Z',
      '2026-12-07T09:24:54+00',
      '2026-12-07 09:24:54.5+05:3',
      '2026-1a-07 09:24:54+00',
    ])
      assertSameAsPg(text);
  });

  test(
    'the text a PostgreSQL server sends, in several session time zones',
    { skip: !process.env.TEST_DATABASE_URL },
    async () => {
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      try {
        for (const zone of [
          'UTC',
          'Asia/Kolkata',
          'America/St_Johns',
          'Europe/Amsterdam',
          'Pacific/Kiritimati',
        ]) {
          await client.query(`set time zone '${zone}'`);
          const { rows } = await client.query<{ t: string }>({
            text: `select (timestamptz '1890-06-01 00:00:00+00' + n * interval '37 days 3 hours 17 minutes 0.123457 seconds')::text as t
                 from generate_series(0, 1500) n
                 union all select now()::text union all select 'infinity'::timestamptz::text`,
          });
          for (const { t } of rows) assertSameAsPg(t);
        }
      } finally {
        await client.end();
      }
    },
  );
});
