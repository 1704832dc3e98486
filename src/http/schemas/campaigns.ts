import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp, VersionField } from './common.js';
import { Count } from './bounds.js';
import { named } from './components.js';

export const StatusWord = Type.Union(
  ['draft', 'active', 'paused', 'completed', 'cancelled'].map((s) => Type.Literal(s)),
  { description: 'draft (not started), active (running), paused, completed, cancelled (stopped)' },
);
export const DialingMode = Type.Union([
  Type.Literal('preview'),
  Type.Literal('progressive'),
  Type.Literal('power'),
  Type.Literal('predictive'),
  Type.Literal('agentless'),
]);
export const CampaignType = Type.Union([Type.Literal('interaction'), Type.Literal('notification')]);
export const MachineAction = Type.Union([Type.Literal('hang_up'), Type.Literal('play_message')], {
  description:
    "What a call answered by a machine gets: hung up on, or the campaign's message (PUT /v1/campaigns/{id}/message) and then hung up",
});
export const RecordingMode = Type.Union(
  [Type.Literal('none'), Type.Literal('all'), Type.Literal('on_demand')],
  {
    description:
      'Which answered calls are recorded (both sides, docs/recordings.md): none (default), all, or on_demand — the agent starts it from the desk (POST /v1/desk/recording/resume). Its announcement, if any: PUT /v1/campaigns/{id}/recording-announcement',
  },
);
export const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
export const WeeklyWindow = Type.Object(
  {
    day: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday' }),
    start: ClockTime,
    end: ClockTime,
  },
  {
    examples: [{ day: 1, start: '09:30', end: '18:00' }],
    ...named('WeeklyWindow'),
    additionalProperties: false,
  },
);
export const RetryConfig = Type.Object(
  {
    max_retries: Type.Integer({ minimum: 0, maximum: 100, description: 'Calls after the first one' }),
    retry_interval_minutes: Type.Integer({ minimum: 0, maximum: 525600 }),
  },
  {
    examples: [{ max_retries: 2, retry_interval_minutes: 60 }],
    ...named('RetryConfig'),
    additionalProperties: false,
  },
);
export const RetryRule = Type.Object(
  { delay_minutes: Count({ maximum: 525600 }), counts_as_attempt: Type.Boolean() },
  {
    examples: [{ delay_minutes: 15, counts_as_attempt: true }],
    ...named('RetryRule'),
    additionalProperties: false,
  },
);
export const CallingHours = Type.Object(
  { start: ClockTime, end: ClockTime },
  { examples: [{ start: '09:00', end: '21:00' }], ...named('CallingHours'), additionalProperties: false },
);

export const CampaignResponse = Type.Object(
  {
    id: Type.String({ examples: ['cmp_210ea5d942f41744f1ef37e84a4965e0'] }),
    numeric_id: Type.Integer({ description: "Exotel's campaignId" }),
    organization_id: Type.String({ description: 'The contact center (ctr_…)' }),
    process_id: Type.String(),
    queue_id: Nullable(Type.String()),
    name: Type.String(),
    description: Type.String(),
    type: CampaignType,
    dialing_mode: DialingMode,
    status: StatusWord,
    agent_id: Nullable(Type.String()),
    from_phone_number: Nullable(Type.String()),
    time_zone: Type.String(),
    scheduled_at: Nullable(Timestamp),
    ends_at: Nullable(Timestamp),
    weekly_windows: Type.Array(WeeklyWindow),
    calling_hours: CallingHours,
    abandon_rate_cap: Type.Number(),
    lines_per_agent: Type.Number(),
    max_concurrent_calls: Nullable(Type.Integer()),
    wrap_up_seconds: Type.Integer(),
    require_disposition: Type.Boolean(),
    machine_detection: Type.Boolean(),
    machine_action: MachineAction,
    recording_mode: RecordingMode,
    preview_timeout_seconds: Type.Integer(),
    retry_config: RetryConfig,
    retry_rules: Type.Record(Type.String(), RetryRule),
    started_at: Nullable(Timestamp),
    completed_at: Nullable(Timestamp),
    total_leads: Type.Integer({ description: 'Live leads of the lists this campaign dials' }),
    completed_calls: Type.Integer({ description: 'Leads whose calling is over (completed or failed)' }),
    pending_calls: Type.Integer({ description: 'Leads still to call, or on a call now' }),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    ...named('Campaign'),
    examples: [
      {
        id: 'cmp_f8dd47247587486f98753ae096d47383',
        numeric_id: 1,
        organization_id: 'ctr_5ac836b84ce247b497e273d337373a01',
        process_id: 'prc_7343435cce9c4575974ed20c47f4ca43',
        queue_id: 'que_3a046ed701e846419415e5fa2a1c99ea',
        name: 'Mumbai Sales Dept',
        description: 'Campaign related to Sales Management',
        type: 'interaction',
        dialing_mode: 'predictive',
        status: 'active',
        agent_id: null,
        from_phone_number: '+912261234567',
        time_zone: 'Asia/Kolkata',
        scheduled_at: null,
        ends_at: null,
        weekly_windows: [{ day: 1, start: '09:30', end: '18:00' }],
        calling_hours: { start: '09:00', end: '21:00' },
        abandon_rate_cap: 0.03,
        lines_per_agent: 1,
        max_concurrent_calls: null,
        wrap_up_seconds: 30,
        require_disposition: true,
        machine_detection: true,
        machine_action: 'hang_up',
        recording_mode: 'all',
        preview_timeout_seconds: 30,
        retry_config: { max_retries: 2, retry_interval_minutes: 60 },
        retry_rules: { busy: { delay_minutes: 15, counts_as_attempt: true } },
        started_at: '2026-12-06T18:35:26.780Z',
        completed_at: null,
        total_leads: 400,
        completed_calls: 31,
        pending_calls: 369,
        version: 2,
        created_at: '2026-12-06T18:35:26.214Z',
        updated_at: '2026-12-06T18:35:26.780Z',
      },
    ],
  },
);

export const SettingsFields = {
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  process_id: Type.Optional(Type.String({ description: 'prc_… (default: the center’s default process)' })),
  queue_id: Type.Optional(Nullable(Type.String({ description: 'que_…: the agents who take its calls' }))),
  type: Type.Optional(CampaignType),
  dialing_mode: Type.Optional(DialingMode),
  agent_id: Type.Optional(
    Nullable(Type.String({ maxLength: 200, description: 'An external (AI) agent reference' })),
  ),
  from_phone_number: Type.Optional(Nullable(Type.String({ maxLength: 32, description: 'Caller id' }))),
  time_zone: Type.Optional(Type.String({ description: 'IANA zone of the schedule (default: the center’s)' })),
  scheduled_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  ends_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  weekly_windows: Type.Optional(
    Type.Array(WeeklyWindow, { description: 'When the campaign dials; empty = always' }),
  ),
  calling_hours: Type.Optional(CallingHours),
  abandon_rate_cap: Type.Optional(Type.Number({ minimum: 0, maximum: 0.5 })),
  lines_per_agent: Type.Optional(Type.Number({ minimum: 1, maximum: 10 })),
  max_concurrent_calls: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10000 }))),
  wrap_up_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  require_disposition: Type.Optional(
    Type.Boolean({
      description:
        "An agent may end wrap-up only after giving the call a disposition (default true); a wrap-up ended by the limit without one records 'no_disposition'",
    }),
  ),
  machine_detection: Type.Optional(
    Type.Boolean({
      description:
        "Answering-machine detection on answered calls (default true; the SIP carrier analyses the first seconds of the callee's audio, docs/telephony.md). Off: every answer counts as a person, at once",
    }),
  ),
  machine_action: Type.Optional(MachineAction),
  recording_mode: Type.Optional(RecordingMode),
  preview_timeout_seconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
  retry_config: Type.Optional(RetryConfig),
  retry_rules: Type.Optional(Type.Record(Type.String(), RetryRule)),
};

export const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    ...SettingsFields,
    status: Type.Optional(
      Type.Union([Type.Literal('draft'), Type.Literal('active')], {
        description: 'active starts it at once (default draft)',
      }),
    ),
  },
  {
    examples: [
      {
        name: 'Mumbai Sales Dept',
        description: 'Campaign related to Sales Management',
        process_id: 'prc_7343435cce9c4575974ed20c47f4ca43',
        queue_id: 'que_3a046ed701e846419415e5fa2a1c99ea',
        dialing_mode: 'predictive',
        from_phone_number: '+912261234567',
        time_zone: 'Asia/Kolkata',
        weekly_windows: [{ day: 1, start: '09:30', end: '18:00' }],
        calling_hours: { start: '09:00', end: '21:00' },
        abandon_rate_cap: 0.03,
        retry_config: { max_retries: 2, retry_interval_minutes: 60 },
      },
    ],
    additionalProperties: false,
  },
);
export const UpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...SettingsFields,
    status: Type.Optional(StatusWord),
    version: Type.Optional(VersionField),
  },
  { examples: [{ status: 'paused', version: 2 }], additionalProperties: false },
);

export const ContactsByStatus = Type.Record(Type.String(), Type.Integer(), {
  description: 'Contacts per status (new, in_progress, retry, callback, completed, failed, dnc); absent = 0',
});
export const CampaignProgressResponse = Type.Object(
  {
    campaign_id: Type.String(),
    total: Type.Integer(),
    contacts_by_status: ContactsByStatus,
    lists: Type.Array(
      Type.Object({ list_id: Type.String(), total: Type.Integer(), contacts_by_status: ContactsByStatus }),
      { description: 'Per attached list that has contacts' },
    ),
  },
  {
    ...named('CampaignProgress'),
    examples: [
      {
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        total: 400,
        contacts_by_status: { callback: 6, completed: 28, failed: 3, in_progress: 6, new: 268, retry: 89 },
        lists: [
          {
            list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
            total: 400,
            contacts_by_status: {
              callback: 6,
              completed: 28,
              failed: 3,
              in_progress: 6,
              new: 268,
              retry: 89,
            },
          },
        ],
      },
    ],
  },
);

export const CampaignUserResponse = Type.Object(
  {
    campaign_user_id: Type.Integer({ description: "The assignment's id (Exotel's campaignUserId)" }),
    user_id: Type.String(),
    username: Type.String(),
    role: Type.String(),
    full_name: Type.String(),
    created_at: Timestamp,
  },
  {
    ...named('CampaignUser'),
    examples: [
      {
        campaign_user_id: 1,
        user_id: 'usr_2575cbaf9f9148c0b8f3479595ab9efc',
        username: 'agent1',
        role: 'agent',
        full_name: 'Asha Agent',
        created_at: '2026-12-06T18:35:26.247Z',
      },
    ],
  },
);

export const ControlBody = Type.Optional(
  Type.Object(
    { version: Type.Optional(VersionField) },
    { examples: [{ version: 2 }], additionalProperties: false },
  ),
);

export const AssignUsersBody = Type.Object(
  { user_ids: Type.Array(Type.String(), { minItems: 1, maxItems: 500 }) },
  { examples: [{ user_ids: ['usr_2575cbaf9f9148c0b8f3479595ab9efc'] }], additionalProperties: false },
);
