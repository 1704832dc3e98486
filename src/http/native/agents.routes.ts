import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { toPublicId } from '../../domain/public-ids.js';
import { requestAgentChange } from '../../services/agents/agent-requests.js';
import { agentsBoard } from '../../services/agents/read-agents.js';
import { getCampaignById } from '../../services/campaigns/read-campaigns.js';
import type { ServiceDeps } from '../../services/context.js';
import { authErrors, IdParams, Nullable, uidParam } from './common.js';
import {
  AgentSessionResponse,
  CallLogResponse,
  presentCallLog,
  presentSession,
} from './engine-presenters.js';

const BoardEntry = Type.Object({
  user_id: Type.String(),
  username: Type.String(),
  full_name: Type.String(),
  extension: Nullable(Type.String()),
  session: AgentSessionResponse,
  call: Nullable(CallLogResponse),
});

/** Supervisors' view of the agents: who is logged in, in what state since when, on which call. */
export const agentRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['agents'];
    const security = [{ bearer: [] }];

    app.get(
      '/agents',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary: 'The live agents board: every logged-in agent, state, time in state, current call',
          querystring: Type.Object({ campaign_id: Type.Optional(Type.String()) }),
          response: { 200: Type.Object({ data: Type.Array(BoardEntry) }), ...authErrors(404) },
        },
      },
      async (request) => {
        const campaignUid = request.query.campaign_id
          ? uidParam('campaign', request.query.campaign_id, 'Campaign')
          : undefined;
        const rows = await agentsBoard(deps, request.ctx, campaignUid);
        return {
          data: rows.map((row) => ({
            user_id: toPublicId('user', row.user_uid),
            username: row.username,
            full_name: row.full_name,
            extension: row.extension,
            session: presentSession(row, row.campaign_uid),
            call: row.call ? presentCallLog(row.call) : null,
          })),
        };
      },
    );

    app.post(
      '/agents/:id/logout',
      {
        config: { permission: 'campaigns:control' },
        schema: {
          tags,
          security,
          summary: "Log an agent out (an agent session, ags_…); refused during the agent's call or wrap-up",
          params: IdParams,
          response: { 200: AgentSessionResponse, ...authErrors(404, 409) },
        },
      },
      async (request) => {
        const session = await requestAgentChange(
          deps,
          request.ctx,
          { kind: 'logout' },
          uidParam('agentSession', request.params.id, 'Agent session'),
        );
        return presentSession(session, (await getCampaignById(deps, request.ctx, session.campaign_id)).uid);
      },
    );
  };
