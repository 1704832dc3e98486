import { sql, type Kysely } from 'kysely';

/**
 * The integer ids Exotel's dialect and the native `numeric_id` fields show are numbered per
 * contact center (1, 2, … in each), so a tenant no longer reads from the gaps between its own ids
 * how many processes, campaigns or lists the server's other centers created. The tables' keys stay
 * as they are; the number is a column of its own, unique per center.
 *
 * Numbers are given by a trigger from a per-center counter row, in the inserting transaction:
 * every insert path (the repositories' own, a bulk statement, a future one) is numbered, concurrent
 * inserts in one center wait on the counter row and never share a number, and a rolled-back insert
 * gives its number back. Existing rows are numbered per center in key order.
 *
 * The center's own integer id (Exotel's `contextId`/`contactCenterId`, Qvoice's numeric
 * X-Account-ID) cannot be numbered within itself, and as a serial key it tells each tenant how
 * many centers the server held when it was made. It becomes `public_number`: a random nine-digit
 * number for centers created from now on (drawn by create-center), and the old key for existing
 * centers, whose integrators have that number configured and must keep working.
 */
const NUMBERED_TABLES = [
  'processes',
  'campaigns',
  'lead_lists',
  'campaign_lead_lists',
  'campaign_users',
  'campaign_lead_list_users',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table center_number_counters (
      contact_center_id bigint not null references contact_centers(id),
      table_name text not null,
      last_number bigint not null,
      primary key (contact_center_id, table_name)
    )`.execute(db);

  // One statement (the body's semicolons are PL/pgSQL's), so not through runStatements.
  await sql`create function assign_number_in_center() returns trigger language plpgsql as $$
    begin
      insert into center_number_counters as c (contact_center_id, table_name, last_number)
        values (new.contact_center_id, tg_table_name, 1)
        on conflict (contact_center_id, table_name) do update set last_number = c.last_number + 1
        returning c.last_number into new.number_in_center;
      return new;
    end
    $$`.execute(db);

  await sql`alter table contact_centers add column public_number bigint`.execute(db);
  await sql`update contact_centers set public_number = id`.execute(db);
  await sql`alter table contact_centers alter column public_number set not null`.execute(db);
  await sql`create unique index contact_centers_public_number on contact_centers (public_number)`.execute(db);

  for (const table of NUMBERED_TABLES) {
    const t = sql.table(table);
    await sql`alter table ${t} add column number_in_center bigint`.execute(db);
    await sql`update ${t} r set number_in_center = n.number
      from (select id, row_number() over (partition by contact_center_id order by id) as number from ${t}) n
      where r.id = n.id`.execute(db);
    await sql`alter table ${t} alter column number_in_center set not null`.execute(db);
    await sql`create unique index ${sql.id(`${table}_number_in_center`)}
      on ${t} (contact_center_id, number_in_center)`.execute(db);
    await sql`insert into center_number_counters (contact_center_id, table_name, last_number)
      select contact_center_id, ${table}, max(number_in_center) from ${t} group by contact_center_id`.execute(
      db,
    );
    await sql`create trigger ${sql.id(`${table}_number_in_center`)} before insert on ${t}
      for each row execute function assign_number_in_center()`.execute(db);
  }
}
