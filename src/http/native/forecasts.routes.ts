import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServiceDeps } from '../../services/context.js';
import { campaignTraffic } from '../../services/forecasts/campaign-traffic.js';
import { createForecast } from '../../services/forecasts/create-forecast.js';
import { getForecast } from '../../services/forecasts/read-forecast.js';
import { authErrors, uidParam } from './common.js';
import { IdParams } from '../schemas/common.js';
import { ForecastRequest, ForecastResponse, TrafficQuery, TrafficResponse } from '../schemas/forecasts.js';
import { presentForecast, presentTraffic } from './presenters/forecasts.js';

/** What a campaign's traffic looks like, and forecasts of staffing it ("what if"), run as background jobs. */
export const forecastRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['forecasts'];
    const security = [{ bearer: [] }];

    app.get(
      '/campaigns/:id/traffic',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary:
            "A campaign's traffic learned from its call logs: answers by people and machines, ring, talk and wrap-up times, busy and invalid shares, by hour of the callee's day, with sample sizes",
          params: IdParams,
          querystring: TrafficQuery,
          response: { 200: TrafficResponse, ...authErrors(400, 404) },
        },
      },
      async (request) =>
        presentTraffic(
          await campaignTraffic(
            deps,
            request.ctx,
            uidParam('campaign', request.params.id, 'Campaign'),
            request.query.since ? { since: new Date(request.query.since) } : {},
          ),
        ),
    );

    app.post(
      '/campaigns/:id/forecast',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary:
            'Forecast candidate agent counts and modes on the campaign’s own traffic (a background job; the same question within an hour gets the same job)',
          params: IdParams,
          body: ForecastRequest,
          response: { 202: ForecastResponse, ...authErrors(400, 404) },
        },
      },
      async (request, reply) => {
        const campaignUid = uidParam('campaign', request.params.id, 'Campaign');
        const b = request.body;
        const { job, reused, campaign } = await createForecast(deps, request.ctx, campaignUid, {
          agents: b.agents,
          modes: b.modes,
          ...(b.lines_per_agent === undefined ? {} : { linesPerAgent: b.lines_per_agent }),
          ...(b.abandon_cap === undefined ? {} : { abandonCap: b.abandon_cap }),
          ...(b.seeds === undefined ? {} : { seeds: b.seeds }),
          ...(b.simulated_hours === undefined ? {} : { simulatedHours: b.simulated_hours }),
          ...(b.since === undefined ? {} : { since: new Date(b.since) }),
          ...(b.finish_by === undefined ? {} : { finishBy: new Date(b.finish_by) }),
          ...(b.max_agents === undefined ? {} : { maxAgents: b.max_agents }),
          ...(b.use_default_traffic === undefined ? {} : { useDefaultTraffic: b.use_default_traffic }),
        });
        return reply.status(202).send(presentForecast(job, campaign, reused));
      },
    );

    app.get(
      '/forecasts/:id',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          security,
          summary: 'A forecast job: its status and, once completed, its result',
          params: IdParams,
          response: { 200: ForecastResponse, ...authErrors(404) },
        },
      },
      async (request) => {
        const { job, campaign } = await getForecast(
          deps,
          request.ctx,
          uidParam('forecast', request.params.id, 'Forecast'),
        );
        return presentForecast(job, campaign);
      },
    );
  };
