import type { Campaign } from '../../db/schema.js';
import { FINAL_CAMPAIGN_STATUSES } from '../../domain/campaign-lifecycle.js';
import { conflict, notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { CampaignMessageInfo } from '../../repositories/campaign-messages.repository.js';
import type { TenantRepositories } from '../../repositories/index.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { prepareMessageAudio } from './message-audio.js';

// A campaign's own audio files — its agentless message, its recording announcement ("this call may
// be recorded") — are one small record each beside the campaign, uploaded, normalised
// (message-audio.ts), versioned and audited alike; only their table and their words differ.

export interface CampaignMessageView extends CampaignMessageInfo {
  campaignUid: string;
}

/** Which of a campaign's audio files, and how its errors and audit rows name it. */
export interface CampaignAudioKind {
  /** In audit actions (`campaign.<noun>.upload`) and messages ("its <noun> can no longer change"). */
  noun: 'message' | 'announcement';
  /** What a 404 says is missing. */
  label: string;
  table(repos: TenantRepositories): TenantRepositories['campaignMessages' | 'campaignAnnouncements'];
  /** A reason the file must stay (409), checked before it is removed. */
  keep?(deps: ServiceDeps, campaign: Campaign): string | undefined;
}

function view(campaign: Campaign, info: CampaignMessageInfo): CampaignMessageView {
  return { ...info, campaignUid: campaign.uid };
}

/** What the audit log keeps of a file: its description, never its audio. */
function audited(info: CampaignMessageInfo | undefined) {
  if (!info) return null;
  const { file_name, duration_ms, byte_size, version } = info;
  return { file_name, duration_ms, byte_size, version };
}

/**
 * Stores (or replaces) the file after checking and normalising the audio. A replaced file gets the
 * next version, so carriers' caches play the new one from the next call on. A stopped or completed
 * campaign keeps what it ran with (409).
 */
export async function putCampaignAudio(
  deps: ServiceDeps,
  ctx: RequestContext,
  kind: CampaignAudioKind,
  campaignUid: string,
  upload: { fileName: string; bytes: Uint8Array },
): Promise<CampaignMessageView> {
  // Another center's campaign is not found, whatever the file: looked up before the audio is read.
  await tenantReader(deps, ctx).campaigns.getByUid(campaignUid);
  const audio = prepareMessageAudio(upload.bytes);
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    if (FINAL_CAMPAIGN_STATUSES.includes(campaign.status))
      throw conflict(`The campaign is ${campaign.status}; its ${kind.noun} can no longer change`);
    await repos.campaignMessages.lockCampaign(campaign.id);
    const table = kind.table(repos);
    const current = await table.findInfo(campaign.id);
    const values = {
      file_name: upload.fileName.slice(0, 200),
      duration_ms: audio.durationMs,
      byte_size: audio.wav.length,
      audio: audio.wav,
    };
    const stored = current
      ? (await table.update(current.id, values, now)).after
      : await table.insert({ ...values, campaign_id: campaign.id, created_at: now, updated_at: now });
    const { audio: _audio, ...info } = stored;
    await audit(
      `campaign.${kind.noun}.${current ? 'replace' : 'upload'}`,
      'campaign',
      toPublicId('campaign', campaign.uid),
      audited(current),
      audited(info),
    );
    return view(campaign, info);
  });
}

/** The file as stored (8 kHz 16-bit mono WAV); 404 when the campaign has none. */
export async function getCampaignAudio(
  deps: ServiceDeps,
  ctx: RequestContext,
  kind: CampaignAudioKind,
  campaignUid: string,
): Promise<{ info: CampaignMessageView; wav: Uint8Array }> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  const stored = await kind.table(repos).findForCampaign(campaign.id);
  if (!stored) throw notFound(kind.label);
  const { audio, ...info } = stored;
  return { info: view(campaign, info), wav: audio };
}

/** The file's description (name, length, version), without its audio; 404 when the campaign has none. */
export async function describeCampaignAudio(
  deps: ServiceDeps,
  ctx: RequestContext,
  kind: CampaignAudioKind,
  campaignUid: string,
): Promise<CampaignMessageView> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  const info = await kind.table(repos).findInfo(campaign.id);
  if (!info) throw notFound(kind.label);
  return view(campaign, info);
}

/** Removes the file, unless the kind says it must stay (409); audited. */
export function deleteCampaignAudio(
  deps: ServiceDeps,
  ctx: RequestContext,
  kind: CampaignAudioKind,
  campaignUid: string,
): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    await repos.campaignMessages.lockCampaign(campaign.id);
    const table = kind.table(repos);
    const current = await table.findInfo(campaign.id);
    if (!current) throw notFound(kind.label);
    const kept = kind.keep?.(deps, campaign);
    if (kept) throw conflict(kept);
    await table.deleteById(current.id);
    await audit(
      `campaign.${kind.noun}.delete`,
      'campaign',
      toPublicId('campaign', campaign.uid),
      audited(current),
      null,
    );
  });
}

/**
 * One file's audio, by the id and version the engine gave the carrier, for the carrier's cache (the
 * engine's own work, in the campaign's center). A version replaced since the call was placed gives
 * the file that replaced it; a deleted one, undefined.
 */
export async function loadCampaignAudio(
  deps: ServiceDeps,
  ctx: RequestContext,
  kind: CampaignAudioKind,
  fileId: number,
  version: number,
): Promise<Uint8Array | undefined> {
  const table = kind.table(tenantReader(deps, ctx));
  const file = (await table.findVersion(fileId, version)) ?? (await table.findById(fileId));
  return file?.audio;
}
