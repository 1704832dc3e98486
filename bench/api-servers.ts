// The two servers bench/api.ts loads, in a process of their own so that their CPU is theirs and not
// the load generator's: Outdial's real app, and a minimal Fastify server answering the same URLs
// with the same bytes from the same database, behind the same credential check, running only the
// SQL an answer needs (one statement per read, ids joined, columns listed). Both use pg, whose
// Client.query is counted here: statements per request. Talks to its parent over IPC.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { connectPostgres } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { prepareRuntime } from '../src/runtime.js';
import { authenticate } from '../src/services/auth/authenticate.js';
import { hexOfUuid, parsePublicId, toPublicId, uuidOfHex } from '../src/domain/public-ids.js';
import { dialnexaLeadStatus, qvoiceLeadStatus } from '../src/domain/status-words.js';
import { callStatusWord } from '../src/domain/call-status.js';

const POOL = Number(process.env.BENCH_POOL ?? 10);
const url = process.env.BENCH_DATABASE_URL!;
const dataDir = process.env.BENCH_DATA_DIR!;

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const handle = connectPostgres(url, POOL);
const config = loadConfig({ OUTDIAL_DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' });
const deps = await prepareRuntime(handle, config);
const outdial = await buildApp({ deps, loginRateLimitPerMinute: 1000 });

const pool = new pg.Pool({ connectionString: url, max: POOL });
const minimal = Fastify({ logger: false });

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const bearer = (request: FastifyRequest) =>
  /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];

/** The same credential check as Outdial's (an API key: one look-up by its hash). */
async function centerOf(request: FastifyRequest): Promise<number | undefined> {
  const credential = bearer(request);
  const principal = credential ? await authenticate(deps, credential) : undefined;
  return principal?.contactCenterId;
}

const CONTACT_COLUMNS = `c.id, c.uid, l.uid as list_uid, cp.uid as campaign_uid, c.phone_e164, c.phone_raw,
  c.phone_country, c.first_name, c.last_name, c.variables, c.ticket_id, c.note, c.type, c.priority, c.max_retries,
  c.cool_off_seconds, c.time_zone, c.time_zones, c.time_zone_source, c.status, c.attempts, c.next_attempt_at,
  c.last_attempt_at, c.last_outcome, c.callback_at, c.removed_at, c.version, c.created_at, c.updated_at`;
const CONTACT_FROM = `contacts c join lead_lists l on l.id = c.lead_list_id
  left join campaigns cp on cp.id = c.campaign_id`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows straight from pg
function contactJson(c: any) {
  return {
    id: toPublicId('contact', c.uid),
    numeric_id: Number(c.id),
    list_id: toPublicId('leadList', c.list_uid),
    campaign_id: c.campaign_uid ? toPublicId('campaign', c.campaign_uid) : null,
    phone_number: c.phone_e164,
    phone_raw: c.phone_raw,
    phone_country: c.phone_country,
    first_name: c.first_name,
    last_name: c.last_name,
    variables: c.variables,
    ticket_id: c.ticket_id,
    note: c.note,
    type: c.type,
    priority: c.priority,
    max_retries: c.max_retries,
    cool_off_seconds: c.cool_off_seconds,
    time_zone: c.time_zone,
    time_zones: c.time_zones,
    time_zone_source: c.time_zone_source,
    status: c.status,
    attempts: c.attempts,
    next_attempt_at: iso(c.next_attempt_at),
    last_attempt_at: iso(c.last_attempt_at),
    last_outcome: c.last_outcome,
    callback_at: iso(c.callback_at),
    removed_at: iso(c.removed_at),
    version: c.version,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
  };
}

minimal.get<{ Params: { id: string } }>('/v1/contacts/:id', async (request, reply) => {
  const center = await centerOf(request);
  if (center === undefined) return reply.status(401).send();
  const { rows } = await pool.query(
    `select ${CONTACT_COLUMNS} from ${CONTACT_FROM} where c.contact_center_id = $1 and c.uid = $2`,
    [center, parsePublicId('contact', request.params.id)],
  );
  if (!rows[0]) return reply.status(404).send();
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(contactJson(rows[0])));
});

minimal.get<{ Querystring: { list_id: string; limit: string } }>('/v1/contacts', async (request, reply) => {
  const center = await centerOf(request);
  if (center === undefined) return reply.status(401).send();
  const limit = Number(request.query.limit);
  const { rows } = await pool.query(
    `select ${CONTACT_COLUMNS} from ${CONTACT_FROM}
     where c.contact_center_id = $1 and c.removed_at is null
       and c.lead_list_id = (select id from lead_lists where contact_center_id = $1 and uid = $2)
     order by c.id limit $3`,
    [center, parsePublicId('leadList', request.query.list_id), limit],
  );
  const last = rows[rows.length - 1];
  return reply.type('application/json; charset=utf-8').send(
    JSON.stringify({
      data: rows.map(contactJson),
      next_cursor: rows.length === limit ? Buffer.from(String(last.id)).toString('base64url') : null,
    }),
  );
});

// Qvoice: the account named by X-Account-ID is compared with the center's uid, which never changes.
const centerHex = new Map<number, string>();
minimal.get<{ Params: { campaign_id: string }; Querystring: { page_size: string } }>(
  '/api/v2/config/campaigns/:campaign_id/leads',
  async (request, reply) => {
    const center = await centerOf(request);
    if (center === undefined) return reply.status(401).send();
    if (!centerHex.has(center)) {
      const { rows } = await pool.query('select uid from contact_centers where id = $1', [center]);
      centerHex.set(center, hexOfUuid(rows[0].uid));
    }
    if (request.headers['x-account-id'] !== centerHex.get(center)) return reply.status(403).send();
    const limit = Number(request.query.page_size);
    const { rows } = await pool.query(
      `select cp.uid as campaign_uid, cp.max_attempts, c.uid, c.created_at, c.phone_e164, c.status, c.max_retries,
         c.first_name, c.last_name, c.priority
       from campaigns cp, lateral (select * from contacts c where c.contact_center_id = $1 and c.removed_at is null
         and c.lead_list_id in (select lead_list_id from campaign_lead_lists where campaign_id = cp.id)
         order by c.id limit $3) c
       where cp.contact_center_id = $1 and cp.uid = $2`,
      [center, uuidOfHex(request.params.campaign_id), limit + 1],
    );
    const page = rows.slice(0, limit);
    return reply.type('application/json; charset=utf-8').send(
      JSON.stringify({
        data: page.map((c) => ({
          created: Math.floor(c.created_at.getTime() / 1000),
          campaign_id: hexOfUuid(c.campaign_uid),
          number: c.phone_e164,
          status: qvoiceLeadStatus(c.status),
          retries: c.max_retries ?? c.max_attempts - 1,
          first_name: c.first_name,
          last_name: c.last_name,
          priority: c.priority,
          id: hexOfUuid(c.uid),
        })),
        next_start_key: rows.length > limit ? hexOfUuid(page[page.length - 1].uid) : '',
      }),
    );
  },
);

minimal.get<{ Params: { id: string } }>('/v1/campaigns-leads/:id', async (request, reply) => {
  const center = await centerOf(request);
  if (center === undefined) return reply.status(401).send();
  const { rows } = await pool.query(
    `select c.uid, c.first_name, c.last_name, c.phone_e164, c.status, c.variables, c.created_at,
       coalesce(own.uid, (select cp.uid from campaign_lead_lists cll join campaigns cp on cp.id = cll.campaign_id
         where cll.contact_center_id = $1 and cll.lead_list_id = c.lead_list_id order by cll.id limit 1)) as campaign_uid,
       (select uid from call_logs where contact_center_id = $1 and id = c.last_call_log_id) as call_uid
     from contacts c left join campaigns own on own.id = c.campaign_id
     where c.contact_center_id = $1 and c.uid = $2 and c.removed_at is null`,
    [center, parsePublicId('contact', request.params.id)],
  );
  const c = rows[0];
  if (!c) return reply.status(404).send();
  return reply.type('application/json; charset=utf-8').send(
    JSON.stringify({
      id: toPublicId('contact', c.uid),
      name: [c.first_name, c.last_name].filter(Boolean).join(' '),
      phone_number: c.phone_e164,
      campaign_id: c.campaign_uid ? toPublicId('campaign', c.campaign_uid) : null,
      status: dialnexaLeadStatus(c.status),
      notes: c.variables,
      call_log_id: c.call_uid ? toPublicId('callLog', c.call_uid) : null,
      created_at: iso(c.created_at),
    }),
  );
});

// The call-log list (DialNexa's /v1/call-logs): a campaign's calls newest first, with the total, in
// one statement (the count beside the page; a page past the end still answers the total).
const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.round((to.getTime() - from.getTime()) / 100) / 10 : null;
minimal.get<{ Querystring: { campaign_id: string; limit: string; page?: string } }>(
  '/v1/call-logs',
  async (request, reply) => {
    const center = await centerOf(request);
    if (center === undefined) return reply.status(401).send();
    const limit = Number(request.query.limit);
    const page = Number(request.query.page ?? 1);
    const { rows } = await pool.query(
      `with cp as (select id, uid from campaigns where contact_center_id = $1 and uid = $2),
         total as (select count(*)::int as n from call_logs where contact_center_id = $1
           and campaign_id = (select id from cp))
       select total.n as total, l.* from total left join lateral (
         select g.id, g.uid, cp.uid as campaign_uid, c.uid as contact_uid, ll.uid as lead_list_uid,
           u.uid as agent_uid, g.phone_e164, g.caller_id, g.outcome, g.failure_reason, g.attempt,
           g.counts_as_attempt, g.dialing_mode, g.disposition, g.disposition_note, g.callback_at, g.dialed_at,
           g.answered_at, g.connected_at, g.ended_at, g.wrap_up_ended_at, g.message_version, g.message_played,
           g.has_recording, g.created_at
         from call_logs g join cp on cp.id = g.campaign_id join contacts c on c.id = g.contact_id
           join lead_lists ll on ll.id = g.lead_list_id left join users u on u.id = g.agent_user_id
         where g.contact_center_id = $1
         order by g.dialed_at desc, g.id desc limit $3 offset $4) l on true`,
      [center, parsePublicId('campaign', request.query.campaign_id), limit, (page - 1) * limit],
    );
    const total = rows[0].total as number;
    return reply.type('application/json; charset=utf-8').send(
      JSON.stringify({
        data: rows
          .filter((g) => g.uid !== null)
          .map((g) => ({
            id: toPublicId('callLog', g.uid),
            numeric_id: Number(g.id),
            campaign_id: toPublicId('campaign', g.campaign_uid),
            lead_id: toPublicId('contact', g.contact_uid),
            list_id: toPublicId('leadList', g.lead_list_uid),
            phone_number: g.phone_e164,
            caller_id: g.caller_id,
            agent_id: g.agent_uid ? toPublicId('user', g.agent_uid) : null,
            status: callStatusWord(g),
            outcome: g.outcome,
            failure_reason: g.failure_reason,
            attempt: g.attempt,
            counts_as_attempt: g.counts_as_attempt,
            dialing_mode: g.dialing_mode,
            disposition: g.disposition,
            disposition_note: g.disposition_note,
            callback_at: iso(g.callback_at),
            dialed_at: iso(g.dialed_at),
            answered_at: iso(g.answered_at),
            connected_at: iso(g.connected_at),
            ended_at: iso(g.ended_at),
            wrap_up_ended_at: iso(g.wrap_up_ended_at),
            message_version: g.message_version,
            message_played: g.message_played,
            has_recording: g.has_recording,
            recording_url: g.has_recording ? `/v1/call-logs/${toPublicId('callLog', g.uid)}/recording` : null,
            ring_seconds: seconds(g.dialed_at, g.answered_at ?? g.ended_at),
            duration: seconds(g.answered_at, g.ended_at),
            created_at: iso(g.created_at),
          })),
        meta: { page, limit, total, totalPages: Math.ceil(total / limit) },
      }),
    );
  },
);

const outdialPort = await listen(outdial);
const minimalPort = await listen(minimal);
async function listen(app: FastifyInstance) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

const sample = () => {
  const cpu = process.cpuUsage();
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, statements };
};
process.on('message', async (message: string) => {
  if (message === 'sample') process.send!(sample());
  if (message === 'stop') {
    await outdial.close();
    await minimal.close();
    await pool.end();
    await handle.close();
    process.exit(0);
  }
});
process.send!({ outdialPort, minimalPort });
