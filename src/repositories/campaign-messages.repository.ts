import type { CampaignAnnouncement, CampaignMessage } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { VersionedRepository } from './versioned-repository.js';

/** A message's description, without its audio (what most readers need). */
export type CampaignMessageInfo = Omit<CampaignMessage, 'audio'>;

const INFO_COLUMNS = [
  'id',
  'contact_center_id',
  'campaign_id',
  'file_name',
  'duration_ms',
  'byte_size',
  'version',
  'created_at',
  'updated_at',
] as const;

/** One version of one audio file (the tables have the same columns). */
function findAudioVersion(
  scope: TenantScope,
  table: 'campaign_messages' | 'campaign_announcements',
  id: number,
  version: number,
): Promise<CampaignMessage | undefined> {
  return scope
    .selectFrom(table)
    .selectAll()
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Campaigns' recorded messages (one per campaign at most). */
export class CampaignMessagesRepository extends VersionedRepository<'campaign_messages'> {
  constructor(scope: TenantScope) {
    super(scope, 'campaign_messages', 'Campaign message');
  }

  /** Holds the campaign's row for the caller's transaction: one message change at a time per campaign. */
  async lockCampaign(campaignId: number): Promise<void> {
    await this.scope.selectFrom('campaigns').select('id').where('id', '=', campaignId).forUpdate().execute();
  }

  findInfo(campaignId: number): Promise<CampaignMessageInfo | undefined> {
    return this.scope
      .selectFrom('campaign_messages')
      .select(INFO_COLUMNS)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
  }

  findForCampaign(campaignId: number): Promise<CampaignMessage | undefined> {
    return this.scope
      .selectFrom('campaign_messages')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
  }

  /** One recording, by the id and version a carrier was given (undefined once replaced or deleted). */
  findVersion(id: number, version: number): Promise<CampaignMessage | undefined> {
    return findAudioVersion(this.scope, 'campaign_messages', id, version);
  }
}

/** Campaigns' recording announcements ("this call may be recorded"): one per campaign at most. */
export class CampaignAnnouncementsRepository extends VersionedRepository<'campaign_announcements'> {
  constructor(scope: TenantScope) {
    super(scope, 'campaign_announcements', 'Recording announcement');
  }

  findInfo(campaignId: number): Promise<CampaignMessageInfo | undefined> {
    return this.scope
      .selectFrom('campaign_announcements')
      .select(INFO_COLUMNS)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
  }

  findForCampaign(campaignId: number): Promise<CampaignAnnouncement | undefined> {
    return this.scope
      .selectFrom('campaign_announcements')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
  }
  /** One announcement, by the id and version a carrier was given (undefined once replaced or deleted). */
  findVersion(id: number, version: number): Promise<CampaignAnnouncement | undefined> {
    return findAudioVersion(this.scope, 'campaign_announcements', id, version);
  }
}
