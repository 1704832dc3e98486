import type { Campaign } from '../../db/schema.js';
import { FINAL_CAMPAIGN_STATUSES } from '../../domain/campaign-lifecycle.js';
import { conflict, notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { CampaignMessageInfo } from '../../repositories/campaign-messages.repository.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { prepareMessageAudio } from './message-audio.js';

// A campaign's recorded message: the plain CRUD of one small record, beside the campaign.

export interface CampaignMessageView extends CampaignMessageInfo {
  campaignUid: string;
}

function view(campaign: Campaign, info: CampaignMessageInfo): CampaignMessageView {
  return { ...info, campaignUid: campaign.uid };
}

/** What the audit log keeps of a message: its description, never its audio. */
function audited(info: CampaignMessageInfo | undefined) {
  if (!info) return null;
  const { file_name, duration_ms, byte_size, version } = info;
  return { file_name, duration_ms, byte_size, version };
}

/**
 * Stores (or replaces) a campaign's message after checking and normalising the audio
 * (message-audio.ts). A replaced message gets the next version, so carriers' caches play the new
 * one from the next call on. A stopped or completed campaign keeps what it ran with (409).
 */
export async function putCampaignMessage(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  upload: { fileName: string; bytes: Uint8Array },
): Promise<CampaignMessageView> {
  // Another center's campaign is not found, whatever the file: looked up before the audio is read.
  await tenantReader(deps, ctx).campaigns.getByUid(campaignUid);
  const audio = prepareMessageAudio(upload.bytes);
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    if (FINAL_CAMPAIGN_STATUSES.includes(campaign.status))
      throw conflict(`The campaign is ${campaign.status}; its message can no longer change`);
    await repos.campaignMessages.lockCampaign(campaign.id);
    const current = await repos.campaignMessages.findInfo(campaign.id);
    const values = {
      file_name: upload.fileName.slice(0, 200),
      duration_ms: audio.durationMs,
      byte_size: audio.wav.length,
      audio: audio.wav,
    };
    const stored = current
      ? (await repos.campaignMessages.update(current.id, values, now)).after
      : await repos.campaignMessages.insert({
          ...values,
          campaign_id: campaign.id,
          created_at: now,
          updated_at: now,
        });
    const { audio: _audio, ...info } = stored;
    await audit(
      current ? 'campaign.message.replace' : 'campaign.message.upload',
      'campaign',
      toPublicId('campaign', campaign.uid),
      audited(current),
      audited(info),
    );
    return view(campaign, info);
  });
}

/** The campaign's message as stored (8 kHz 16-bit mono WAV); 404 when it has none. */
export async function getCampaignMessage(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<{ info: CampaignMessageView; wav: Uint8Array }> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  const message = await repos.campaignMessages.findForCampaign(campaign.id);
  if (!message) throw notFound('Campaign message');
  const { audio, ...info } = message;
  return { info: view(campaign, info), wav: audio };
}

/**
 * Removes a campaign's message. Where agentless campaigns need one (deps.requireRecordedMessage),
 * an agentless campaign that is running or paused keeps it (409): its next answers would hear
 * nothing.
 */
export function deleteCampaignMessage(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    await repos.campaignMessages.lockCampaign(campaign.id);
    const current = await repos.campaignMessages.findInfo(campaign.id);
    if (!current) throw notFound('Campaign message');
    if (
      deps.requireRecordedMessage &&
      campaign.dialing_mode === 'agentless' &&
      (campaign.status === 'running' || campaign.status === 'paused')
    )
      throw conflict(`The agentless campaign is ${campaign.status}: stop it before removing its message`);
    await repos.campaignMessages.deleteById(current.id);
    await audit(
      'campaign.message.delete',
      'campaign',
      toPublicId('campaign', campaign.uid),
      audited(current),
      null,
    );
  });
}

/**
 * Refuses a campaign that would dial agentless with nothing to play, where agentless campaigns
 * need a recorded message (deps.requireRecordedMessage: the SIP carrier plays real recordings).
 * Called as a campaign is created running, started, resumed, or switched to agentless.
 */
export async function requireMessageToDial(
  deps: ServiceDeps,
  repos: { campaignMessages: { findInfo(campaignId: number): Promise<CampaignMessageInfo | undefined> } },
  campaign: Pick<Campaign, 'id' | 'dialing_mode' | 'status'>,
): Promise<void> {
  if (!deps.requireRecordedMessage || campaign.dialing_mode !== 'agentless') return;
  if (campaign.status !== 'running' && campaign.status !== 'paused') return;
  if (await repos.campaignMessages.findInfo(campaign.id)) return;
  throw conflict(
    'An agentless campaign needs its recorded message before it dials: upload one (PUT /v1/campaigns/{id}/message)',
  );
}

/**
 * One recording's audio, by the id and version the engine gave the carrier, for the carrier's
 * message cache (the engine's own work, in the campaign's center). A version replaced since the
 * call was placed gives the recording that replaced it; a deleted one, undefined.
 */
export async function loadCampaignMessageAudio(
  deps: ServiceDeps,
  ctx: RequestContext,
  messageId: number,
  version: number,
): Promise<Uint8Array | undefined> {
  const repos = tenantReader(deps, ctx);
  const message =
    (await repos.campaignMessages.findVersion(messageId, version)) ??
    (await repos.campaignMessages.findById(messageId));
  return message?.audio;
}

/** The campaign's message, described (no audio), for the engine. */
export function campaignMessageInfo(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignId: number,
): Promise<CampaignMessageInfo | undefined> {
  return tenantReader(deps, ctx).campaignMessages.findInfo(campaignId);
}
