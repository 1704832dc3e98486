import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';
import { ContactResponse } from './contacts.js';
import { CallLogResponse, LeadEventResponse } from './call-logs.js';
import { named } from './components.js';
import type { AgentSessionState } from '../../db/schema.js';
import { DISPOSITIONS } from '../../domain/call-outcome.js';

export const AGENT_SESSION_STATES = [
  'available',
  'reserved',
  'on_call',
  'wrap_up',
  'paused',
  'logged_out',
] as const satisfies readonly AgentSessionState[];

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
  {
    ...named('AgentSession'),
    examples: [
      {
        id: 'ags_8c3f15758a2c4f02921b8f0a81b99911',
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        state: 'on_call',
        state_since: '2026-12-06T18:47:01.549Z',
        idle_since: '2026-12-06T18:46:36.480Z',
        pause_reason: null,
        pending_pause_reason: null,
        wrap_up_deadline: null,
        preview_expires_at: null,
        pending_request: null,
        engine: 'vm:23728:2971d859',
        logged_in_at: '2026-12-06T18:35:42.422Z',
        logged_out_at: null,
        calls_handled: 8,
        talk_seconds: 473,
        wrap_up_seconds: 66,
      },
    ],
  },
);

export const DeskResponse = Type.Object(
  {
    session: Nullable(AgentSessionResponse),
    campaign: Nullable(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        dialing_mode: Type.String(),
        wrap_up_seconds: Type.Integer(),
        preview_timeout_seconds: Type.Integer(),
      }),
    ),
    call: Nullable(CallLogResponse),
    contact: Nullable(ContactResponse),
    history: Type.Array(LeadEventResponse),
  },
  {
    ...named('Desk'),
    examples: [
      {
        session: {
          id: 'ags_8c3f15758a2c4f02921b8f0a81b99911',
          campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
          state: 'on_call',
          state_since: '2026-12-06T18:47:01.549Z',
          idle_since: '2026-12-06T18:46:36.480Z',
          pause_reason: null,
          pending_pause_reason: null,
          wrap_up_deadline: null,
          preview_expires_at: null,
          pending_request: null,
          engine: 'vm:23728:2971d859',
          logged_in_at: '2026-12-06T18:35:42.422Z',
          logged_out_at: null,
          calls_handled: 8,
          talk_seconds: 473,
          wrap_up_seconds: 66,
        },
        campaign: {
          id: 'cmp_f8dd47247587486f98753ae096d47383',
          name: 'Mumbai Sales Dept',
          dialing_mode: 'predictive',
          wrap_up_seconds: 30,
          preview_timeout_seconds: 30,
        },
        call: {
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
          ring_seconds: 1.7,
          duration: null,
          created_at: '2026-12-06T18:46:59.870Z',
        },
        contact: {
          id: 'lead_d4ed26745813470587c907f896ef760b',
          numeric_id: 1,
          list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
          campaign_id: null,
          phone_number: '+919820000000',
          phone_raw: '9820000000',
          phone_country: 'IN',
          first_name: 'Aarav',
          last_name: 'Sharma',
          variables: { plan: 'Silver', renewal_month: '1' },
          ticket_id: null,
          note: null,
          type: null,
          priority: 0,
          max_retries: null,
          cool_off_seconds: null,
          time_zone: 'Asia/Kolkata',
          time_zones: ['Asia/Kolkata'],
          time_zone_source: 'number',
          status: 'retry',
          attempts: 1,
          next_attempt_at: '2026-12-06T19:36:10.846Z',
          last_attempt_at: '2026-12-06T18:35:45.275Z',
          last_outcome: 'no_answer',
          callback_at: null,
          removed_at: null,
          version: 3,
          created_at: '2026-12-06T18:35:26.459Z',
          updated_at: '2026-12-06T18:36:10.846Z',
        },
        history: [
          {
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
          },
        ],
      },
    ],
  },
);

export const DeskLoginBody = Type.Object(
  { campaign_id: Type.String() },
  { examples: [{ campaign_id: 'cmp_f8dd47247587486f98753ae096d47383' }] },
);

export const PauseBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 100 }) },
  { examples: [{ reason: 'Lunch' }] },
);

export const DeskDispositionBody = Type.Object(
  {
    disposition: Type.Union(DISPOSITIONS.map((d) => Type.Literal(d))),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    callback_at: Type.Optional(Timestamp),
    callback_mine: Type.Optional(
      Type.Boolean({ description: 'A callback only you take (default: any agent of the list)' }),
    ),
  },
  {
    examples: [
      {
        disposition: 'callback',
        note: 'Call back after payday',
        callback_at: '2026-12-08T12:30:00.000Z',
        callback_mine: true,
      },
    ],
  },
);

export const DeskCampaignsAnswer = Type.Object(
  {
    data: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        dialing_mode: Type.String(),
        status: Type.String(),
      }),
    ),
  },
  {
    examples: [
      {
        data: [
          {
            id: 'cmp_f8dd47247587486f98753ae096d47383',
            name: 'Mumbai Sales Dept',
            dialing_mode: 'predictive',
            status: 'active',
          },
        ],
      },
    ],
  },
);
