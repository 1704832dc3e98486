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
  named('AgentBoardEntry'),
);

export const BoardQuery = Type.Object({ campaign_id: Type.Optional(Type.String()) });
