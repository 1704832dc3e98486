import type { Static } from '@sinclair/typebox';
import type { CampaignResponse, CampaignUserResponse } from '../../schemas/campaigns.js';
import { CAMPAIGN_STATUS_WORD } from '../../../domain/campaign-lifecycle.js';
import { toPublicId } from '../../../domain/public-ids.js';
import type { CampaignView } from '../../../repositories/campaigns.repository.js';
import type { CampaignUserWithUser } from '../../../repositories/campaign-users.repository.js';
import { iso } from '../common.js';
import type { ContactStatus } from '../../../db/schema.js';
import { campaignLeadCounters } from '../../../domain/status-words.js';

export function presentCampaign(
  c: CampaignView,
  centerPublicId: string,
  leadsByStatus: Partial<Record<ContactStatus, number>>,
): Static<typeof CampaignResponse> {
  return {
    id: toPublicId('campaign', c.uid),
    numeric_id: c.number_in_center,
    organization_id: centerPublicId,
    process_id: toPublicId('process', c.process_uid),
    queue_id: c.queue_uid ? toPublicId('queue', c.queue_uid) : null,
    name: c.name,
    description: c.description,
    type: c.type,
    dialing_mode: c.dialing_mode,
    status: CAMPAIGN_STATUS_WORD[c.status],
    agent_id: c.agent_ref,
    from_phone_number: c.caller_id,
    time_zone: c.time_zone,
    scheduled_at: iso(c.scheduled_at),
    ends_at: iso(c.ends_at),
    weekly_windows: c.weekly_windows,
    calling_hours: { start: c.calling_hours_start, end: c.calling_hours_end },
    abandon_rate_cap: c.abandon_rate_cap,
    lines_per_agent: c.lines_per_agent,
    max_concurrent_calls: c.max_concurrent_calls,
    wrap_up_seconds: c.wrap_up_seconds,
    require_disposition: c.require_disposition,
    machine_detection: c.machine_detection,
    machine_action: c.machine_action,
    recording_mode: c.recording_mode,
    preview_timeout_seconds: c.preview_timeout_seconds,
    retry_config: { max_retries: c.max_attempts - 1, retry_interval_minutes: c.retry_interval_minutes },
    retry_rules: c.retry_rules,
    started_at: iso(c.started_at),
    completed_at: iso(c.completed_at),
    ...campaignLeadCounters(leadsByStatus),
    version: c.version,
    created_at: iso(c.created_at)!,
    updated_at: iso(c.updated_at)!,
  };
}

export function presentCampaignUser(r: CampaignUserWithUser): Static<typeof CampaignUserResponse> {
  return {
    campaign_user_id: r.number_in_center,
    user_id: toPublicId('user', r.user_uid),
    username: r.username,
    role: r.role,
    full_name: r.full_name,
    created_at: iso(r.created_at)!,
  };
}
