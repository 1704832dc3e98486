import type { CampaignMessageInfo } from '../../repositories/campaign-messages.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import {
  deleteCampaignAudio,
  describeCampaignAudio,
  getCampaignAudio,
  loadCampaignAudio,
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

/** The announcement's description (file name, length, version), for the console; 404 when none. */
export function describeRecordingAnnouncement(deps: ServiceDeps, ctx: RequestContext, campaignUid: string) {
  return describeCampaignAudio(deps, ctx, ANNOUNCEMENT, campaignUid);
}

export function deleteRecordingAnnouncement(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<void> {
  return deleteCampaignAudio(deps, ctx, ANNOUNCEMENT, campaignUid);
}

/** What the engine names in each call of a recording campaign (the carrier plays it): no audio. */
export function recordingAnnouncementInfo(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignId: number,
): Promise<CampaignMessageInfo | undefined> {
  return tenantReader(deps, ctx).campaignAnnouncements.findInfo(campaignId);
}

/** One announcement's audio, by the id and version the engine gave the carrier (loadCampaignAudio). */
export function loadRecordingAnnouncementAudio(
  deps: ServiceDeps,
  ctx: RequestContext,
  announcementId: number,
  version: number,
): Promise<Uint8Array | undefined> {
  return loadCampaignAudio(deps, ctx, ANNOUNCEMENT, announcementId, version);
}
