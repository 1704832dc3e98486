import type { Static } from '@sinclair/typebox';
import type { ImportResponse } from '../../schemas/imports.js';
import type { ImportJob } from '../../../db/schema.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../../../services/context.js';
import { iso } from '../common.js';
import { getCampaignById } from '../../../services/campaigns/read-campaigns.js';

export async function presentImport(
  deps: ServiceDeps,
  ctx: RequestContext,
  job: ImportJob,
): Promise<Static<typeof ImportResponse>> {
  const id = toPublicId('importJob', job.uid);
  const repos = tenantReader(deps, ctx);
  const list = await repos.leadLists.getById(job.lead_list_id);
  const campaign = job.campaign_id === null ? null : await getCampaignById(deps, ctx, job.campaign_id);
  return {
    id,
    status: job.status,
    file_name: job.file_name,
    list_id: toPublicId('leadList', list.uid),
    campaign_id: campaign ? toPublicId('campaign', campaign.uid) : null,
    dedup_policy: job.dedup_policy,
    dedup_scope: job.dedup_scope,
    progress: {
      rows_read: job.rows_read,
      accepted: job.accepted,
      updated: job.updated,
      rejected: job.rejected,
      duplicates: job.duplicates,
      dnc: job.dnc,
    },
    error: job.error,
    errors_url: `/v1/imports/${id}/errors.csv`,
    created_at: iso(job.created_at)!,
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
  };
}
