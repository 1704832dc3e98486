import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { LeadList } from '../../db/schema.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { ServiceDeps } from '../../services/context.js';
import { contactCountsByStatus } from '../../services/contacts/read-contacts.js';
import {
  attachLeadList,
  campaignLeadLists,
  detachLeadList,
  mapLeadListUsers,
  updateCampaignLeadList,
  type MappingInput,
} from '../../services/lead-lists/campaign-lead-lists.js';
import {
  createLeadList,
  getLeadList,
  listLeadLists,
  updateLeadList,
} from '../../services/lead-lists/manage-lead-lists.js';
import { getCampaign } from '../../services/campaigns/read-campaigns.js';
import { authErrors, iso, pageMeta, pageOf, uidParam } from './common.js';
import { IdParams, Paged, PageQuery } from '../schemas/common.js';
import {
  LeadListResponse,
  MappingResponse,
  CreateLeadListBody,
  UpdateLeadListBody,
  AttachListBody,
  ListUsersBody,
} from '../schemas/lead-lists.js';
import { presentMapping } from './presenters/lead-lists.js';

function mappingInput(b: Record<string, unknown>): MappingInput {
  return {
    priority: b.priority as number | undefined,
    weightage: b.weightage as number | undefined,
    enabled: b.enabled as boolean | undefined,
    maxAttempts: b.max_attempts as number | undefined,
    churnCount: b.churn_count as number | undefined,
    fetchOrder: b.fetch_order as MappingInput['fetchOrder'],
    dialingEnabledAtAllTimes: b.dialing_enabled_at_all_times as boolean | undefined,
    dialingWindows: b.dialing_windows as MappingInput['dialingWindows'],
    version: b.version as number | undefined,
  };
}

export const leadListRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['lead lists'];
    const security = [{ bearer: [] }];
    const listId = (raw: string) => uidParam('leadList', raw, 'Lead list');
    const campaignId = (raw: string) => uidParam('campaign', raw, 'Campaign');
    const presentList = async (ctx: Parameters<typeof contactCountsByStatus>[1], l: LeadList) => ({
      id: toPublicId('leadList', l.uid),
      numeric_id: l.number_in_center,
      name: l.name,
      description: l.description,
      is_default: l.is_default,
      contacts_by_status: await contactCountsByStatus(deps, ctx, { leadListId: l.id }),
      version: l.version,
      created_at: iso(l.created_at)!,
      updated_at: iso(l.updated_at)!,
    });

    app.post(
      '/lead-lists',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Create a lead list',
          body: CreateLeadListBody,
          response: { 201: LeadListResponse, ...authErrors(400, 409) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await presentList(request.ctx, await createLeadList(deps, request.ctx, request.body))),
    );

    app.get(
      '/lead-lists',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'List lead lists',
          querystring: Type.Object(PageQuery),
          response: { 200: Paged(LeadListResponse), ...authErrors(400) },
        },
      },
      async (request) => {
        const page = pageOf(request.query);
        const result = await listLeadLists(deps, request.ctx, page);
        return {
          data: await Promise.all(result.rows.map((l) => presentList(request.ctx, l))),
          meta: pageMeta(page, result.total),
        };
      },
    );

    app.get(
      '/lead-lists/:id',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'Get a lead list with its contacts by status',
          params: IdParams,
          response: { 200: LeadListResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentList(request.ctx, await getLeadList(deps, request.ctx, listId(request.params.id))),
    );

    app.patch(
      '/lead-lists/:id',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Rename or describe a lead list',
          params: IdParams,
          body: UpdateLeadListBody,
          response: { 200: LeadListResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) =>
        presentList(
          request.ctx,
          await updateLeadList(deps, request.ctx, listId(request.params.id), request.body),
        ),
    );

    app.get(
      '/campaigns/:id/lead-lists',
      {
        config: { permission: 'campaigns:read' },
        schema: {
          tags,
          security,
          summary:
            'The lists a campaign dials, with priority, weightage, attempts, windows and user mappings',
          params: IdParams,
          response: { 200: Type.Object({ data: Type.Array(MappingResponse) }), ...authErrors(404) },
        },
      },
      async (request) => ({
        data: (await campaignLeadLists(deps, request.ctx, campaignId(request.params.id))).map(presentMapping),
      }),
    );

    const MappingParams = Type.Object({ id: Type.String(), listId: Type.String() });

    app.put(
      '/campaigns/:id/lead-lists/:listId',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: 'Attach a list to a campaign, or change how the campaign dials it',
          params: MappingParams,
          body: AttachListBody,
          response: { 200: MappingResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const c = campaignId(request.params.id);
        const l = listId(request.params.listId);
        const input = mappingInput(request.body);
        const existing = (await campaignLeadLists(deps, request.ctx, c)).some(
          (m) => toPublicId('leadList', m.list_uid) === toPublicId('leadList', l),
        );
        const view = existing
          ? await updateCampaignLeadList(deps, request.ctx, c, l, input)
          : await attachLeadList(deps, request.ctx, c, l, input);
        return presentMapping(view);
      },
    );

    app.delete(
      '/campaigns/:id/lead-lists/:listId',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: 'Detach a list from a campaign',
          params: MappingParams,
          response: { 204: Type.Null(), ...authErrors(404) },
        },
      },
      async (request, reply) => {
        await detachLeadList(deps, request.ctx, campaignId(request.params.id), listId(request.params.listId));
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/campaigns/:id/lead-lists/:listId/users',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: 'Choose which campaign users may take this list’s calls',
          params: MappingParams,
          body: ListUsersBody,
          response: { 200: MappingResponse, ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const campaign = await getCampaign(deps, request.ctx, campaignId(request.params.id));
        const list = await getLeadList(deps, request.ctx, listId(request.params.listId));
        const refs = (ids: string[]) => ids.map((u) => ({ uid: uidParam('user', u, 'User') }));
        const { mapping } = await mapLeadListUsers(
          deps,
          request.ctx,
          { campaignId: campaign.id, leadListId: list.id },
          { assign: refs(request.body.assign_user_ids), unassign: refs(request.body.unassign_user_ids) },
        );
        return presentMapping(mapping);
      },
    );
  };
