import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import fs from 'node:fs';
import { invalid } from '../../../domain/errors.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { dialnexaLeadStatus } from '../../../domain/status-words.js';
import { getCampaign } from '../../../services/campaigns/read-campaigns.js';
import { removeContact } from '../../../services/contacts/change-contact.js';
import { getLead } from '../../../services/contacts/campaign-leads.js';
import type { LeadView } from '../../../repositories/contacts.repository.js';
import { createContacts } from '../../../services/contacts/create-contacts.js';
import type { ServiceDeps } from '../../../services/context.js';
import { importNow } from '../../../services/imports/import-now.js';
import { authErrors, iso, uidParam } from '../../native/common.js';
import { IdParams } from '../../schemas/common.js';
import { importFileSink, importUploadLimits } from '../../import-uploads.js';
import { acceptMultipart, receiveUpload } from '../../upload.js';
import { sendNativeError } from '../../plugins/errors.js';
import {
  CampaignLead,
  AddLeadBody,
  DialnexaDeleted,
  DialnexaUploadAnswer,
  DialnexaUploadForm,
  REPORTED_ROWS,
} from './schemas.js';

/** DialNexa's documented upload limit. */
export const DIALNEXA_UPLOAD_BYTES = 10 * 1024 * 1024;

function presentLead(lead: LeadView) {
  return {
    id: toPublicId('contact', lead.uid),
    name:
      lead.first_name && lead.last_name
        ? `${lead.first_name} ${lead.last_name}`
        : lead.first_name || lead.last_name || '',
    phone_number: lead.phone_e164,
    campaign_id: lead.campaign_uid ? toPublicId('campaign', lead.campaign_uid) : null,
    status: dialnexaLeadStatus(lead.status),
    notes: lead.variables,
    call_log_id: lead.last_call_uid ? toPublicId('callLog', lead.last_call_uid) : null,
    created_at: iso(lead.created_at)!,
  };
}

/** DialNexa sends the national number and the calling code apart; a number written with + keeps its own. */
function dialString(phoneNumber: string, countryCode: string | undefined): string {
  const number = phoneNumber.trim();
  if (number.startsWith('+') || !countryCode) return number;
  return `+${countryCode.replace(/^\+/, '')} ${number}`;
}

/**
 * DialNexa's campaign-leads API. Its paths sit under /v1 beside the native API, which already
 * follows DialNexa's conventions (its /v1/campaigns is DialNexa's): same bearer API keys, same
 * error envelope. Only the shapes DialNexa documents differently live here: a camelCase create
 * body answered in snake_case, `name` and `notes` for the contact's name and variables.
 */
export const dialnexaDialect =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.setErrorHandler((error, request, reply) => sendNativeError(error, request, reply));
    acceptMultipart(app);
    const tags = ['DialNexa'];
    const security = [{ bearer: [] }];
    const leadUid = (raw: string) => uidParam('contact', raw, 'Lead');

    app.post(
      '/campaigns-leads',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Add a lead to a campaign (DialNexa): camelCase body, snake_case answer',
          body: AddLeadBody,
          response: { 201: CampaignLead, ...authErrors(400, 404, 409) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const campaignUid = uidParam('campaign', b.campaignId, 'Campaign');
        const [result] = await createContacts(
          deps,
          request.ctx,
          { campaignUid },
          [{ phone: dialString(b.phoneNumber, b.countryCode), first_name: b.name, variables: b.notes }],
          { policy: 'allow', scope: 'list' },
        );
        if (!result || result.status === 'duplicate' || result.status === 'updated')
          throw new Error('a single create with the allow policy always creates');
        if (result.status === 'rejected')
          throw invalid(result.message, [`phoneNumber: ${result.message} (${result.reason})`]);
        const lead = await getLead(deps, request.ctx, result.uid!);
        return reply.status(201).send(presentLead(lead));
      },
    );

    app.get(
      '/campaigns-leads/:id',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'Get a campaign lead (DialNexa); a removed lead is not found',
          params: IdParams,
          response: { 200: CampaignLead, ...authErrors(404) },
        },
      },
      async (request) => {
        const lead = await getLead(deps, request.ctx, leadUid(request.params.id));
        return presentLead(lead);
      },
    );

    app.delete(
      '/campaigns-leads/:id',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary:
            'Remove a lead from its campaign (DialNexa); a call in progress finishes. 409 once the campaign is completed or cancelled',
          params: IdParams,
          response: { 200: DialnexaDeleted, ...authErrors(404, 409) },
        },
      },
      async (request) => {
        await removeContact(deps, request.ctx, leadUid(request.params.id), { removedIsMissing: true });
        return { message: 'Lead removed from campaign.' };
      },
    );

    app.post(
      '/campaigns-leads/upload-file/:campaignId',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Upload leads from a CSV or XLSX file (DialNexa), up to 10 MB; answers when imported',
          description:
            'multipart/form-data with `file`. A `phone_number` column is required; `name` names the lead; ' +
            'every other column becomes a note (variable). Numbers already in the campaign are skipped; ' +
            'refused rows are listed with their reasons.',
          consumes: ['multipart/form-data'],
          multipart: DialnexaUploadForm,
          params: Type.Object({ campaignId: Type.String() }),
          response: {
            200: DialnexaUploadAnswer,
            ...authErrors(400, 404, 413, 415),
          },
        },
      },
      async (request, reply) => {
        const campaign = await getCampaign(
          deps,
          request.ctx,
          uidParam('campaign', request.params.campaignId, 'Campaign'),
        );
        const { file } = await receiveUpload(
          request,
          reply,
          importUploadLimits(deps, DIALNEXA_UPLOAD_BYTES),
          importFileSink(deps),
        );
        try {
          const { job, rejectedRows } = await importNow(
            deps,
            request.ctx,
            {
              destination: { campaignUid: campaign.uid },
              fileName: file.name,
              dedupPolicy: 'skip',
              dedupScope: 'list',
              columnMapping: {},
            },
            file.stored,
            REPORTED_ROWS,
          );
          const refused = job.rejected + job.dnc;
          const skipped = job.duplicates + refused;
          return {
            campaign_id: toPublicId('campaign', campaign.uid),
            leads_created: job.accepted,
            leads_skipped: skipped,
            message:
              `${job.accepted} lead${job.accepted === 1 ? '' : 's'} created, ${skipped} skipped` +
              ` (${job.duplicates} already in the campaign, ${refused} refused).`,
            rejected_rows: rejectedRows.map((r) => ({ line: r.line, value: r.raw_value, reason: r.reason })),
          };
        } finally {
          await fs.promises.rm(file.stored, { force: true });
        }
      },
    );
  };
