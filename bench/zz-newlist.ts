// SCRATCH: does a new list in a large table plan its dedup well?
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { benchCenter, freshPostgres } from './support.js';
const scratch = await freshPostgres('outdial_zz_newlist', 2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-'));
try {
  const { center } = await benchCenter(scratch.handle, dir);
  const pool = scratch.handle.pool!;
  const mk = async (name: string) => (await pool.query(`insert into lead_lists (uid, contact_center_id, name, number_in_center, created_at, updated_at) values (gen_random_uuid(), $1, $2, (select coalesce(max(number_in_center),0)+1 from lead_lists where contact_center_id=$1), now(), now()) returning id`, [center.id, name])).rows[0].id;
  const a = await mk('A'); const b = await mk('B');
  const ins = (list: number, from: number, n: number) => pool.query(`insert into contacts (uid, contact_center_id, lead_list_id, phone_e164, phone_raw, first_name, last_name, variables, time_zone, time_zones, time_zone_source, status, created_at, updated_at)
    select gen_random_uuid(), $1, $2, '+9198' || lpad(g::text, 8, '0'), '+9198' || lpad(g::text, 8, '0'), 'x', '', '{}', 'Asia/Kolkata', '{Asia/Kolkata}', 'number', 'new', now(), now() from generate_series($3::int, $3::int + $4::int - 1) g`, [center.id, list, from, n]);
  await ins(a, 0, 200_000); await pool.query('analyze contacts');
  const q = (list: number, from: number) => pool.query(`explain (analyze, buffers, costs) select distinct on (c.phone_e164) c.phone_e164, c.id from contacts c
      where c.phone_e164 in (select unnest(array(select '+9198' || lpad(g::text, 8, '0') from generate_series($3::int, $3::int + 4999) g)))
      and c.lead_list_id = $2 and c.removed_at is null and c.contact_center_id = $1 order by c.phone_e164, c.id`, [center.id, list, from]);
  for (let size = 0; size <= 400_000; size += 100_000) {
    if (size > 0) await ins(b, 1_000_000 + size - 100_000, 100_000);
    const r = await q(b, 1_000_000 + size);
    console.log(`--- new list holds ${size}`); console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
  }
} finally { await scratch.drop(); fs.rmSync(dir, { recursive: true, force: true }); }
