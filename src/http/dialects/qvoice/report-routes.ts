import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { invalid } from '../../../domain/errors.js';
import { hexOfUuid } from '../../../domain/public-ids.js';
import { QVOICE_AGENT_STATUS, qvoiceHistoryEvent } from '../../../domain/status-words.js';
import { dispositionCall } from '../../../services/calls/disposition-call.js';
import { leadActivity, type LeadActivityPage } from '../../../services/calls/lead-activity.js';
import { getCallLog } from '../../../services/calls/read-call-logs.js';
import type { ServiceDeps } from '../../../services/context.js';
import { queuesStatus, type QueueStatus } from '../../../services/queues/queue-status.js';
import { qvoiceErrors as errors } from './envelope.js';
import { qvoiceUid } from './lead-routes.js';
import { UNIX_SECONDS_MAX } from '../../schemas/bounds.js';
import { UnixTime, QueueStatusItem, HistoryRecord, QvoiceVoicemailAnswer } from './schemas.js';

/** Values below this are seconds (up to the year 5138); from it on, milliseconds (from 1973). */
const MILLISECONDS_FROM = 1e11;

interface Instant {
  ms: number;
  /** How long the value's own unit lasts: an end given in whole seconds takes in its whole second. */
  unitMs: number;
}

/** The last millisecond a timestamp column holds without an extended year (9999-12-31T23:59:59.999Z). */
const LATEST_MS = UNIX_SECONDS_MAX * 1000 + 999;

function readUnixTime(raw: string, name: string): Instant {
  const value = Number(raw);
  const inMs = value >= MILLISECONDS_FROM;
  const ms = Math.floor(inMs ? value : value * 1000);
  if (ms > LATEST_MS) {
    throw invalid(`${name} is too far in the future`, [`querystring.${name} must be before the year 10000`]);
  }
  return { ms, unitMs: Number.isInteger(value) ? (inMs ? 1 : 1000) : 1 };
}

const seconds = (d: Date | null | undefined) => (d ? d.getTime() / 1000 : 0);

/** Qvoice's datetime: Go's default time format, in UTC ("2022-10-19 23:31:58 +0000 UTC"). */
function goDateTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

function splitName(fullName: string, username: string): { first: string; last: string } {
  const name = fullName.trim() || username;
  const space = name.indexOf(' ');
  return space < 0 ? { first: name, last: '' } : { first: name.slice(0, space), last: name.slice(space + 1) };
}

function presentQueueStatus({ queue, agents, waiting }: QueueStatus) {
  const shown = agents.map(({ member, session, registered, extensionValid }) => ({
    id: hexOfUuid(member.uid),
    name: member.full_name || member.username,
    extension: member.extension ?? '',
    extension_is_valid: extensionValid,
    delay: member.delay_seconds,
    timeout: member.timeout_seconds,
    logged_in: session !== null,
    status: QVOICE_AGENT_STATUS[session?.state ?? 'logged_out'],
    registered,
    tags: member.tags,
  }));
  const count = (keep: (a: (typeof shown)[number]) => boolean) => shown.filter(keep).length;
  return {
    id: queue.uid,
    name: queue.name,
    extension: queue.extension ?? '',
    max_time_caller_in_queue: queue.max_wait_seconds,
    strategy: queue.strategy,
    agents: shown,
    calls: Object.fromEntries(
      waiting.map((call) => [
        hexOfUuid(call.uid),
        {
          lead_id: hexOfUuid(call.contact_uid),
          campaign_id: hexOfUuid(call.campaign_uid),
          number: call.phone_e164,
          answered: Math.floor(seconds(call.answered_at)),
        },
      ]),
    ),
    total_agents: shown.length,
    logged_in_agents: count((a) => a.logged_in),
    logged_out_agents: count((a) => !a.logged_in),
    idle_agents: count((a) => a.logged_in && a.status === QVOICE_AGENT_STATUS.available),
    misconfigured_agents: count((a) => !a.extension_is_valid),
    agents_registered: count((a) => a.registered),
    agents_on_call: count((a) => a.logged_in && a.status === QVOICE_AGENT_STATUS.on_call),
  };
}

function presentActivity(page: LeadActivityPage) {
  return page.events.map((e) => {
    const agentName = e.agent_user_id === null ? '' : e.agent_full_name || e.agent_username || '';
    const ext = e.agent_extension ?? '';
    let agent = null;
    if (e.agent_user_id !== null && e.agent_uid) {
      const now = page.agents.get(e.agent_user_id);
      const member =
        e.campaign_queue_id === null
          ? undefined
          : page.memberships.get(`${e.campaign_queue_id}:${e.agent_user_id}`);
      const name = splitName(e.agent_full_name ?? '', e.agent_username ?? '');
      agent = {
        delay: member?.delay_seconds ?? 0,
        device_endpoints: [],
        email: e.agent_email ?? '',
        endpoint: hexOfUuid(e.agent_uid),
        ext,
        first_name: name.first,
        last_answered: seconds(now?.lastCall?.answered_at),
        last_attempt: seconds(now?.lastCall?.dialed_at),
        last_hangup: seconds(now?.lastCall?.ended_at),
        last_name: name.last,
        status: QVOICE_AGENT_STATUS[now?.session?.state ?? 'logged_out'],
        timeout: member?.timeout_seconds ?? 0,
        total_talk_time: Math.round((now?.session?.talk_ms ?? 0) / 1000),
        type: 'user',
      };
    }
    const words = qvoiceHistoryEvent(e);
    return {
      datetime: goDateTime(e.at),
      timestamp: Math.floor(e.at.getTime() / 1000),
      campaign_name: e.campaign_name ?? '',
      lead_name: [e.contact_first_name, e.contact_last_name].filter(Boolean).join(' '),
      lead_number: e.contact_phone,
      agent_name: agentName,
      agent_extension: ext,
      lead_history: [
        {
          agent,
          event: words.event,
          ext,
          last_attempt: e.at.getTime() / 1000,
          type: words.type,
          uuid: e.call_log_uid ? hexOfUuid(e.call_log_uid) : '',
        },
      ],
    };
  });
}

/** The header that carries the next page's `startKey` (the documented answer is a bare array). */
export const NEXT_START_KEY_HEADER = 'x-next-start-key';

/**
 * Qvoice's endpoints over the dialer engine's records: queue status (agents' live sessions),
 * campaign activity (lead history) and the voicemail disposition of a call.
 */
export const qvoiceReportRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['Qvoice'];
    const security = [{ bearer: [] }];

    app.get(
      '/callcenter/queues/status',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary: 'Get queues status (Qvoice): every queue with its agents as they are now, and counters',
          response: { 200: Type.Array(QueueStatusItem), ...errors(400, 401, 403) },
        },
      },
      async (request) => (await queuesStatus(deps, request.ctx)).map(presentQueueStatus),
    );

    app.get(
      '/api/v2/reports/campaigns/leads/history',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary:
            'Get campaigns activity (Qvoice): lead history in a time range, oldest first, one event per record',
          description:
            '`starDate` (the spelling of Qvoice’s own sample URL) is read as `startDate`. Both ends are ' +
            'included, each in its own unit. The next page’s `startKey` comes in the X-Next-Start-Key ' +
            'header, absent on the last page.',
          querystring: Type.Object({
            startDate: Type.Optional(UnixTime),
            starDate: Type.Optional(UnixTime),
            endDate: Type.Optional(UnixTime),
            pageSize: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            startKey: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,15}$', description: 'X-Next-Start-Key of the page before' }),
            ),
          }),
          response: { 200: Type.Array(HistoryRecord), ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        if (q.startDate !== undefined && q.starDate !== undefined && q.startDate !== q.starDate) {
          throw invalid('startDate and starDate disagree', [
            'startDate and starDate name the same bound: send one',
          ]);
        }
        const startRaw = q.startDate ?? q.starDate;
        const startName = q.startDate !== undefined ? 'startDate' : 'starDate';
        const start = startRaw === undefined ? null : readUnixTime(startRaw, startName);
        const end = q.endDate === undefined ? null : readUnixTime(q.endDate, 'endDate');
        if (start && end && end.ms < start.ms) {
          throw invalid('endDate is before startDate', ['endDate must not be before startDate']);
        }
        const page = await leadActivity(deps, request.ctx, {
          from: new Date(start?.ms ?? 0),
          to: new Date(end ? end.ms + end.unitMs : deps.clock.now().getTime() + 1),
          limit: q.pageSize,
          ...(q.startKey !== undefined ? { afterKey: Number(q.startKey) } : {}),
        });
        if (page.nextKey !== null) void reply.header(NEXT_START_KEY_HEADER, String(page.nextKey));
        return presentActivity(page);
      },
    );

    // The doc shows no body for this PUT; a client that still sends `Content-Type: application/json`
    // with an empty body is answered like one that sends none.
    const voicemail: FastifyPluginAsyncTypebox = async (scope) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        const text = String(body);
        if (text.trim() === '') return done(null, undefined);
        try {
          done(null, JSON.parse(text));
        } catch {
          done(invalid('The body is not JSON', ['body: not valid JSON']), undefined);
        }
      });

      scope.put(
        '/api/v2/config/campaigns/call/:cdrID/disposition/voicemail',
        {
          config: { permission: 'contacts:write' },
          schema: {
            tags,
            security,
            summary:
              "Set call disposition to voicemail (Qvoice): an answered call's disposition, until its wrap-up ends",
            params: Type.Object({ cdrID: Type.String({ description: 'The call log, 32 hex digits' }) }),
            response: { 200: QvoiceVoicemailAnswer, ...errors(400, 401, 403, 404, 409) },
          },
        },
        async (request) => {
          const log = await getCallLog(deps, request.ctx, qvoiceUid(request.params.cdrID, 'Call'));
          await dispositionCall(deps, request.ctx, log.id, { disposition: 'voicemail' });
          return { message: 'Call disposition set successfully.' };
        },
      );
    };
    await app.register(voicemail);
  };
