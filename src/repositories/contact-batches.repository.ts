import { sql, type RawBuilder } from 'kysely';
import type { BulkTransaction } from '../db/bulk-session.js';
import type { DedupPolicy, DedupScope } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import type { NewContact } from './contacts.repository.js';
import { PG_TYPE, ROW_COLUMNS, STAGE, STAGE_COLUMNS } from './contact-stage.js';

/** Where a batch of contacts goes; these are the same for every row of a batch. */
export interface BatchTarget {
  leadListId: number;
  campaignId: number | null;
  importJobId: number | null;
}

export interface BatchRule {
  policy: DedupPolicy;
  scope: DedupScope;
}

/** What became of one row, in the order given. */
export type RowOutcome =
  | { kind: 'created'; id: number; uid: string }
  | { kind: 'updated'; id: number }
  | { kind: 'duplicate'; id: number | null }
  | { kind: 'dnc' };

/** A staged batch's counts: the rest of its valid rows were duplicates. */
export interface StagedCounts {
  created: number;
  /** Valid rows whose number is already stored in the dedup target (updated or duplicate by policy). */
  matched: number;
  dnc: number;
}

/** Growth below this many pages (8 KB each, about a thousand contacts) never calls for fresh statistics. */
const GROWTH_SLACK_PAGES = 32;

/**
 * Rows written since the last ANALYZE below this never call for fresh statistics for one list or
 * campaign: a target this small costs milliseconds even when the planner walks all of it.
 */
const LIST_GROWTH_SLACK_ROWS = 10_000;

export const DNC_REASON = 'dnc: the number is on a do-not-call list';

/**
 * Writes batches of contacts: do-not-call numbers refused, duplicates (within the batch or already
 * stored in the list or campaign) skipped, updated or allowed per the rule, the rest inserted in
 * file order, all in one statement. The caller holds ContactsRepository.lockInserts().
 */
export class ContactBatchesRepository {
  constructor(private readonly scope: TenantScope) {}

  /**
   * Creates this connection's staging table, once per bulk session (in a transaction of its own,
   * so a later batch rolling back keeps it). Rows staged in a transaction vanish at its commit.
   */
  async createStage(tx: BulkTransaction): Promise<void> {
    await sql
      .raw(
        `create temp table if not exists contact_stage (ord integer, rejection text, raw_value text, ` +
          `${ROW_COLUMNS.map((c) => `${c} ${PG_TYPE[c]}`).join(', ')}) on commit delete rows`,
      )
      .execute(tx.trx);
  }

  /**
   * Brings the planner's statistics of contacts up to date. An import grows the table faster than
   * autovacuum analyzes it; with statistics from when the list was small, the dedup probe looks as
   * cheap walking the list's (lead_list_id, id) index as probing (lead_list_id, phone_e164, id),
   * and the walk reads the whole list for every row.
   */
  async refreshStatistics(tx: BulkTransaction): Promise<void> {
    await sql`analyze contacts`.execute(tx.trx);
  }

  /**
   * Brings the planner's statistics of contacts up to date when the table has more than doubled
   * since they were taken, or when the list (or campaign) just added to may have: more rows were
   * written since the last ANALYZE than the planner believes the target holds. PostgreSQL's
   * autovacuum may lag a burst of adds; PGlite has none. A new list grown inside a large table is
   * the case the table-wide rule misses: the statistics know nothing of it, so the planner takes it
   * for a handful of rows however large it grows, and may walk all of it for every batch (issue
   * 24). Costs one catalog read per add, a plan estimate once more than LIST_GROWTH_SLACK_ROWS rows
   * were written since the last ANALYZE, and an ANALYZE per doubling of a target. Table sizes are
   * in pages, read from the file's size, which no statistics can make stale.
   */
  async refreshStatisticsIfGrown(target: {
    column: 'lead_list_id' | 'campaign_id';
    id: number;
  }): Promise<boolean> {
    const { rows } = await sql<{ analyzed: number; now: number; tuples: number; modified: number | null }>`
      select c.relpages as analyzed, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as now,
        c.reltuples::float8 as tuples,
        (select s.n_mod_since_analyze from pg_stat_user_tables s where s.relid = c.oid)::int as modified
      from pg_class c where c.oid = 'contacts'::regclass`.execute(this.scope.db);
    const table = rows[0]!;
    // Rows written since the last ANALYZE: the statistics collector's count, or (PGlite, whose count
    // stays 0) the pages added since, at the rows per page the ANALYZE saw.
    const rowsPerPage = table.analyzed > 0 && table.tuples > 0 ? table.tuples / table.analyzed : 0;
    const written = Math.max(table.modified ?? 0, (table.now - table.analyzed) * rowsPerPage);
    let stale = table.now > 2 * table.analyzed + GROWTH_SLACK_PAGES;
    if (!stale && written > LIST_GROWTH_SLACK_ROWS) {
      const plan = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`
        explain (format json) select 1 from contacts
        where ${sql.ref(target.column)} = ${sql.lit(target.id)} and removed_at is null`.execute(
        this.scope.db,
      );
      stale = written > plan.rows[0]!['QUERY PLAN'][0].Plan['Plan Rows'];
    }
    if (!stale) return false;
    await sql`analyze contacts`.execute(this.scope.db);
    return true;
  }

  /** Sends a batch (encoded by contact-stage.ts, UTF-8) into the staging table with one COPY. */
  async stage(tx: BulkTransaction, data: readonly Uint8Array[]): Promise<void> {
    await tx.copyIn(`${STAGE} (${STAGE_COLUMNS.join(', ')})`, data);
  }

  /**
   * Writes the staged batch of an import; refused rows (staged with their reason) and do-not-call
   * rows go to the job's error report in the same statement. Returns the counts.
   */
  async writeStaged(target: BatchTarget & { importJobId: number }, rule: BatchRule, now: Date) {
    const source = sql`(select ord, ${sql.join(ROW_COLUMNS.map((c) => sql.ref(c)))} from ${sql.raw(STAGE)} where rejection is null)`;
    const errors = sql`, errors as (
      insert into import_job_errors (contact_center_id, import_job_id, line, raw_value, reason)
      select ${this.scope.contactCenterId}::bigint, ${target.importJobId}::bigint, st.ord, coalesce(st.raw_value, st.phone_raw),
        coalesce(st.rejection, ${DNC_REASON})
      from ${sql.raw(STAGE)} st where st.rejection is not null or st.ord in (select ord from blocked))`;
    const result = await sql<StagedCounts>`${this.statement(source, target, rule, now, errors)}
      select (select count(*) from inserted)::int as created, (select count(*) from matched)::int as matched,
        (select count(*) from blocked)::int as dnc`.execute(this.scope.db);
    return result.rows[0]!;
  }

  /** Writes contacts given in a request (no staging table); one outcome per row, in order. */
  async writeRows(
    rows: NewContact[],
    target: BatchTarget,
    rule: BatchRule,
    now: Date,
  ): Promise<RowOutcome[]> {
    if (rows.length === 0) return [];
    const arrays = ROW_COLUMNS.map(
      (c) =>
        sql`${rows.map((r) =>
          c === 'variables'
            ? JSON.stringify(r.variables)
            : c === 'time_zones'
              ? r.time_zones.join(' ')
              : r[c],
        )}::${sql.raw(PG_TYPE[c])}[]`,
    );
    const source = sql`(select * from unnest(${rows.map((_, i) => i)}::integer[], ${sql.join(arrays)})
      as u(ord, ${sql.join(ROW_COLUMNS.map((c) => sql.ref(c)))}))`;
    const result = await sql<{
      ord: number;
      dnc: boolean;
      matched_id: number | null;
      created_id: number | null;
      created_uid: string | null;
    }>`${this.statement(source, target, rule, now, sql``)}
      select s.ord, s.blocked as dnc, case when not s.blocked then s.match_id end as matched_id,
        i.id as created_id, i.uid as created_uid
      from s left join inserted i on i.uid = s.uid
      order by s.ord`.execute(this.scope.db);
    return result.rows.map((r): RowOutcome => {
      if (r.dnc) return { kind: 'dnc' };
      if (r.matched_id !== null)
        return rule.policy === 'update'
          ? { kind: 'updated', id: r.matched_id }
          : { kind: 'duplicate', id: r.matched_id };
      if (r.created_id !== null) return { kind: 'created', id: r.created_id, uid: r.created_uid! };
      return { kind: 'duplicate', id: null };
    });
  }

  /**
   * The common statement. CTE `s` is the batch, each row with `blocked` (its number is on a
   * do-not-call list) and `match_id` (the stored contact it duplicates); then `blocked`,
   * `matched`, `inserted`, and for the update policy `updated`.
   */
  private statement(
    source: RawBuilder<unknown>,
    target: BatchTarget,
    rule: BatchRule,
    now: Date,
    extra: RawBuilder<unknown>,
  ): RawBuilder<unknown> {
    const center = this.scope.contactCenterId;
    const cols = sql.join(ROW_COLUMNS.map((c) => sql.ref(c)));
    const fromBatch = sql.join(
      ROW_COLUMNS.map((c) =>
        c === 'uid'
          ? sql`coalesce(f.uid, gen_random_uuid())`
          : c === 'time_zones'
            ? sql`string_to_array(f.time_zones, ' ')`
            : sql.ref(`f.${c}`),
      ),
    );
    const dncScope =
      target.campaignId === null
        ? sql`d.campaign_id is null`
        : sql`(d.campaign_id is null or d.campaign_id = ${target.campaignId})`;
    const sameTarget =
      rule.scope === 'campaign' && target.campaignId !== null
        ? sql`c.campaign_id = ${target.campaignId}`
        : sql`c.lead_list_id = ${target.leadListId}`;
    // The do-not-call look-up is a correlated subquery, one index probe per row, made once (the CTE
    // is materialized). The dedup match is one semi-join of the whole batch (`stored`, materialized):
    // however stale the statistics, its worst plan reads the target list once per batch and hashes
    // the batch, where a probe per row (or `= any(array)`, compared element by element) could walk
    // the whole list for every row (issue 24). The match is the earliest live contact with the
    // number in the dedup target.
    const stored =
      rule.policy === 'allow'
        ? sql``
        : sql`stored as materialized (
            select distinct on (c.phone_e164) c.phone_e164, c.id from contacts c
            where c.phone_e164 in (select b.phone_e164 from batch b)
              and ${sameTarget} and c.removed_at is null and c.contact_center_id = ${center}
            order by c.phone_e164, c.id),`;
    const matchId = rule.policy === 'allow' ? sql`null::bigint` : sql`m.id`;
    const matchJoin =
      rule.policy === 'allow' ? sql`` : sql`left join stored m on m.phone_e164 = b.phone_e164`;
    // What is inserted: every row not blocked (allow), or the first row of each number not stored.
    const fresh =
      rule.policy === 'allow'
        ? sql`fresh as (select * from s where not s.blocked)`
        : sql`fresh as (
            select distinct on (s.phone_e164) s.* from s where not s.blocked and s.match_id is null
            order by s.phone_e164, s.ord)`;
    // Several rows of one batch updating the same contact: the last one wins, once. The file's
    // values replace the details; empty cells keep stored values; variables are merged.
    const updated =
      rule.policy === 'update'
        ? sql`, updated as (
            update contacts c set
              first_name = coalesce(nullif(u.first_name, ''), c.first_name),
              last_name = coalesce(nullif(u.last_name, ''), c.last_name), variables = c.variables || u.variables,
              ticket_id = coalesce(u.ticket_id, c.ticket_id), note = coalesce(u.note, c.note),
              type = coalesce(u.type, c.type), priority = u.priority,
              max_retries = coalesce(u.max_retries, c.max_retries),
              cool_off_seconds = coalesce(u.cool_off_seconds, c.cool_off_seconds),
              time_zone = u.time_zone, time_zone_source = u.time_zone_source,
              time_zones = string_to_array(u.time_zones, ' '), phone_raw = u.phone_raw,
              version = c.version + 1, updated_at = ${now}::timestamptz
            from (select distinct on (m.id) m.id as contact_id, s.* from matched m join s on s.ord = m.ord
                  order by m.id, s.ord desc) u
            where c.id = u.contact_id and c.contact_center_id = ${center})`
        : sql``;
    return sql`with batch as materialized (select * from ${source} b),
      ${stored}
      s as materialized (
        select b.*, (
            select true from dnc_entries d
            where d.contact_center_id = ${center} and d.phone_e164 = b.phone_e164 and ${dncScope} limit 1
          ) is not null as blocked,
          ${matchId} as match_id
        from batch b ${matchJoin}),
      blocked as (select s.ord from s where s.blocked),
      matched as (select s.ord, s.match_id as id from s where not s.blocked and s.match_id is not null),
      ${fresh},
      inserted as (
        insert into contacts (contact_center_id, lead_list_id, campaign_id, import_job_id, status, ${cols},
          created_at, updated_at)
        select ${center}::bigint, ${target.leadListId}::bigint, ${target.campaignId}::bigint,
          ${target.importJobId}::bigint, 'new', ${fromBatch},
          ${now}::timestamptz, ${now}::timestamptz
        from fresh f order by f.ord
        returning id, uid)
      ${updated}${extra}`;
  }
}
