import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FetchOrder } from '../../../db/schema.js';
import type { CampaignLeadListView } from '../../../repositories/lead-lists.repository.js';
import { getCampaignByNumber, getCampaignInProcess } from '../../../services/campaigns/read-campaigns.js';
import type { ServiceDeps } from '../../../services/context.js';
import {
  campaignLeadLists,
  leadListUsersPage,
  mapLeadListUsers,
} from '../../../services/lead-lists/campaign-lead-lists.js';
import { exotelEnvelope, exotelErrors as errors, exotelTime, exotelVersion } from './envelope.js';
import { exotelCredential, requireOwnCenter } from './request.js';
import { Count, RowId } from '../../schemas/bounds.js';
import { LeadUserMapping, LeadUserMappingBody, ExotelCampaignLeadsAnswer } from './schemas.js';

/** Outdial's fetch orders as Exotel-style sort details; the default (by priority) is the empty list. */
const FETCH_ORDER_DETAILS: Record<FetchOrder, { fieldName: string; order: string }[]> = {
  priority: [],
  oldest_first: [{ fieldName: 'dateAdded', order: 'asc' }],
  newest_first: [{ fieldName: 'dateAdded', order: 'desc' }],
  fewest_attempts_first: [{ fieldName: 'attempts', order: 'asc' }],
};

function presentCampaignLead(m: CampaignLeadListView) {
  return {
    id: m.number_in_center,
    campaignContextId: m.campaign_number,
    leadId: m.lead_list_number,
    priority: m.priority,
    weightage: m.weightage,
    enabled: m.enabled,
    maxAttempt: m.max_attempts,
    churnCount: m.churn_count,
    fetchOrderDetails: FETCH_ORDER_DETAILS[m.fetch_order],
    // A list's own dialing settings always apply in Outdial (on top of the campaign's schedule).
    leadDialingConfigurationEnabled: true,
    leadDialingEnabledAtAllTime: m.dialing_enabled_at_all_times,
    campaignLeadDialingConfigurations: m.dialing_windows,
    campaignLeadUserMappings: m.user_mappings.map((u) => ({
      id: Number(u.number_in_center),
      campaignLeadId: m.number_in_center,
      campaignUserId: Number(u.campaign_user_number),
    })),
    dateAdded: exotelTime(m.created_at),
    dateModified: exotelTime(m.updated_at),
    ref: 0,
    version: exotelVersion(m.version),
  };
}

export const exotelLeadRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['Exotel CC'];
    const security = [{ bearer: [] }];
    const HierarchyParams = Type.Object({
      contactCenterId: RowId(),
      processId: RowId(),
      campaignId: RowId(),
    });

    app.get(
      '/cms/configuration/cc/:contactCenterId/process/:processId/campaign/:campaignId/campaign-lead',
      {
        config: { permission: 'campaigns:read', credential: exotelCredential },
        schema: {
          tags,
          security,
          summary:
            'Get campaign leads (Exotel CC): the lists a campaign dials, with their settings and users',
          params: HierarchyParams,
          response: {
            200: ExotelCampaignLeadsAnswer,
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const { contactCenterId, processId, campaignId } = request.params;
        await requireOwnCenter(deps, request, contactCenterId);
        const campaign = await getCampaignInProcess(deps, request.ctx, processId, campaignId);
        const mappings = await campaignLeadLists(deps, request.ctx, campaign.uid);
        return exotelEnvelope(
          request,
          mappings.map((m) => ({ http_code: 200, error_data: null, data: presentCampaignLead(m) })),
        );
      },
    );

    app.get(
      '/cms/configuration/cc/:contactCenterId/process/:processId/campaign/:campaignId/lead-user',
      {
        config: { permission: 'campaigns:read', credential: exotelCredential },
        schema: {
          tags,
          security,
          summary:
            'Get the users of one campaign lead (Exotel CC): a page of the campaign’s users, each assigned or unassigned',
          params: HierarchyParams,
          querystring: Type.Object({
            leadId: RowId(),
            limit: Type.Integer({ minimum: 1, maximum: 500 }),
            offset: Count(),
          }),
          response: { 200: LeadUserMapping, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { contactCenterId, processId, campaignId } = request.params;
        const { leadId, limit, offset } = request.query;
        await requireOwnCenter(deps, request, contactCenterId);
        const campaign = await getCampaignInProcess(deps, request.ctx, processId, campaignId);
        const { mapping, users } = await leadListUsersPage(
          deps,
          request.ctx,
          { campaignId: campaign.id, leadListNumber: leadId },
          { limit, offset },
        );
        const assigned = users.filter((u) => u.mapped);
        const unassigned = users.filter((u) => !u.mapped);
        return {
          campaignLeadId: mapping.number_in_center,
          assignedCampaignUserIds: assigned.map((u) => u.campaignUserNumber),
          unassignedCampaignUserIds: unassigned.map((u) => u.campaignUserNumber),
          leadId: mapping.lead_list_number,
          campaignId: mapping.campaign_number,
          assignedUserIds: assigned.map((u) => u.username),
          unassignedUserIds: unassigned.map((u) => u.username),
        };
      },
    );

    app.put(
      '/cms/configuration/voice/campaignLeadUserMapping',
      {
        config: { permission: 'campaigns:write', credential: exotelCredential },
        schema: {
          tags,
          security,
          summary: 'Assign and unassign users of a campaign lead (Exotel CC): who may take that list’s calls',
          body: LeadUserMappingBody,
          response: { 200: LeadUserMapping, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        const campaign = await getCampaignByNumber(deps, request.ctx, b.campaignId);
        const { mapping, assigned, unassigned } = await mapLeadListUsers(
          deps,
          request.ctx,
          { campaignId: campaign.id, leadListNumber: b.leadId },
          {
            assign: b.assignedUserIds.map((username) => ({ username })),
            unassign: b.unassignedUserIds.map((username) => ({ username })),
          },
        );
        return {
          campaignLeadId: mapping.number_in_center,
          assignedCampaignUserIds: assigned.map((a) => a.campaignUserNumber),
          unassignedCampaignUserIds: unassigned.map((u) => u.campaignUserNumber),
          leadId: mapping.lead_list_number,
          campaignId: mapping.campaign_number,
          assignedUserIds: assigned.map((a) => a.username),
          unassignedUserIds: unassigned.map((u) => u.username),
        };
      },
    );
  };
