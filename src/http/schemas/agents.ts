import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';
import { CallLogResponse } from './call-logs.js';
import { AgentSessionResponse } from './desk.js';
import { named } from './components.js';

export const BoardEntry = Type.Object(
  {
    user_id: Type.String(),
    username: Type.String(),
    full_name: Type.String(),
    extension: Nullable(Type.String()),
    session: AgentSessionResponse,
    call: Nullable(CallLogResponse),
  },
  {
    ...named('AgentBoardEntry'),
    examples: [
      {
        user_id: 'usr_bddc1c3483224a82be0b5c0d026fec64',
        username: 'bot1',
        full_name: 'Simulated bot1',
        extension: '1100',
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
      },
    ],
  },
);

export const BoardQuery = Type.Object({ campaign_id: Type.Optional(Type.String()) });
