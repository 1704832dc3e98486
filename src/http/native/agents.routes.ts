import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requestAgentChange } from '../../services/agents/agent-requests.js';
import { agentsBoard } from '../../services/agents/read-agents.js';
import { getCampaignById } from '../../services/campaigns/read-campaigns.js';
import type { RequestContext, ServiceDeps } from '../../services/context.js';
import { LiveFeed, realRepeater, type Repeater } from '../live-feed.js';
import { authErrors, iso, uidParam } from './common.js';
import { IdParams, Timestamp } from '../schemas/common.js';
import { openEventStream, streamCredential } from './live.routes.js';
import { StreamTicketQuery } from '../schemas/live.js';
import { AgentSessionResponse } from '../schemas/desk.js';
import { presentSession } from './presenters/engine.js';
import { eventStream } from '../schemas/components.js';
import { BoardEntry, BoardQuery } from '../schemas/agents.js';
import { presentBoard } from './presenters/agents.js';

/** Supervisors' view of the agents: who is logged in, in what state since when, on which call. */
export const agentRoutes =
  (deps: ServiceDeps, options: { intervalMs?: number; repeat?: Repeater } = {}): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['agents'];
    const security = [{ bearer: [] }];
    // The board's stream: one database read per center and campaign filter every interval, however
    // many supervisors watch it; `at` (the server's time, for ticking clocks) is not a change.
    const feed = new LiveFeed<{ at: string; data: ReturnType<typeof presentBoard> }>(
      options.repeat ?? realRepeater,
      options.intervalMs ?? 1000,
      (v) => JSON.stringify(v.data),
    );
    app.addHook('onClose', async () => feed.close());
    const board = async (ctx: RequestContext, campaignUid: string | undefined) => ({
      at: iso(deps.clock.now())!,
      data: presentBoard(await agentsBoard(deps, ctx, campaignUid)),
    });
    const campaignOf = (query: { campaign_id?: string }) =>
      query.campaign_id ? uidParam('campaign', query.campaign_id, 'Campaign') : undefined;

    app.get(
      '/agents',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary: 'The live agents board: every logged-in agent, state, time in state, current call',
          querystring: BoardQuery,
          response: { 200: Type.Object({ data: Type.Array(BoardEntry) }), ...authErrors(400, 404) },
        },
      },
      async (request) => ({
        data: presentBoard(await agentsBoard(deps, request.ctx, campaignOf(request.query))),
      }),
    );

    app.get(
      '/agents/live',
      {
        config: { permission: 'reports:read', credential: streamCredential, streamTicket: true },
        schema: {
          tags,
          security,
          summary:
            'Server-Sent Events: `agents` events with the live agents board whenever it changes (token in the Authorization header, or a stream ticket as `ticket`)',
          querystring: Type.Object({ ...BoardQuery.properties, ...StreamTicketQuery }),
          response: {
            200: eventStream('Server-Sent Events: `agents` messages', {
              agents: Type.Object({ at: Timestamp, data: Type.Array(BoardEntry) }),
            }),
            ...authErrors(400, 404),
          },
        },
      },
      async (request, reply) => {
        const campaignUid = campaignOf(request.query);
        const ctx = request.ctx;
        // Answers 404 (an unknown campaign) before the stream opens.
        const first = await board(ctx, campaignUid);
        let unsubscribe: () => void = () => undefined;
        const send = openEventStream(request, reply, () => unsubscribe());
        send('agents', first);
        unsubscribe = feed.subscribe(
          `${ctx.tenant.contactCenterId}:${campaignUid ?? '*'}`,
          () => board(ctx, campaignUid),
          (value) => send('agents', value),
          first,
        );
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
