import type { Campaign } from '../../db/schema.js';
import { conflict } from '../../domain/errors.js';
import type { CampaignMessageInfo } from '../../repositories/campaign-messages.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import {
  deleteCampaignAudio,
  getCampaignAudio,
  loadCampaignAudio,
  putCampaignAudio,
  type CampaignAudioKind,
  type CampaignMessageView,
} from './campaign-audio.js';

/** A campaign's recorded message, played to answered callees of agentless campaigns. */
const MESSAGE: CampaignAudioKind = {
  noun: 'message',
  label: 'Campaign message',
  table: (repos) => repos.campaignMessages,
  // Where agentless campaigns need one (deps.requireRecordedMessage), an agentless campaign that is
  // running or paused keeps it: its next answers would hear nothing.
  keep: (deps, campaign) =>
    deps.requireRecordedMessage &&
    campaign.dialing_mode === 'agentless' &&
    (campaign.status === 'running' || campaign.status === 'paused')
      ? `The agentless campaign is ${campaign.status}: stop it before removing its message`
      : undefined,
};

/**
 * Stores (or replaces) a campaign's message after checking and normalising the audio
 * (message-audio.ts). A replaced message gets the next version, so carriers' caches play the new
 * one from the next call on. A stopped or completed campaign keeps what it ran with (409).
 */
export function putCampaignMessage(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  upload: { fileName: string; bytes: Uint8Array },
): Promise<CampaignMessageView> {
  return putCampaignAudio(deps, ctx, MESSAGE, campaignUid, upload);
}

/** The campaign's message as stored (8 kHz 16-bit mono WAV); 404 when it has none. */
export function getCampaignMessage(deps: ServiceDeps, ctx: RequestContext, campaignUid: string) {
  return getCampaignAudio(deps, ctx, MESSAGE, campaignUid);
}

/** Removes a campaign's message; a running or paused agentless campaign keeps it (409, see MESSAGE). */
export function deleteCampaignMessage(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<void> {
  return deleteCampaignAudio(deps, ctx, MESSAGE, campaignUid);
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

/** One message's audio, by the id and version the engine gave the carrier (loadCampaignAudio). */
export function loadCampaignMessageAudio(
  deps: ServiceDeps,
  ctx: RequestContext,
  messageId: number,
  version: number,
): Promise<Uint8Array | undefined> {
  return loadCampaignAudio(deps, ctx, MESSAGE, messageId, version);
}

/** The campaign's message, described (no audio), for the engine. */
export function campaignMessageInfo(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignId: number,
): Promise<CampaignMessageInfo | undefined> {
  return tenantReader(deps, ctx).campaignMessages.findInfo(campaignId);
}
