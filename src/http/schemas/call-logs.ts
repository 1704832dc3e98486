import { Type } from '@sinclair/typebox';
import { CALL_STATUS_WORDS } from '../../domain/call-status.js';
import { PageQuery, Timestamp, Nullable } from './common.js';
import { Bounded, INT4_MAX } from './bounds.js';
import { named } from './components.js';
import { DISPOSITIONS } from '../../domain/call-outcome.js';

/** A date-time, or a whole day (UTC): a day starts a range at its first instant and ends it after its last. */
/** A call under way, as the desk and the agents board show it. */
export const callInProgressExample = {
  id: 'log_64a74170d46a4d588e0843cf94200493',
  numeric_id: 131,
  campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
  lead_id: 'lead_2d9a9558144041e5b8e534e78a58ca8b',
  list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
  phone_number: '+919821029470',
  caller_id: '+912261234567',
  agent_id: 'usr_bddc1c3483224a82be0b5c0d026fec64',
  status: 'in_progress',
  outcome: null,
  failure_reason: null,
  attempt: 1,
  counts_as_attempt: null,
  dialing_mode: 'predictive',
  disposition: null,
  disposition_note: null,
  callback_at: null,
  dialed_at: '2026-12-06T18:46:59.870Z',
  answered_at: '2026-12-06T18:47:01.550Z',
  connected_at: '2026-12-06T18:47:01.629Z',
  ended_at: null,
  wrap_up_ended_at: null,
  message_version: null,
  message_played: null,
  has_recording: false,
  recording_url: null,
  ring_seconds: 1.7,
  duration: null,
  created_at: '2026-12-06T18:46:59.870Z',
};

/** One event of a lead's history. */
export const leadEventExample = {
  id: 1,
  at: '2026-12-06T18:35:45.275Z',
  type: 'dialed',
  lead_id: 'lead_d4ed26745813470587c907f896ef760b',
  campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
  call_log_id: 'log_4601d9606017482ea06c61d37559c731',
  agent_id: null,
  from_status: null,
  to_status: null,
  detail: { mode: 'predictive', phone: '+919820000000', attempt: 1 },
};

export const DateBound = Type.Union([Timestamp, Type.String({ format: 'date' })], {
  description: 'ISO 8601 date-time, or a date (YYYY-MM-DD, UTC): an end date includes that whole day',
});

export const CallLogFields = {
  ...PageQuery,
  status: Type.Optional(Type.Union(CALL_STATUS_WORDS.map((w) => Type.Literal(w)))),
  lead_id: Type.Optional(Type.String()),
  agent_id: Type.Optional(Type.String()),
  start_date: Type.Optional(DateBound),
  end_date: Type.Optional(DateBound),
  min_duration: Type.Optional(Bounded(0, INT4_MAX, { description: 'Seconds from answer to end, at least' })),
  max_duration: Type.Optional(Bounded(0, INT4_MAX, { description: 'Seconds from answer to end, at most' })),
};
export const CampaignCallLogQuery = Type.Object(CallLogFields);
export const CallLogQuery = Type.Object({
  ...CallLogFields,
  campaign_id: Type.Optional(Type.String({ description: 'cmp_…: the calls of one campaign' })),
});

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
    has_recording: Type.Boolean({
      description: 'Whether a recording of the call can be played (recorded campaigns; none once deleted)',
    }),
    recording_url: Nullable(
      Type.String({
        description: 'Where the recording is (GET, range requests allowed), when there is one',
        examples: ['/v1/call-logs/log_5f0c2b1e9a7d4c3b8e6f1a2d3c4b5a69/recording'],
      }),
    ),
    ring_seconds: Nullable(Type.Number()),
    duration: Nullable(Type.Number({ description: 'Seconds from answer to end' })),
    created_at: Timestamp,
  },
  {
    ...named('CallLog'),
    examples: [
      {
        id: 'log_13574bda5a2a4f319c829ff01248a647',
        numeric_id: 132,
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        lead_id: 'lead_341e16678e1247319b3cd29e19911cd3',
        list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
        phone_number: '+919821037389',
        caller_id: '+912261234567',
        agent_id: 'usr_3dc6b8b4a307499ea87c6b0d2bb4aa30',
        status: 'completed',
        outcome: 'answered_person',
        failure_reason: null,
        attempt: 1,
        counts_as_attempt: true,
        dialing_mode: 'predictive',
        disposition: 'success',
        disposition_note: 'Wants the Gold plan; call back after payday',
        callback_at: null,
        dialed_at: '2026-12-06T18:47:06.367Z',
        answered_at: '2026-12-06T18:47:07.384Z',
        connected_at: '2026-12-06T18:47:07.439Z',
        ended_at: '2026-12-06T18:48:52.102Z',
        wrap_up_ended_at: '2026-12-06T18:49:10.377Z',
        message_version: null,
        message_played: null,
        has_recording: true,
        recording_url: '/v1/call-logs/log_13574bda5a2a4f319c829ff01248a647/recording',
        ring_seconds: 1,
        duration: 104.7,
        created_at: '2026-12-06T18:47:06.367Z',
      },
    ],
  },
);

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
  {
    ...named('LeadEvent'),
    examples: [leadEventExample],
  },
);

export const DispositionBody = Type.Object(
  {
    disposition: Type.Union(DISPOSITIONS.map((d) => Type.Literal(d))),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    callback_at: Type.Optional(Timestamp),
  },
  { examples: [{ disposition: 'success', note: 'Wants the Gold plan' }] },
);

export const RecordingPause = Type.Object(
  {
    start_ms: Type.Integer({ description: 'Where the pause began, ms from the recording’s start' }),
    end_ms: Type.Integer({ description: 'Where the recording resumed (or ended), ms from its start' }),
  },
  named('RecordingPause'),
);

export const RecordingMetadataResponse = Type.Object(
  {
    call_log_id: Type.String(),
    format: Type.String({ description: 'wav-pcm16-stereo-8k: 8 kHz, 16-bit, customer left, agent right' }),
    byte_size: Type.Integer(),
    duration_ms: Type.Integer(),
    started_at: Timestamp,
    ended_at: Nullable(Timestamp),
    pauses: Type.Array(RecordingPause, {
      description: 'The stretches the agent paused from the desk, oldest first: silent in the file',
    }),
    audio_url: Type.String({ description: 'The recording itself (GET, range requests allowed)' }),
  },
  {
    ...named('RecordingMetadata'),
    examples: [
      {
        call_log_id: 'log_13574bda5a2a4f319c829ff01248a647',
        format: 'wav-pcm16-stereo-8k',
        byte_size: 6_681_644,
        duration_ms: 104_400,
        started_at: '2026-12-06T18:47:07.441Z',
        ended_at: '2026-12-06T18:48:52.102Z',
        pauses: [{ start_ms: 41_250, end_ms: 63_125 }],
        audio_url: '/v1/call-logs/log_13574bda5a2a4f319c829ff01248a647/recording',
      },
    ],
  },
);
