import type { Static } from '@sinclair/typebox';
import type {
  CallLogResponse,
  LeadEventResponse,
  RecordingMetadataResponse,
} from '../../schemas/call-logs.js';
import type { AgentSessionResponse } from '../../schemas/desk.js';
import type { AgentSession, Recording } from '../../../db/schema.js';
import { callStatusWord } from '../../../domain/call-status.js';
import { toPublicId } from '../../../domain/public-ids.js';
import type { CallLogShown } from '../../../repositories/call-logs.repository.js';
import type { LeadEventView } from '../../../repositories/lead-events.repository.js';
import { iso } from '../common.js';

const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.round((to.getTime() - from.getTime()) / 100) / 10 : null;

export function presentCallLog(c: CallLogShown): Static<typeof CallLogResponse> {
  return {
    id: toPublicId('callLog', c.uid),
    numeric_id: c.id,
    campaign_id: toPublicId('campaign', c.campaign_uid),
    lead_id: toPublicId('contact', c.contact_uid),
    list_id: toPublicId('leadList', c.lead_list_uid),
    phone_number: c.phone_e164,
    caller_id: c.caller_id,
    agent_id: c.agent_uid ? toPublicId('user', c.agent_uid) : null,
    status: callStatusWord(c),
    outcome: c.outcome,
    failure_reason: c.failure_reason,
    attempt: c.attempt,
    counts_as_attempt: c.counts_as_attempt,
    dialing_mode: c.dialing_mode,
    disposition: c.disposition,
    disposition_note: c.disposition_note,
    callback_at: iso(c.callback_at),
    dialed_at: iso(c.dialed_at)!,
    answered_at: iso(c.answered_at),
    connected_at: iso(c.connected_at),
    ended_at: iso(c.ended_at),
    wrap_up_ended_at: iso(c.wrap_up_ended_at),
    message_version: c.message_version,
    message_played: c.message_played,
    has_recording: c.has_recording,
    recording_url: c.has_recording ? `/v1/call-logs/${toPublicId('callLog', c.uid)}/recording` : null,
    ring_seconds: seconds(c.dialed_at, c.answered_at ?? c.ended_at),
    duration: seconds(c.answered_at, c.ended_at),
    created_at: iso(c.created_at)!,
  };
}

/** A call's recording described; `callLogId` is the call's public id. */
export function presentRecording(r: Recording, callLogId: string): Static<typeof RecordingMetadataResponse> {
  return {
    call_log_id: callLogId,
    format: r.format,
    byte_size: Number(r.byte_size),
    duration_ms: Number(r.duration_ms),
    started_at: iso(r.started_at)!,
    ended_at: iso(r.ended_at),
    pauses: r.pauses.map((p) => ({ start_ms: p.startMs, end_ms: p.endMs })),
    audio_url: `/v1/call-logs/${callLogId}/recording`,
  };
}

export function presentLeadEvent(e: LeadEventView): Static<typeof LeadEventResponse> {
  return {
    id: e.id,
    at: iso(e.at)!,
    type: e.type,
    lead_id: toPublicId('contact', e.contact_uid),
    campaign_id: e.campaign_uid ? toPublicId('campaign', e.campaign_uid) : null,
    call_log_id: e.call_log_uid ? toPublicId('callLog', e.call_log_uid) : null,
    agent_id: e.agent_uid ? toPublicId('user', e.agent_uid) : null,
    from_status: e.from_status,
    to_status: e.to_status,
    detail: e.detail,
  };
}

export function presentSession(s: AgentSession, campaignUid: string): Static<typeof AgentSessionResponse> {
  return {
    id: toPublicId('agentSession', s.uid),
    campaign_id: toPublicId('campaign', campaignUid),
    state: s.state,
    state_since: iso(s.state_since)!,
    idle_since: iso(s.idle_since)!,
    pause_reason: s.pause_reason,
    pending_pause_reason: s.pending_pause_reason,
    wrap_up_deadline: iso(s.wrap_up_deadline),
    preview_expires_at: iso(s.preview_expires_at),
    pending_request: s.requested_action ?? s.requested_state,
    engine: s.engine_owner,
    logged_in_at: iso(s.logged_in_at)!,
    logged_out_at: iso(s.logged_out_at),
    calls_handled: s.calls_handled,
    talk_seconds: Math.round(s.talk_ms / 1000),
    wrap_up_seconds: Math.round(s.wrap_up_ms / 1000),
  };
}
