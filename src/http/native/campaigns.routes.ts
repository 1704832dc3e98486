import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import {
  actionForStatusWord,
  CAMPAIGN_STATUS_WORD,
  type CampaignAction,
} from '../../domain/campaign-lifecycle.js';
import { parsePublicId, toPublicId } from '../../domain/public-ids.js';
import { notFound } from '../../domain/errors.js';
import type { CampaignView } from '../../repositories/campaigns.repository.js';
import type { CampaignUserWithUser } from '../../repositories/campaign-users.repository.js';
import type { RequestContext, ServiceDeps } from '../../services/context.js';
import { archiveCampaign } from '../../services/campaigns/archive-campaign.js';
import {
  assignCampaignUsers,
  listCampaignUsers,
  unassignCampaignUser,
} from '../../services/campaigns/campaign-users.js';
import type { CampaignSettingsInput } from '../../services/campaigns/campaign-settings.js';
import { createCampaign } from '../../services/campaigns/create-campaign.js';
import {
  describeCampaign,
  describeCampaigns,
  getCampaign,
  listCampaigns,
} from '../../services/campaigns/read-campaigns.js';
import { changeCampaignStatus, updateCampaign } from '../../services/campaigns/update-campaign.js';
import { campaignProgress } from '../../services/campaigns/campaign-progress.js';
import { getProcess } from '../../services/processes/manage-processes.js';
import {
  authErrors,
  IdParams,
  iso,
  Nullable,
  Paged,
  pageMeta,
  pageOf,
  PageQuery,
  Timestamp,
  uidParam,
  VersionField,
} from './common.js';
import { getQueue } from '../../services/queues/manage-queues.js';
import type { CampaignStatus, ContactStatus } from '../../db/schema.js';
import { campaignLeadCounters } from '../../domain/status-words.js';
import { Count } from '../schemas/bounds.js';
import { named } from '../schemas/components.js';

const StatusWord = Type.Union(
  ['draft', 'active', 'paused', 'completed', 'cancelled'].map((s) => Type.Literal(s)),
  { description: 'draft (not started), active (running), paused, completed, cancelled (stopped)' },
);
const DialingMode = Type.Union([
  Type.Literal('preview'),
  Type.Literal('progressive'),
  Type.Literal('power'),
  Type.Literal('predictive'),
  Type.Literal('agentless'),
]);
const CampaignType = Type.Union([Type.Literal('interaction'), Type.Literal('notification')]);
const MachineAction = Type.Union([Type.Literal('hang_up'), Type.Literal('play_message')], {
  description:
    "What a call answered by a machine gets: hung up on, or the campaign's message (PUT /v1/campaigns/{id}/message) and then hung up",
});
const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
const WeeklyWindow = Type.Object(
  {
    day: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday' }),
    start: ClockTime,
    end: ClockTime,
  },
  { ...named('WeeklyWindow'), additionalProperties: false },
);
const RetryConfig = Type.Object(
  {
    max_retries: Type.Integer({ minimum: 0, maximum: 100, description: 'Calls after the first one' }),
    retry_interval_minutes: Type.Integer({ minimum: 0, maximum: 525600 }),
  },
  { ...named('RetryConfig'), additionalProperties: false },
);
const RetryRule = Type.Object(
  { delay_minutes: Count({ maximum: 525600 }), counts_as_attempt: Type.Boolean() },
  { ...named('RetryRule'), additionalProperties: false },
);
const CallingHours = Type.Object(
  { start: ClockTime, end: ClockTime },
  { ...named('CallingHours'), additionalProperties: false },
);

export const CampaignResponse = Type.Object(
  {
    id: Type.String({ examples: ['cmp_210ea5d942f41744f1ef37e84a4965e0'] }),
    numeric_id: Type.Integer({ description: "Exotel's campaignId" }),
    organization_id: Type.String({ description: 'The contact center (ctr_…)' }),
    process_id: Type.String(),
    queue_id: Nullable(Type.String()),
    name: Type.String(),
    description: Type.String(),
    type: CampaignType,
    dialing_mode: DialingMode,
    status: StatusWord,
    agent_id: Nullable(Type.String()),
    from_phone_number: Nullable(Type.String()),
    time_zone: Type.String(),
    scheduled_at: Nullable(Timestamp),
    ends_at: Nullable(Timestamp),
    weekly_windows: Type.Array(WeeklyWindow),
    calling_hours: CallingHours,
    abandon_rate_cap: Type.Number(),
    lines_per_agent: Type.Number(),
    max_concurrent_calls: Nullable(Type.Integer()),
    wrap_up_seconds: Type.Integer(),
    require_disposition: Type.Boolean(),
    machine_detection: Type.Boolean(),
    machine_action: MachineAction,
    preview_timeout_seconds: Type.Integer(),
    retry_config: RetryConfig,
    retry_rules: Type.Record(Type.String(), RetryRule),
    started_at: Nullable(Timestamp),
    completed_at: Nullable(Timestamp),
    total_leads: Type.Integer({ description: 'Live leads of the lists this campaign dials' }),
    completed_calls: Type.Integer({ description: 'Leads whose calling is over (completed or failed)' }),
    pending_calls: Type.Integer({ description: 'Leads still to call, or on a call now' }),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  named('Campaign'),
);

export function presentCampaign(
  c: CampaignView,
  centerPublicId: string,
  leadsByStatus: Partial<Record<ContactStatus, number>>,
) {
  return {
    id: toPublicId('campaign', c.uid),
    numeric_id: c.id,
    organization_id: centerPublicId,
    process_id: toPublicId('process', c.process_uid),
    queue_id: c.queue_uid ? toPublicId('queue', c.queue_uid) : null,
    name: c.name,
    description: c.description,
    type: c.type,
    dialing_mode: c.dialing_mode,
    status: CAMPAIGN_STATUS_WORD[c.status],
    agent_id: c.agent_ref,
    from_phone_number: c.caller_id,
    time_zone: c.time_zone,
    scheduled_at: iso(c.scheduled_at),
    ends_at: iso(c.ends_at),
    weekly_windows: c.weekly_windows,
    calling_hours: { start: c.calling_hours_start, end: c.calling_hours_end },
    abandon_rate_cap: c.abandon_rate_cap,
    lines_per_agent: c.lines_per_agent,
    max_concurrent_calls: c.max_concurrent_calls,
    wrap_up_seconds: c.wrap_up_seconds,
    require_disposition: c.require_disposition,
    machine_detection: c.machine_detection,
    machine_action: c.machine_action,
    preview_timeout_seconds: c.preview_timeout_seconds,
    retry_config: { max_retries: c.max_attempts - 1, retry_interval_minutes: c.retry_interval_minutes },
    retry_rules: c.retry_rules,
    started_at: iso(c.started_at),
    completed_at: iso(c.completed_at),
    ...campaignLeadCounters(leadsByStatus),
    version: c.version,
    created_at: iso(c.created_at)!,
    updated_at: iso(c.updated_at)!,
  };
}

const SettingsFields = {
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  process_id: Type.Optional(Type.String({ description: 'prc_… (default: the center’s default process)' })),
  queue_id: Type.Optional(Nullable(Type.String({ description: 'que_…: the agents who take its calls' }))),
  type: Type.Optional(CampaignType),
  dialing_mode: Type.Optional(DialingMode),
  agent_id: Type.Optional(
    Nullable(Type.String({ maxLength: 200, description: 'An external (AI) agent reference' })),
  ),
  from_phone_number: Type.Optional(Nullable(Type.String({ maxLength: 32, description: 'Caller id' }))),
  time_zone: Type.Optional(Type.String({ description: 'IANA zone of the schedule (default: the center’s)' })),
  scheduled_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  ends_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  weekly_windows: Type.Optional(
    Type.Array(WeeklyWindow, { description: 'When the campaign dials; empty = always' }),
  ),
  calling_hours: Type.Optional(CallingHours),
  abandon_rate_cap: Type.Optional(Type.Number({ minimum: 0, maximum: 0.5 })),
  lines_per_agent: Type.Optional(Type.Number({ minimum: 1, maximum: 10 })),
  max_concurrent_calls: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10000 }))),
  wrap_up_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  require_disposition: Type.Optional(
    Type.Boolean({
      description:
        "An agent may end wrap-up only after giving the call a disposition (default true); a wrap-up ended by the limit without one records 'no_disposition'",
    }),
  ),
  machine_detection: Type.Optional(
    Type.Boolean({
      description:
        "Answering-machine detection on answered calls (default true; the SIP carrier analyses the first seconds of the callee's audio, docs/telephony.md). Off: every answer counts as a person, at once",
    }),
  ),
  machine_action: Type.Optional(MachineAction),
  preview_timeout_seconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
  retry_config: Type.Optional(RetryConfig),
  retry_rules: Type.Optional(Type.Record(Type.String(), RetryRule)),
};

const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    ...SettingsFields,
    status: Type.Optional(
      Type.Union([Type.Literal('draft'), Type.Literal('active')], {
        description: 'active starts it at once (default draft)',
      }),
    ),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...SettingsFields,
    status: Type.Optional(StatusWord),
    version: Type.Optional(VersionField),
  },
  { additionalProperties: false },
);

type Settings = Omit<Static<typeof UpdateBody>, 'status' | 'version'>;

async function settingsInput(
  deps: ServiceDeps,
  ctx: RequestContext,
  b: Settings,
): Promise<CampaignSettingsInput> {
  const date = (v: string | null | undefined) =>
    v === undefined ? undefined : v === null ? null : new Date(v);
  let processId: number | undefined;
  if (b.process_id !== undefined) {
    processId = (await getProcess(deps, ctx, refOrNotFound('process', b.process_id, 'Process'))).id;
  }
  let queueId: number | null | undefined = b.queue_id === null ? null : undefined;
  if (b.queue_id) queueId = (await getQueue(deps, ctx, refOrNotFound('queue', b.queue_id, 'Queue'))).queue.id;
  return {
    name: b.name,
    description: b.description,
    processId,
    queueId,
    type: b.type,
    dialingMode: b.dialing_mode,
    agentRef: b.agent_id,
    callerId: b.from_phone_number,
    timeZone: b.time_zone,
    scheduledAt: date(b.scheduled_at),
    endsAt: date(b.ends_at),
    weeklyWindows: b.weekly_windows,
    callingHours: b.calling_hours,
    abandonRateCap: b.abandon_rate_cap,
    linesPerAgent: b.lines_per_agent,
    maxConcurrentCalls: b.max_concurrent_calls,
    wrapUpSeconds: b.wrap_up_seconds,
    requireDisposition: b.require_disposition,
    machineDetection: b.machine_detection,
    machineAction: b.machine_action,
    previewTimeoutSeconds: b.preview_timeout_seconds,
    maxAttempts: b.retry_config ? b.retry_config.max_retries + 1 : undefined,
    retryIntervalMinutes: b.retry_config?.retry_interval_minutes,
    retryRules: b.retry_rules,
  };
}

/** A referenced id in a body that does not resolve is a 404 of that object, like a path id. */
function refOrNotFound(kind: 'process' | 'queue', value: string, label: string): string {
  const uid = parsePublicId(kind, value);
  if (!uid) throw notFound(label);
  return uid;
}

const ContactsByStatus = Type.Record(Type.String(), Type.Integer(), {
  description: 'Contacts per status (new, in_progress, retry, callback, completed, failed, dnc); absent = 0',
});
const CampaignProgressResponse = Type.Object(
  {
    campaign_id: Type.String(),
    total: Type.Integer(),
    contacts_by_status: ContactsByStatus,
    lists: Type.Array(
      Type.Object({ list_id: Type.String(), total: Type.Integer(), contacts_by_status: ContactsByStatus }),
      { description: 'Per attached list that has contacts' },
    ),
  },
  named('CampaignProgress'),
);

const CampaignUserResponse = Type.Object(
  {
    campaign_user_id: Type.Integer({ description: "The assignment's id (Exotel's campaignUserId)" }),
    user_id: Type.String(),
    username: Type.String(),
    role: Type.String(),
    full_name: Type.String(),
    created_at: Timestamp,
  },
  named('CampaignUser'),
);

function presentCampaignUser(r: CampaignUserWithUser) {
  return {
    campaign_user_id: r.id,
    user_id: toPublicId('user', r.user_uid),
    username: r.username,
    role: r.role,
    full_name: r.full_name,
    created_at: iso(r.created_at)!,
  };
}

export const campaignRoutes =
  (deps: ServiceDeps, centerPublicId: (ctx: RequestContext) => Promise<string>): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['campaigns'];
    const security = [{ bearer: [] }];
    const id = (raw: string) => uidParam('campaign', raw, 'Campaign');
    const present = async (ctx: RequestContext, view: CampaignView) =>
      presentCampaign(
        view,
        await centerPublicId(ctx),
        (await campaignProgress(deps, ctx, [view.uid]))[0]?.byStatus ?? {},
      );

    app.post(
      '/campaigns',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: 'Create a campaign (also DialNexa’s POST /v1/campaigns)',
          body: CreateBody,
          response: { 201: CampaignResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const input = await settingsInput(deps, request.ctx, b);
        const campaign = await createCampaign(deps, request.ctx, {
          ...input,
          name: b.name,
          start: b.status === 'active',
        });
        return reply
          .status(201)
          .send(await present(request.ctx, await describeCampaign(deps, request.ctx, campaign)));
      },
    );

    app.get(
      '/campaigns',
      {
        config: { permission: 'campaigns:read' },
        schema: {
          tags,
          security,
          summary: 'List campaigns',
          querystring: Type.Object({
            ...PageQuery,
            status: Type.Optional(StatusWord),
            process_id: Type.Optional(Type.String()),
            dialing_mode: Type.Optional(DialingMode),
            search: Type.Optional(Type.String()),
          }),
          response: { 200: Paged(CampaignResponse), ...authErrors(400) },
        },
      },
      async (request) => {
        const q = request.query;
        const page = pageOf(q);
        const statuses = q.status
          ? (Object.entries(CAMPAIGN_STATUS_WORD)
              .filter(([, w]) => w === q.status)
              .map(([s]) => s) as CampaignStatus[])
          : undefined;
        let processId: number | undefined;
        if (q.process_id) {
          const uid = parsePublicId('process', q.process_id);
          processId = uid
            ? ((await getProcess(deps, request.ctx, uid).catch(() => undefined))?.id ?? -1)
            : -1;
        }
        const result = await listCampaigns(
          deps,
          request.ctx,
          { status: statuses, processId, dialingMode: q.dialing_mode, search: q.search },
          page,
        );
        const views = await describeCampaigns(deps, request.ctx, result.rows);
        const center = await centerPublicId(request.ctx);
        const progress = await campaignProgress(
          deps,
          request.ctx,
          views.map((v) => v.uid),
        );
        return {
          data: views.map((v, i) => presentCampaign(v, center, progress[i]?.byStatus ?? {})),
          meta: pageMeta(page, result.total),
        };
      },
    );

    app.get(
      '/campaigns/progress',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary: 'Contacts by status for campaigns (all, or those named), over the lists each dials',
          description:
            'Repeat `campaign_id` to name several campaigns (at most 100). Removed contacts are not counted; ' +
            'a list attached to two campaigns counts in both.',
          querystring: Type.Object({
            campaign_id: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
          }),
          response: {
            200: Type.Object({ data: Type.Array(CampaignProgressResponse) }),
            ...authErrors(400, 404),
          },
        },
      },
      async (request) => {
        const uids = request.query.campaign_id?.map(id);
        const progress = await campaignProgress(deps, request.ctx, uids);
        return {
          data: progress.map((p) => ({
            campaign_id: toPublicId('campaign', p.campaignUid),
            total: p.total,
            contacts_by_status: p.byStatus,
            lists: p.lists.map((l) => ({
              list_id: toPublicId('leadList', l.listUid),
              total: l.total,
              contacts_by_status: l.byStatus,
            })),
          })),
        };
      },
    );

    app.get(
      '/campaigns/:id',
      {
        config: { permission: 'campaigns:read' },
        schema: {
          tags,
          security,
          summary: 'Get a campaign',
          params: IdParams,
          response: { 200: CampaignResponse, ...authErrors(404) },
        },
      },
      async (request) => {
        const campaign = await getCampaign(deps, request.ctx, id(request.params.id));
        return present(request.ctx, await describeCampaign(deps, request.ctx, campaign));
      },
    );

    app.patch(
      '/campaigns/:id',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: 'Change a campaign; `status` moves it through its lifecycle. 409 when no longer allowed',
          params: IdParams,
          body: UpdateBody,
          response: { 200: CampaignResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const uid = id(request.params.id);
        const { status, version, ...settings } = request.body;
        const input = await settingsInput(deps, request.ctx, settings);
        let action: CampaignAction | undefined;
        if (status) action = actionForStatusWord((await getCampaign(deps, request.ctx, uid)).status, status);
        const campaign = await updateCampaign(deps, request.ctx, uid, { ...input, action, version });
        return present(request.ctx, await describeCampaign(deps, request.ctx, campaign));
      },
    );

    app.delete(
      '/campaigns/:id',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: 'Delete (archive) a campaign that is not running; its calls and history stay',
          params: IdParams,
          response: { 204: Type.Null(), ...authErrors(404, 409) },
        },
      },
      async (request, reply) => {
        await archiveCampaign(deps, request.ctx, id(request.params.id));
        return reply.status(204).send(null);
      },
    );

    for (const action of ['start', 'pause', 'resume', 'stop'] as const) {
      app.post(
        `/campaigns/:id/${action}`,
        {
          config: { permission: 'campaigns:control' },
          schema: {
            tags,
            security,
            summary: `${action[0]!.toUpperCase()}${action.slice(1)} a campaign`,
            params: IdParams,
            body: Type.Optional(
              Type.Object({ version: Type.Optional(VersionField) }, { additionalProperties: false }),
            ),
            response: { 200: CampaignResponse, ...authErrors(404, 409) },
          },
        },
        async (request) => {
          const campaign = await changeCampaignStatus(
            deps,
            request.ctx,
            id(request.params.id),
            action,
            request.body?.version,
          );
          return present(request.ctx, await describeCampaign(deps, request.ctx, campaign));
        },
      );
    }

    app.get(
      '/campaigns/:id/users',
      {
        config: { permission: 'campaigns:read' },
        schema: {
          tags,
          security,
          summary: 'Users assigned to a campaign, each with its campaign-user id',
          params: IdParams,
          response: { 200: Type.Object({ data: Type.Array(CampaignUserResponse) }), ...authErrors(404) },
        },
      },
      async (request) => {
        const rows = await listCampaignUsers(deps, request.ctx, id(request.params.id));
        return { data: rows.map(presentCampaignUser) };
      },
    );

    app.post(
      '/campaigns/:id/users',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: 'Assign users to a campaign',
          params: IdParams,
          body: Type.Object(
            { user_ids: Type.Array(Type.String(), { minItems: 1, maxItems: 500 }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ data: Type.Array(CampaignUserResponse) }), ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const campaignUid = id(request.params.id);
        const userUids = request.body.user_ids.map((u) => uidParam('user', u, 'User'));
        await assignCampaignUsers(deps, request.ctx, campaignUid, userUids);
        const rows = await listCampaignUsers(deps, request.ctx, campaignUid);
        return { data: rows.map(presentCampaignUser) };
      },
    );

    app.delete(
      '/campaigns/:id/users/:userId',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: 'Unassign a user from a campaign',
          params: Type.Object({ id: Type.String(), userId: Type.String() }),
          response: { 204: Type.Null(), ...authErrors(404) },
        },
      },
      async (request, reply) => {
        await unassignCampaignUser(
          deps,
          request.ctx,
          id(request.params.id),
          uidParam('user', request.params.userId, 'User'),
        );
        return reply.status(204).send(null);
      },
    );
  };
