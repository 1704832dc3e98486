import type { Static } from '@sinclair/typebox';
import type { CampaignMessageResponse } from '../../schemas/campaign-messages.js';
import { toPublicId } from '../../../domain/public-ids.js';
import type { CampaignMessageView } from '../../../services/campaigns/campaign-audio.js';
import { MESSAGE_SAMPLE_RATE } from '../../../services/campaigns/message-audio.js';
import { iso } from '../common.js';

export function presentMessage(m: CampaignMessageView): Static<typeof CampaignMessageResponse> {
  const campaignId = toPublicId('campaign', m.campaignUid);
  return {
    campaign_id: campaignId,
    file_name: m.file_name,
    duration_ms: m.duration_ms,
    byte_size: m.byte_size,
    sample_rate: MESSAGE_SAMPLE_RATE,
    version: m.version,
    audio_url: `/v1/campaigns/${campaignId}/message`,
    created_at: iso(m.created_at)!,
    updated_at: iso(m.updated_at)!,
  };
}
