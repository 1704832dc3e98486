import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Campaign, Contact } from '../../../db/schema.js';
import { conflict, invalid, notFound } from '../../../domain/errors.js';
import { hexOfUuid, uuidOfHex } from '../../../domain/public-ids.js';
import {
  QVOICE_CAMPAIGN_STATUS,
  QVOICE_REPORT_WORDS,
  qvoiceLeadStatus,
  statusForQvoiceWord,
} from '../../../domain/status-words.js';
import { removeContact, updateContact } from '../../../services/contacts/change-contact.js';
import {
  campaignLeadStatusReport,
  getLead,
  pageCampaignLeads,
} from '../../../services/contacts/campaign-leads.js';
import { createContacts } from '../../../services/contacts/create-contacts.js';
import { getContactById } from '../../../services/contacts/read-contacts.js';
import { getCampaign } from '../../../services/campaigns/read-campaigns.js';
import type { ServiceDeps } from '../../../services/context.js';
import { qvoiceErrors as errors } from './envelope.js';
import {
  AddQvoiceLeadBody,
  QvoiceLeadsStatusAnswer,
  QvoiceLeadsAnswer,
  QvoiceLeadMessage,
  QvoiceMessage,
} from './schemas.js';

/** Qvoice ids are 32 hex digits (the record's uuid); anything else names nothing. */
export function qvoiceUid(id: string, label: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(id)) throw notFound(label);
  return uuidOfHex(id.toLowerCase());
}

function presentLead(
  contact: Pick<
    Contact,
    'created_at' | 'phone_e164' | 'status' | 'max_retries' | 'first_name' | 'last_name' | 'priority' | 'uid'
  >,
  campaign: Pick<Campaign, 'uid' | 'max_attempts'> | null,
) {
  return {
    created: Math.floor(contact.created_at.getTime() / 1000),
    campaign_id: campaign ? hexOfUuid(campaign.uid) : '',
    number: contact.phone_e164,
    status: qvoiceLeadStatus(contact.status),
    retries: contact.max_retries ?? (campaign ? campaign.max_attempts - 1 : 0),
    first_name: contact.first_name,
    last_name: contact.last_name,
    priority: contact.priority,
    id: hexOfUuid(contact.uid),
  };
}

export const qvoiceLeadRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['Qvoice'];
    const security = [{ bearer: [] }];

    app.get(
      '/api/v2/reports/campaigns/leads/status',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary: 'Get campaigns status and leads by status (Qvoice): an object keyed by campaign id',
          response: {
            200: QvoiceLeadsStatusAnswer,
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const report = await campaignLeadStatusReport(deps, request.ctx);
        const out: Record<
          string,
          { name: string; status: string; total_leads: number; leads_by_status: Record<string, number> }
        > = {};
        for (const { campaign, byStatus } of report) {
          const byWord: Record<string, number> = Object.fromEntries(QVOICE_REPORT_WORDS.map((w) => [w, 0]));
          let total = 0;
          for (const [status, n] of Object.entries(byStatus)) {
            const word = qvoiceLeadStatus(status as Contact['status']);
            byWord[word] = (byWord[word] ?? 0) + n;
            total += n;
          }
          out[hexOfUuid(campaign.uid)] = {
            name: campaign.name,
            status: QVOICE_CAMPAIGN_STATUS[campaign.status],
            total_leads: total,
            leads_by_status: byWord,
          };
        }
        return out;
      },
    );

    app.get(
      '/api/v2/config/campaigns/:campaign_id/leads',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary:
            'Get leads status by campaign (Qvoice): key-set pages; pass next_start_key back until it is empty',
          params: Type.Object({ campaign_id: Type.String() }),
          querystring: Type.Object({
            page_size: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            next_start_key: Type.Optional(Type.String({ pattern: '^([0-9a-fA-F]{32})?$' })),
          }),
          response: {
            200: QvoiceLeadsAnswer,
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const { page_size, next_start_key } = request.query;
        const { campaign, rows, more } = await pageCampaignLeads(
          deps,
          request.ctx,
          qvoiceUid(request.params.campaign_id, 'Campaign'),
          next_start_key ? uuidOfHex(next_start_key.toLowerCase()) : undefined,
          page_size,
        );
        const last = rows[rows.length - 1];
        return {
          data: rows.map((c) => presentLead(c, campaign)),
          next_start_key: more && last ? hexOfUuid(last.uid) : '',
        };
      },
    );

    app.put(
      '/api/v2/config/campaigns/:campaign_id/lead',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Add lead to campaign (Qvoice)',
          params: Type.Object({ campaign_id: Type.String() }),
          body: AddQvoiceLeadBody,
          response: { 200: QvoiceLeadMessage, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        const campaignUid = qvoiceUid(request.params.campaign_id, 'Campaign');
        const [result] = await createContacts(
          deps,
          request.ctx,
          { campaignUid },
          [
            {
              phone: b.number,
              first_name: b.first_name,
              last_name: b.last_name,
              type: b.type,
              priority: b.priority,
              ticket_id: b.ticket_id,
              note: b.note,
              max_retries: b.retries,
              cool_off_seconds: b.cool_off,
            },
          ],
          { policy: 'allow', scope: 'list' },
        );
        if (!result || result.status === 'duplicate') throw conflict('The lead is already in the campaign');
        if (result.status === 'rejected')
          throw invalid(result.message, [`number: ${result.message} (${result.reason})`]);
        const contact = await getContactById(deps, request.ctx, result.contact_id);
        const campaign = await getCampaign(deps, request.ctx, campaignUid);
        return { message: 'Lead added to campaign successfully.', data: presentLead(contact, campaign) };
      },
    );

    app.post(
      '/api/v2/config/campaigns/leads/:leadID/status/:status',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Set lead status (Qvoice): new, retry, callback, success, failed or dnc',
          params: Type.Object({ leadID: Type.String(), status: Type.String() }),
          response: { 200: QvoiceLeadMessage, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const status = statusForQvoiceWord(request.params.status);
        const uid = qvoiceUid(request.params.leadID, 'Lead');
        const lead = await getLead(deps, request.ctx, uid);
        const campaign =
          lead.campaign_uid === null
            ? null
            : { uid: lead.campaign_uid, max_attempts: lead.campaign_max_attempts! };
        const contact = await updateContact(deps, request.ctx, uid, { status });
        return { message: 'Lead status set successfully.', data: presentLead(contact, campaign) };
      },
    );

    app.delete(
      '/api/v2/config/campaigns/leads/:leadID',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Delete lead (Qvoice): it is never dialled again; its calls and history stay',
          params: Type.Object({ leadID: Type.String() }),
          response: { 200: QvoiceMessage, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        await removeContact(deps, request.ctx, qvoiceUid(request.params.leadID, 'Lead'), {
          removedIsMissing: true,
        });
        return { message: 'Lead deleted successfully.' };
      },
    );
  };
