import { sql, type Kysely } from 'kysely';
import { numberPrefixZones, timeZoneAliases } from '../../domain/time-zones.js';

/**
 * A contact's zone comes from its number's prefix wherever libphonenumber maps one (not only in
 * single-zone countries), and a prefix may give several zones (`time_zones`: calling hours must
 * hold in each). Stored zones take their canonical IANA names; contacts placed in their center's
 * zone for want of anything better are derived again from their numbers, and only those: an
 * explicit zone stays as given.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const aliases = timeZoneAliases();
  const from = aliases.map(([alias]) => alias);
  const to = aliases.map(([, canonical]) => canonical);
  for (const [table, column] of [
    ['contact_centers', 'time_zone'],
    ['campaigns', 'time_zone'],
    ['contacts', 'time_zone'],
  ] as const) {
    await sql`update ${sql.table(table)} t set ${sql.ref(column)} = a.canonical
      from unnest(${from}::text[], ${to}::text[]) as a(alias, canonical)
      where t.${sql.ref(column)} = a.alias`.execute(db);
  }
  await sql`alter table contacts add column time_zones text[]`.execute(db);
  await sql`update contacts set time_zones = array[time_zone]`.execute(db);
  await sql`alter table contacts alter column time_zones set not null`.execute(db);

  const table = numberPrefixZones();
  const prefixes = table.map(([prefix]) => prefix);
  const zones = table.map(([, z]) => z.join(' '));
  // The longest mapped prefix of each number (E.164 has at most 15 digits), probed by key.
  await sql`create temp table number_prefix_zones (prefix text primary key, zones text[] not null)
    on commit drop`.execute(db);
  await sql`insert into number_prefix_zones
    select p.prefix, string_to_array(p.zones, ' ') from unnest(${prefixes}::text[], ${zones}::text[]) as p(prefix, zones)`.execute(
    db,
  );
  await sql`
    with derived as (
      select c.id, (
        select p.zones from generate_series(15, 1, -1) n
        join number_prefix_zones p on p.prefix = left(substr(c.phone_e164, 2), n)
        order by n desc limit 1) as zones
      from contacts c where c.time_zone_source = 'center_default')
    update contacts c set time_zones = d.zones, time_zone = d.zones[1], time_zone_source = 'number',
      version = c.version + 1
    from derived d where c.id = d.id and d.zones is not null`.execute(db);
}
