import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { CALL_RESULT_COUNTERS, type CallResultCounter } from '../domain/stats-buckets.js';

/** Today's call counters of a campaign (public id), and its calls under way. */
export type CampaignFigures = Record<CallResultCounter, number> & {
  campaign: string;
  in_flight: number;
  claims_held: number;
};

export interface OperationalFigures {
  /** Today's counts (the campaign's own day) of every campaign not finished, by public id. */
  campaigns: CampaignFigures[];
  agentsByState: { state: string; n: number }[];
  engineNodesAlive: number;
  /** Claims past their lease (a process stopped renewing), not yet returned to the pool. */
  claimsLeaseExpired: number;
  importRows: { accepted: number; updated: number; rejected: number; duplicates: number; dnc: number };
  webhookAttempts: { outcome: string; n: number }[];
  outboxBacklog: number;
  outboxOldestPendingSeconds: number;
}

/**
 * What /metrics shows of the dialer and the jobs, read across every center at scrape time (so every
 * process shows the same figures). Labels are campaigns (bounded: only campaigns not finished) and
 * fixed words, never contacts.
 */
export async function readOperationalFigures(
  db: Executor,
  now: Date,
  engineLeaseMs: number,
): Promise<OperationalFigures> {
  const campaigns = await sql<CampaignFigures>`
    select 'cmp_' || replace(c.uid::text, '-', '') as campaign,
      ${sql.join(CALL_RESULT_COUNTERS.map((c) => sql`coalesce(sum(${sql.ref(`s.${c}`)}), 0)::int as ${sql.ref(c)}`))},
      (select count(*)::int from call_logs l where l.campaign_id = c.id and l.ended_at is null) as in_flight,
      (select count(*)::int from contacts x
        where x.status = 'in_progress' and x.claimed_for_campaign_id = c.id) as claims_held
    from campaigns c
    left join campaign_stats s on s.campaign_id = c.id
      and s.bucket_start >= (date_trunc('day', ${now}::timestamptz at time zone c.time_zone) at time zone c.time_zone)
    where c.status not in ('completed', 'stopped') and c.archived_at is null
    group by c.id, c.uid
    order by c.id`.execute(db);
  const agents = await sql<{ state: string; n: number }>`
    select state, count(*)::int as n from agent_sessions where state <> 'logged_out' group by state`.execute(
    db,
  );
  const nodes = await sql<{ n: number }>`
    select count(*)::int as n from engine_nodes
    where heartbeat_at > ${new Date(now.getTime() - engineLeaseMs)}::timestamptz`.execute(db);
  // Claims are few (read-ahead and calls under way): both counts read the partial index of claims.
  const expired = await sql<{ n: number }>`
    select count(*)::int as n from contacts
    where status = 'in_progress' and lease_expires_at < ${now}::timestamptz`.execute(db);
  const imports = await sql<OperationalFigures['importRows']>`
    select coalesce(sum(accepted), 0)::int as accepted, coalesce(sum(updated), 0)::int as updated,
      coalesce(sum(rejected), 0)::int as rejected, coalesce(sum(duplicates), 0)::int as duplicates,
      coalesce(sum(dnc), 0)::int as dnc
    from import_jobs`.execute(db);
  const attempts = await sql<{ outcome: string; n: number }>`
    select outcome, count(*)::int as n from webhook_attempts group by outcome`.execute(db);
  const backlog = await sql<{ n: number; oldest: Date | null }>`
    select count(*)::int as n, min(created_at) as oldest from webhook_deliveries where state = 'pending'`.execute(
    db,
  );
  const oldest = backlog.rows[0]?.oldest;
  return {
    campaigns: campaigns.rows,
    agentsByState: agents.rows,
    engineNodesAlive: nodes.rows[0]?.n ?? 0,
    claimsLeaseExpired: expired.rows[0]?.n ?? 0,
    importRows: imports.rows[0]!,
    webhookAttempts: attempts.rows,
    outboxBacklog: backlog.rows[0]?.n ?? 0,
    outboxOldestPendingSeconds: oldest ? Math.max(0, (now.getTime() - new Date(oldest).getTime()) / 1000) : 0,
  };
}
