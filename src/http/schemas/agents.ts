import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';
import { CallLogResponse, callInProgressExample } from './call-logs.js';
import { AgentSessionResponse, agentSessionExample } from './desk.js';
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
        session: agentSessionExample,
        call: callInProgressExample,
      },
    ],
  },
);

export const BoardQuery = Type.Object({ campaign_id: Type.Optional(Type.String()) });
