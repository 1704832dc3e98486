import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { outcomesOfWord, type CallStatusWord } from '../../domain/call-status.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { CallLogFilters } from '../../repositories/call-logs.repository.js';
import { getCampaign } from '../../services/campaigns/read-campaigns.js';
import { dispositionCall } from '../../services/calls/disposition-call.js';
import {
  allCallLogs,
  callTimeline,
  contactHistory,
  getCallLog,
  listCallLogs,
} from '../../services/calls/read-call-logs.js';
import { describeRecording } from '../../services/recordings/describe-recording.js';
import { playRecording, recordingSize } from '../../services/recordings/play-recording.js';
import { sendCsvAttachment, streamedCsvExport } from '../csv-export.js';
import { getContact } from '../../services/contacts/read-contacts.js';
import type { RequestContext, ServiceDeps } from '../../services/context.js';
import { getUser } from '../../services/users/read-users.js';
import { authErrors, pageMeta, pageOf, uidParam } from './common.js';
import { BinaryAnswer, CsvAnswer, IdParams, Paged } from '../schemas/common.js';
import {
  CallLogResponse,
  LeadEventResponse,
  CampaignCallLogQuery,
  CallLogQuery,
  DispositionBody,
  RecordingMetadataResponse,
} from '../schemas/call-logs.js';
import { presentCallLog, presentLeadEvent, presentRecording } from './presenters/engine.js';
import { Count, ROW_ID_MAX } from '../schemas/bounds.js';

const DAY_MS = 86_400_000;

/**
 * A Range header for one range of bytes (RFC 9110): `bytes=a-b`, `bytes=a-` or `bytes=-n`.
 * `ignore` for what is not such a header (a syntax error or several ranges: the whole file is
 * sent, as the RFC allows), `unsatisfiable` for a range outside the file (416).
 */
function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'ignore' | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'ignore';
  const [, first = '', last = ''] = match;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return 'ignore';
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

const CALL_LOG_COLUMNS = [
  'id',
  'campaign_id',
  'lead_id',
  'phone_number',
  'agent_id',
  'status',
  'outcome',
  'attempt',
  'disposition',
  'disposition_note',
  'dialed_at',
  'answered_at',
  'connected_at',
  'ended_at',
  'ring_seconds',
  'duration',
];

function dateBound(value: string, end: boolean): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  return new Date(Date.parse(`${value}T00:00:00Z`) + (end ? DAY_MS : 0));
}

type Query = {
  campaign_id?: string;
  status?: CallStatusWord;
  lead_id?: string;
  agent_id?: string;
  start_date?: string;
  end_date?: string;
  min_duration?: number;
  max_duration?: number;
};

/** Call logs (DialNexa's /v1/call-logs, which the native API shares) and a contact's history. */
export const callLogRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['call logs'];
    const security = [{ bearer: [] }];

    /**
     * `foldCampaign`: the campaign is resolved by the list's own statement (an empty list then asks
     * whether it exists), unless a lead or agent is looked up too: its 404 comes first, as always.
     */
    const filters = async (
      ctx: RequestContext,
      q: Query,
      campaignId?: number,
      foldCampaign = false,
    ): Promise<CallLogFilters> => ({
      ...(campaignId !== undefined ? { campaignId } : {}),
      ...(q.campaign_id
        ? !foldCampaign || q.lead_id || q.agent_id
          ? { campaignId: (await getCampaign(deps, ctx, uidParam('campaign', q.campaign_id, 'Campaign'))).id }
          : { campaignUid: uidParam('campaign', q.campaign_id, 'Campaign') }
        : {}),
      ...(q.status === 'in_progress'
        ? { open: true }
        : q.status
          ? { outcomes: outcomesOfWord(q.status) }
          : {}),
      ...(q.lead_id
        ? { contactId: (await getContact(deps, ctx, uidParam('contact', q.lead_id, 'Lead'))).id }
        : {}),
      ...(q.agent_id
        ? { agentUserId: (await getUser(deps, ctx, uidParam('user', q.agent_id, 'Agent'))).id }
        : {}),
      ...(q.start_date ? { from: dateBound(q.start_date, false) } : {}),
      ...(q.end_date ? { to: dateBound(q.end_date, true) } : {}),
      ...(q.min_duration !== undefined ? { minDurationSeconds: q.min_duration } : {}),
      ...(q.max_duration !== undefined ? { maxDurationSeconds: q.max_duration } : {}),
    });

    app.get(
      '/call-logs',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary:
            'Call logs, newest first, filtered by campaign, status, lead, agent, date range and duration',
          querystring: CallLogQuery,
          response: { 200: Paged(CallLogResponse), ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const page = pageOf(request.query);
        const found = await filters(request.ctx, request.query, undefined, true);
        const result = await listCallLogs(deps, request.ctx, found, page);
        if (result.total === 0 && found.campaignUid !== undefined)
          await getCampaign(deps, request.ctx, found.campaignUid);
        return { data: result.rows.map(presentCallLog), meta: pageMeta(page, result.total) };
      },
    );

    app.get(
      '/call-logs/campaign/:campaignId',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary: "A campaign's call logs",
          params: Type.Object({ campaignId: Type.String() }),
          querystring: CampaignCallLogQuery,
          response: { 200: Paged(CallLogResponse), ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const campaign = await getCampaign(
          deps,
          request.ctx,
          uidParam('campaign', request.params.campaignId, 'Campaign'),
        );
        const page = pageOf(request.query);
        const result = await listCallLogs(
          deps,
          request.ctx,
          await filters(request.ctx, request.query, campaign.id),
          page,
        );
        return { data: result.rows.map(presentCallLog), meta: pageMeta(page, result.total) };
      },
    );

    app.get(
      '/call-logs/export.csv',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary:
            'Export the matching call logs as CSV (newest first), streamed; the filters of GET /v1/call-logs',
          querystring: Type.Omit(CallLogQuery, ['page', 'limit']),
          response: {
            200: CsvAnswer(
              'The call logs, one a row',
              `${CALL_LOG_COLUMNS.join(',')}\n` +
                'log_13574bda5a2a4f319c829ff01248a647,cmp_f8dd47247587486f98753ae096d47383,lead_d4ed26745813470587c907f896ef760b,+919820000000,usr_0b8e3c5a4d2f4e7a9c1b2d3e4f5a6b7c,completed,answered,1,success,,2026-12-06T18:35:26.459Z,2026-12-06T18:35:31.102Z,2026-12-06T18:35:31.610Z,2026-12-06T18:38:02.377Z,4.6,151.3\n',
            ),
            ...authErrors(400, 404),
          },
        },
      },
      async (request, reply) => {
        const ctx = request.ctx;
        const found = await filters(ctx, request.query);
        const pages = async function* () {
          for await (const rows of allCallLogs(deps, ctx, found)) yield rows.map(presentCallLog);
        };
        return sendCsvAttachment(reply, 'call-logs.csv', streamedCsvExport(CALL_LOG_COLUMNS, pages()));
      },
    );

    app.get(
      '/call-logs/:id/events',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary:
            "A call's timeline: its events (dialled, answered, connected, ended, disposition…), oldest first",
          params: IdParams,
          response: { 200: Type.Object({ data: Type.Array(LeadEventResponse) }), ...authErrors(404) },
        },
      },
      async (request) => ({
        data: (await callTimeline(deps, request.ctx, uidParam('callLog', request.params.id, 'Call log'))).map(
          presentLeadEvent,
        ),
      }),
    );

    app.get(
      '/call-logs/:id',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary: 'One call log',
          params: IdParams,
          response: { 200: CallLogResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentCallLog(
          await getCallLog(deps, request.ctx, uidParam('callLog', request.params.id, 'Call log')),
        ),
    );

    app.post(
      '/call-logs/:id/disposition',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: "Record or change an answered call's disposition (until its wrap-up ends)",
          params: IdParams,
          body: DispositionBody,
          response: { 200: CallLogResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const log = await getCallLog(deps, request.ctx, uidParam('callLog', request.params.id, 'Call log'));
        await dispositionCall(deps, request.ctx, log.id, {
          disposition: request.body.disposition,
          note: request.body.note ?? null,
          callbackAt: request.body.callback_at ? new Date(request.body.callback_at) : null,
        });
        return presentCallLog(await getCallLog(deps, request.ctx, log.uid));
      },
    );

    app.get(
      '/contacts/:id/history',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags: ['contacts'],
          security,
          summary:
            "A contact's history: dialled, answered, connected, abandoned, dispositions, status changes, retries",
          params: IdParams,
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            after: Count({ maximum: ROW_ID_MAX, default: 0, description: 'Events after this event id' }),
          }),
          response: {
            200: Type.Object({
              data: Type.Array(LeadEventResponse),
              next_after: Type.Union([Type.Integer(), Type.Null()]),
            }),
            ...authErrors(400, 404),
          },
        },
      },
      async (request) => {
        const events = await contactHistory(
          deps,
          request.ctx,
          uidParam('contact', request.params.id, 'Contact'),
          request.query.limit,
          request.query.after,
        );
        return {
          data: events.map(presentLeadEvent),
          next_after: events.length === request.query.limit ? events[events.length - 1]!.id : null,
        };
      },
    );

    app.get(
      '/call-logs/:id/recording',
      {
        config: { permission: 'recordings:read' },
        schema: {
          tags,
          security,
          summary: "The call's recording (WAV: 8 kHz, 16-bit, customer left, agent right)",
          description:
            'Streamed; a `Range: bytes=…` request gets that part (206 with Content-Range), for seeking; a range ' +
            'outside the file gets 416. Every request is audited (recording.play). 404 when the call has no ' +
            'recording (or it was deleted: retention, or the contact erased).',
          params: IdParams,
          response: {
            200: BinaryAnswer('The whole recording', 'audio/wav'),
            206: BinaryAnswer('The requested bytes of the recording', 'audio/wav'),
            416: Type.Ref('NativeError'),
            ...authErrors(404),
          },
        },
      },
      async (request, reply) => {
        const uid = uidParam('callLog', request.params.id, 'Call log');
        const size = await recordingSize(deps, request.ctx, uid);
        const range = byteRange(request.headers.range, size);
        if (range === 'unsatisfiable') {
          return reply
            .status(416)
            .header('content-range', `bytes */${size}`)
            .send({
              statusCode: 416,
              error: 'Range Not Satisfiable',
              message: `The recording has ${size} bytes`,
            });
        }
        const wanted = typeof range === 'object' ? range : undefined;
        const playback = await playRecording(deps, request.ctx, uid, wanted);
        reply
          .type('audio/wav')
          .header('accept-ranges', 'bytes')
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `inline; filename="${request.params.id}.wav"`);
        if (!wanted) return reply.header('content-length', String(playback.byteSize)).send(playback.body);
        return reply
          .status(206)
          .header('content-range', `bytes ${wanted.start}-${wanted.end}/${playback.byteSize}`)
          .header('content-length', String(wanted.end - wanted.start + 1))
          .send(playback.body);
      },
    );

    app.get(
      '/call-logs/:id/recording/metadata',
      {
        config: { permission: 'recordings:read' },
        schema: {
          tags,
          security,
          summary: "The call's recording described: its length and the stretches paused from the desk",
          description:
            'For the recording’s timeline: where the agent paused it (silent in the file). Not audited: no ' +
            'audio is given out. 404 as for the recording itself.',
          params: IdParams,
          response: { 200: RecordingMetadataResponse, ...authErrors(404) },
        },
      },
      async (request) => {
        const uid = uidParam('callLog', request.params.id, 'Call log');
        return presentRecording(await describeRecording(deps, request.ctx, uid), toPublicId('callLog', uid));
      },
    );
  };
