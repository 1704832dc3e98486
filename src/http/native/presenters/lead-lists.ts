import type { Static } from '@sinclair/typebox';
import type { MappingResponse } from '../../schemas/lead-lists.js';
import { toPublicId } from '../../../domain/public-ids.js';
import type { CampaignLeadListView } from '../../../repositories/lead-lists.repository.js';
import { iso } from '../common.js';

export function presentMapping(m: CampaignLeadListView): Static<typeof MappingResponse> {
  return {
    campaign_lead_id: m.number_in_center,
    campaign_id: toPublicId('campaign', m.campaign_uid),
    list_id: toPublicId('leadList', m.list_uid),
    list_name: m.list_name,
    priority: m.priority,
    weightage: m.weightage,
    enabled: m.enabled,
    max_attempts: m.max_attempts,
    churn_count: m.churn_count,
    fetch_order: m.fetch_order,
    dialing_enabled_at_all_times: m.dialing_enabled_at_all_times,
    dialing_windows: m.dialing_windows,
    campaign_user_ids: m.campaign_user_numbers,
    version: m.version,
    created_at: iso(m.created_at)!,
    updated_at: iso(m.updated_at)!,
  };
}
