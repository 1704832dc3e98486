import type { RequestContext, ServiceDeps } from '../context.js';
import {
  deleteCampaignAudio,
  getCampaignAudio,
  putCampaignAudio,
  type CampaignAudioKind,
  type CampaignMessageView,
} from './campaign-audio.js';

/**
 * A campaign's recording announcement ("this call may be recorded", played to the callee before the
 * agent is connected): uploaded, normalised and versioned exactly like its agentless message.
 */
const ANNOUNCEMENT: CampaignAudioKind = {
  noun: 'announcement',
  label: 'Recording announcement',
  table: (repos) => repos.campaignAnnouncements,
};

/** Stores (or replaces) the announcement after normalising it (message-audio.ts); audited. */
export function putRecordingAnnouncement(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  upload: { fileName: string; bytes: Uint8Array },
): Promise<CampaignMessageView> {
  return putCampaignAudio(deps, ctx, ANNOUNCEMENT, campaignUid, upload);
}

/** The announcement as stored (8 kHz 16-bit mono WAV); 404 when the campaign has none. */
export function getRecordingAnnouncement(deps: ServiceDeps, ctx: RequestContext, campaignUid: string) {
  return getCampaignAudio(deps, ctx, ANNOUNCEMENT, campaignUid);
}

export function deleteRecordingAnnouncement(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<void> {
  return deleteCampaignAudio(deps, ctx, ANNOUNCEMENT, campaignUid);
}
