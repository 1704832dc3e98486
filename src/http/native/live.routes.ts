import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { campaignLiveStats } from '../../services/campaigns/live-stats.js';
import { campaignEligibility } from '../../services/engine/campaign-eligibility.js';
import type { ServiceDeps } from '../../services/context.js';
import { LiveFeed, realRepeater, type Repeater } from '../live-feed.js';
import { bearerCredential } from '../plugins/auth.js';
import { authErrors, uidParam } from './common.js';
import { IdParams } from '../schemas/common.js';
import { eventStream } from '../schemas/components.js';
import { LiveStatsResponse, CampaignEligibilityResponse, StreamTicketQuery } from '../schemas/live.js';
import { presentEligibility, presentLiveStats } from './presenters/live.js';
import { wallboard } from '../../services/reports/wallboard.js';
import { WallboardAnswer } from '../schemas/reports.js';
import { presentWallboard } from './presenters/reports.js';

type Presented = ReturnType<typeof presentLiveStats>;
type PresentedEligibility = ReturnType<typeof presentEligibility>;
type PresentedWallboard = ReturnType<typeof presentWallboard>;

/**
 * Browsers' EventSource cannot set headers: a stream also takes a single-use ticket
 * (`POST /v1/auth/stream-ticket`) as `ticket`. Never a token or key: addresses end up in logs.
 */
export function streamCredential(request: FastifyRequest): string | undefined {
  return bearerCredential(request) ?? (request.query as { ticket?: string }).ticket;
}

/** Streams open in this process: a shutdown ends them, or it would wait for them forever. */
const openStreams = new Set<FastifyReply['raw']>();

/** Ends every open event stream (the server is closing). */
export function endEventStreams(): void {
  for (const raw of openStreams) raw.end();
  openStreams.clear();
}

/** Opens a Server-Sent Events stream on a hijacked reply; returns a function that sends one event. */
export function openEventStream(request: FastifyRequest, reply: FastifyReply, onClose: () => void) {
  reply.hijack();
  openStreams.add(reply.raw);
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  reply.raw.write('retry: 2000\n\n');
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  request.raw.on('close', () => {
    openStreams.delete(reply.raw);
    clearInterval(keepAlive);
    onClose();
  });
  return (event: string, data: unknown) => {
    // A load that finishes after the client left has nowhere to go.
    if (reply.raw.writableEnded || reply.raw.destroyed) return;
    reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
}

/** A campaign's live numbers: as JSON, and as a stream that pushes them whenever they change. */
export const liveRoutes =
  (
    deps: ServiceDeps,
    options: { intervalMs?: number; eligibilityIntervalMs?: number; repeat?: Repeater } = {},
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['live statistics'];
    const security = [{ bearer: [] }];
    // A value is news when something other than the time it was read has changed.
    const sameButTime = (v: { at: string }) => JSON.stringify({ ...v, at: null });
    const feed = new LiveFeed<Presented>(
      options.repeat ?? realRepeater,
      options.intervalMs ?? 1000,
      sameButTime,
    );
    // The why-not counts read every waiting contact of the campaign: refreshed far less often.
    const eligibilityFeed = new LiveFeed<PresentedEligibility>(
      options.repeat ?? realRepeater,
      options.eligibilityIntervalMs ?? 15_000,
      sameButTime,
    );
    // Every running campaign of a center: one topic per center, read once a second however many
    // wallboards show it.
    const wallboardFeed = new LiveFeed<PresentedWallboard>(
      options.repeat ?? realRepeater,
      options.intervalMs ?? 1000,
      sameButTime,
    );
    app.addHook('preClose', async () => endEventStreams());
    app.addHook('onClose', async () => {
      feed.close();
      eligibilityFeed.close();
      wallboardFeed.close();
    });

    app.get(
      '/reports/wallboard',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary:
            'Every running or paused campaign at a glance: dial level, calls in flight, agents by state, abandon rates against the cap, dials and contacts reached today, contacts left',
          response: { 200: WallboardAnswer, ...authErrors() },
        },
      },
      async (request) => presentWallboard(deps.clock.now(), await wallboard(deps, request.ctx)),
    );

    app.get(
      '/reports/wallboard/live',
      {
        config: { permission: 'reports:read', credential: streamCredential, streamTicket: true },
        schema: {
          tags,
          security,
          summary:
            'Server-Sent Events: `wallboard` events with every running or paused campaign at a glance whenever a figure changes (token in the Authorization header, or a stream ticket as `ticket`)',
          querystring: Type.Object(StreamTicketQuery),
          response: {
            200: eventStream('Server-Sent Events: `wallboard` messages', { wallboard: WallboardAnswer }),
            ...authErrors(400),
          },
        },
      },
      async (request, reply) => {
        const ctx = request.ctx;
        const load = async () => presentWallboard(deps.clock.now(), await wallboard(deps, ctx));
        const first = await load();
        let unsubscribe = () => undefined as void;
        const send = openEventStream(request, reply, () => unsubscribe());
        send('wallboard', first);
        unsubscribe = wallboardFeed.subscribe(
          `${ctx.tenant.contactCenterId}`,
          load,
          (value) => send('wallboard', value),
          first,
        );
      },
    );

    app.get(
      '/campaigns/:id/eligibility',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary:
            'Why is the campaign not dialling? Its waiting contacts counted by each reason that holds them back now, per list and in all',
          params: IdParams,
          response: { 200: CampaignEligibilityResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentEligibility(
          await campaignEligibility(deps, request.ctx, uidParam('campaign', request.params.id, 'Campaign')),
        ),
    );

    app.get(
      '/campaigns/:id/live-stats',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary:
            "A campaign's live numbers: agents by state, calls in flight, dial level, today, abandon rates",
          params: IdParams,
          response: { 200: LiveStatsResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentLiveStats(
          await campaignLiveStats(deps, request.ctx, uidParam('campaign', request.params.id, 'Campaign')),
        ),
    );

    app.get(
      '/campaigns/:id/live',
      {
        config: { permission: 'reports:read', credential: streamCredential, streamTicket: true },
        schema: {
          tags,
          security,
          summary:
            'Server-Sent Events: `stats` events with the live numbers whenever they change, `eligibility` events with the why-not counts (refreshed every 15 s) (token in the Authorization header, or a stream ticket as `ticket`)',
          params: IdParams,
          querystring: Type.Object(StreamTicketQuery),
          response: {
            200: eventStream('Server-Sent Events: `stats` and `eligibility` messages', {
              stats: LiveStatsResponse,
              eligibility: CampaignEligibilityResponse,
            }),
            ...authErrors(400, 404),
          },
        },
      },
      async (request, reply) => {
        const uid = uidParam('campaign', request.params.id, 'Campaign');
        const ctx = request.ctx;
        // Answers 404 before the stream opens.
        const first = presentLiveStats(await campaignLiveStats(deps, ctx, uid));
        const unsubscribe: (() => void)[] = [];
        const send = openEventStream(request, reply, () => unsubscribe.forEach((u) => u()));
        send('stats', first);
        const topic = `${ctx.tenant.contactCenterId}:${uid}`;
        unsubscribe.push(
          feed.subscribe(
            topic,
            async () => presentLiveStats(await campaignLiveStats(deps, ctx, uid)),
            (value) => send('stats', value),
            first,
          ),
        );
        const loadEligibility = async () => presentEligibility(await campaignEligibility(deps, ctx, uid));
        unsubscribe.push(
          eligibilityFeed.subscribe(topic, loadEligibility, (value) => send('eligibility', value)),
        );
        // The first counts follow the first numbers, without holding them up.
        loadEligibility().then(
          (value) => send('eligibility', value),
          (error: unknown) => request.log.warn({ err: error }, 'eligibility counts failed'),
        );
      },
    );
  };
