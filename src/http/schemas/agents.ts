import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';
import { CallLogResponse, callInProgressExample } from './call-logs.js';
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
        call: callInProgressExample,
      },
    ],
  },
);

export const BoardQuery = Type.Object({ campaign_id: Type.Optional(Type.String()) });
