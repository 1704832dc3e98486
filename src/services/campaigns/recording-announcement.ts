import { FINAL_CAMPAIGN_STATUSES } from '../../domain/campaign-lifecycle.js';
import { conflict, notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { CampaignMessageInfo } from '../../repositories/campaign-messages.repository.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import type { CampaignMessageView } from './campaign-message.js';
import { prepareMessageAudio } from './message-audio.js';

// A campaign's recording announcement ("this call may be recorded", played to the callee before the
// agent is connected): uploaded, normalised and versioned exactly like its agentless message.

function audited(info: CampaignMessageInfo | undefined) {
  if (!info) return null;
  const { file_name, duration_ms, byte_size, version } = info;
  return { file_name, duration_ms, byte_size, version };
}

/** Stores (or replaces) the announcement after normalising it (message-audio.ts); audited. */
export async function putRecordingAnnouncement(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  upload: { fileName: string; bytes: Uint8Array },
): Promise<CampaignMessageView> {
  await tenantReader(deps, ctx).campaigns.getByUid(campaignUid);
  const audio = prepareMessageAudio(upload.bytes);
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    if (FINAL_CAMPAIGN_STATUSES.includes(campaign.status))
      throw conflict(`The campaign is ${campaign.status}; its announcement can no longer change`);
    await repos.campaignMessages.lockCampaign(campaign.id);
    const current = await repos.campaignAnnouncements.findInfo(campaign.id);
    const values = {
      file_name: upload.fileName.slice(0, 200),
      duration_ms: audio.durationMs,
      byte_size: audio.wav.length,
      audio: audio.wav,
    };
    const stored = current
      ? (await repos.campaignAnnouncements.update(current.id, values, now)).after
      : await repos.campaignAnnouncements.insert({
          ...values,
          campaign_id: campaign.id,
          created_at: now,
          updated_at: now,
        });
    const { audio: _audio, ...info } = stored;
    await audit(
      current ? 'campaign.announcement.replace' : 'campaign.announcement.upload',
      'campaign',
      toPublicId('campaign', campaign.uid),
      audited(current),
      audited(info),
    );
    return { ...info, campaignUid: campaign.uid };
  });
}

/** The announcement as stored (8 kHz 16-bit mono WAV); 404 when the campaign has none. */
export async function getRecordingAnnouncement(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<{ info: CampaignMessageView; wav: Uint8Array }> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  const announcement = await repos.campaignAnnouncements.findForCampaign(campaign.id);
  if (!announcement) throw notFound('Recording announcement');
  const { audio, ...info } = announcement;
  return { info: { ...info, campaignUid: campaign.uid }, wav: audio };
}

export function deleteRecordingAnnouncement(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    await repos.campaignMessages.lockCampaign(campaign.id);
    const current = await repos.campaignAnnouncements.findInfo(campaign.id);
    if (!current) throw notFound('Recording announcement');
    await repos.campaignAnnouncements.deleteById(current.id);
    await audit(
      'campaign.announcement.delete',
      'campaign',
      toPublicId('campaign', campaign.uid),
      audited(current),
      null,
    );
  });
}
