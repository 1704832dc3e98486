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
  named('AgentSession'),
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
  named('Desk'),
);

export const DeskLoginBody = Type.Object({ campaign_id: Type.String() });

export const PauseBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 100 }) });

export const DeskDispositionBody = Type.Object({
  disposition: Type.Union(DISPOSITIONS.map((d) => Type.Literal(d))),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  callback_at: Type.Optional(Timestamp),
  callback_mine: Type.Optional(
    Type.Boolean({ description: 'A callback only you take (default: any agent of the list)' }),
  ),
});
