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
import { authErrors, pageMeta, pageOf, uidParam } from './common.js';
import { IdParams, Paged, PageQuery } from '../schemas/common.js';
import { getQueue } from '../../services/queues/manage-queues.js';
import type { CampaignStatus } from '../../db/schema.js';
import {
  StatusWord,
  DialingMode,
  CampaignResponse,
  CreateBody,
  UpdateBody,
  CampaignProgressResponse,
  CampaignUserResponse,
  ControlBody,
  AssignUsersBody,
} from '../schemas/campaigns.js';
import { presentCampaign, presentCampaignUser } from './presenters/campaigns.js';

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
    recordingMode: b.recording_mode,
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
            body: ControlBody,
            response: { 200: CampaignResponse, ...authErrors(400, 404, 409) },
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
          body: AssignUsersBody,
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
