import { Type } from '@sinclair/typebox';
import type { AgentSession, AgentSessionState } from '../../db/schema.js';
import { callStatusWord, CALL_STATUS_WORDS } from '../../domain/call-status.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { CallLogView } from '../../repositories/call-logs.repository.js';
import type { LeadEventView } from '../../repositories/lead-events.repository.js';
import { iso, Nullable, Timestamp } from './common.js';
import { named } from '../schemas/components.js';

const AGENT_SESSION_STATES = [
  'available',
  'reserved',
  'on_call',
  'wrap_up',
  'paused',
  'logged_out',
] as const satisfies readonly AgentSessionState[];

export const CallLogResponse = Type.Object(
  {
    id: Type.String({ examples: ['log_5f0c2b1e9a7d4c3b8e6f1a2d3c4b5a69'] }),
    numeric_id: Type.Integer(),
    campaign_id: Type.String(),
    lead_id: Type.String({ description: 'The contact (lead_…)' }),
    list_id: Type.String(),
    phone_number: Type.String({ description: 'E.164' }),
    caller_id: Nullable(Type.String()),
    agent_id: Nullable(
      Type.String({ description: 'The agent (usr_…) who took or was reserved for the call' }),
    ),
    status: Type.Union(
      CALL_STATUS_WORDS.map((w) => Type.Literal(w)),
      {
        description:
          'in_progress while live; then completed, busy, no_answer, voicemail, abandoned, failed, cancelled',
      },
    ),
    outcome: Nullable(
      Type.String({
        description: 'answered, machine, no_answer, busy, invalid_number, failed, abandoned, cancelled',
      }),
    ),
    failure_reason: Nullable(Type.String()),
    attempt: Type.Integer({ description: "The contact's attempt number this call was" }),
    counts_as_attempt: Nullable(Type.Boolean()),
    dialing_mode: Type.String(),
    disposition: Nullable(Type.String()),
    disposition_note: Nullable(Type.String()),
    callback_at: Nullable(Timestamp),
    dialed_at: Timestamp,
    answered_at: Nullable(Timestamp),
    connected_at: Nullable(Timestamp),
    ended_at: Nullable(Timestamp),
    wrap_up_ended_at: Nullable(Timestamp),
    message_version: Nullable(
      Type.Integer({
        description: "The campaign message's version played to the callee (agentless, or a machine)",
      }),
    ),
    message_played: Nullable(
      Type.Union([Type.Literal('complete'), Type.Literal('partial')], {
        description: 'complete: heard to the end, then hung up; partial: the callee hung up during it',
      }),
    ),
    ring_seconds: Nullable(Type.Number()),
    duration: Nullable(Type.Number({ description: 'Seconds from answer to end' })),
    created_at: Timestamp,
  },
  named('CallLog'),
);

const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.round((to.getTime() - from.getTime()) / 100) / 10 : null;

export function presentCallLog(c: CallLogView) {
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
    ring_seconds: seconds(c.dialed_at, c.answered_at ?? c.ended_at),
    duration: seconds(c.answered_at, c.ended_at),
    created_at: iso(c.created_at)!,
  };
}

export const LeadEventResponse = Type.Object(
  {
    id: Type.Integer(),
    at: Timestamp,
    type: Type.String(),
    lead_id: Type.String(),
    campaign_id: Nullable(Type.String()),
    call_log_id: Nullable(Type.String()),
    agent_id: Nullable(Type.String()),
    from_status: Nullable(Type.String()),
    to_status: Nullable(Type.String()),
    detail: Type.Record(Type.String(), Type.Unknown()),
  },
  named('LeadEvent'),
);

export function presentLeadEvent(e: LeadEventView) {
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

export const AgentSessionResponse = Type.Object(
  {
    id: Type.String({ description: 'The session (ags_…)' }),
    campaign_id: Type.String(),
    state: Type.Union(AGENT_SESSION_STATES.map((state) => Type.Literal(state))),
    state_since: Timestamp,
    idle_since: Timestamp,
    pause_reason: Nullable(Type.String()),
    pending_pause_reason: Nullable(
      Type.String({ description: 'A pause asked during a call: taken when wrap-up ends' }),
    ),
    wrap_up_deadline: Nullable(Timestamp),
    preview_expires_at: Nullable(Timestamp),
    pending_request: Nullable(
      Type.String({ description: 'A desk request the engine has not carried out yet' }),
    ),
    engine: Nullable(Type.String({ description: 'The engine process driving this agent' })),
    logged_in_at: Timestamp,
    logged_out_at: Nullable(Timestamp),
    calls_handled: Type.Integer(),
    talk_seconds: Type.Number(),
    wrap_up_seconds: Type.Number(),
  },
  named('AgentSession'),
);

export function presentSession(s: AgentSession, campaignUid: string) {
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
