import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { RequestContext, ServiceDeps } from '../../services/context.js';
import { agentPerformance } from '../../services/reports/agent-performance.js';
import { campaignPerformance } from '../../services/reports/campaign-performance.js';
import { csvExport, sendCsvAttachment } from '../csv-export.js';
import { CsvAnswer } from '../schemas/common.js';
import {
  AgentPerformanceAnswer,
  AgentPerformanceQuery,
  CampaignPerformanceAnswer,
  CampaignPerformanceQuery,
} from '../schemas/reports.js';
import { authErrors, uidParam } from './common.js';
import { presentAgentPerformance, presentCampaignPerformance } from './presenters/reports.js';

const CAMPAIGN_COLUMNS = [
  'period',
  'dials',
  'person_answers',
  'machine_answers',
  'connected',
  'abandoned',
  'no_answer',
  'busy',
  'failed',
  'contact_rate',
  'connect_rate',
  'abandon_rate',
  'average_talk_seconds',
  'average_wrap_up_seconds',
  'dispositions',
];

const AGENT_COLUMNS = [
  'agent_id',
  'username',
  'full_name',
  'logged_in_seconds',
  'talk_seconds',
  'wrap_up_seconds',
  'pause_seconds',
  'pauses',
  'idle_seconds',
  'calls_handled',
  'average_handle_seconds',
  'dispositions',
];

/** Period reports, computed by the database: campaign performance by hour or day, agent performance. */
export const reportRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['reports'];
    const security = [{ bearer: [] }];
    const config = { permission: 'reports:read' as const };

    const campaignReport = async (ctx: RequestContext, q: Static<typeof CampaignPerformanceQuery>) =>
      presentCampaignPerformance(
        await campaignPerformance(deps, ctx, {
          from: new Date(q.from),
          to: new Date(q.to),
          groupBy: q.group_by ?? 'day',
          ...(q.time_zone ? { timeZone: q.time_zone } : {}),
          ...(q.campaign_id ? { campaignUid: uidParam('campaign', q.campaign_id, 'Campaign') } : {}),
        }),
      );
    const agentReport = async (ctx: RequestContext, q: Static<typeof AgentPerformanceQuery>) =>
      presentAgentPerformance(
        await agentPerformance(deps, ctx, {
          from: new Date(q.from),
          to: new Date(q.to),
          ...(q.campaign_id ? { campaignUid: uidParam('campaign', q.campaign_id, 'Campaign') } : {}),
        }),
      );
    const csvOf = (columns: string[], rows: Record<string, unknown>[]) => {
      const csv = csvExport(columns);
      for (const row of rows)
        csv.write({
          ...row,
          dispositions: JSON.stringify(row.dispositions),
          ...('pauses' in row ? { pauses: JSON.stringify(row.pauses) } : {}),
        });
      csv.end();
      return csv;
    };

    app.get(
      '/reports/campaign-performance',
      {
        config,
        schema: {
          tags,
          security,
          summary:
            'Campaign performance over a period, by hour or day: dials, contact, connect and abandon rates, talk and wrap-up, dispositions; for one campaign, its lists’ penetration',
          querystring: CampaignPerformanceQuery,
          response: { 200: CampaignPerformanceAnswer, ...authErrors(400, 404) },
        },
      },
      (request) => campaignReport(request.ctx, request.query),
    );

    app.get(
      '/reports/campaign-performance.csv',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Campaign performance as CSV: a row per hour or day, then the total (period empty)',
          querystring: CampaignPerformanceQuery,
          response: {
            200: CsvAnswer(
              'A row per hour or day, then the total',
              `${CAMPAIGN_COLUMNS.join(',')}\n` +
                '2026-03-02T10:00,412,118,37,115,3,201,44,12,0.2864,0.2791,0.0254,143.2,21.7,"{""success"":31}"\n' +
                ',412,118,37,115,3,201,44,12,0.2864,0.2791,0.0254,143.2,21.7,"{""success"":31}"\n',
            ),
            ...authErrors(400, 404),
          },
        },
      },
      async (request, reply) => {
        const report = await campaignReport(request.ctx, request.query);
        return sendCsvAttachment(
          reply,
          'campaign-performance.csv',
          csvOf(CAMPAIGN_COLUMNS, [...report.periods, report.total]),
        );
      },
    );

    app.get(
      '/reports/agent-performance',
      {
        config,
        schema: {
          tags,
          security,
          summary:
            'Agent performance over a period, from the agents’ state history: logged-in, talk, wrap-up, pause (by reason) and idle time; calls handled, average handle time, dispositions',
          querystring: AgentPerformanceQuery,
          response: { 200: AgentPerformanceAnswer, ...authErrors(400, 404) },
        },
      },
      (request) => agentReport(request.ctx, request.query),
    );

    app.get(
      '/reports/agent-performance.csv',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Agent performance as CSV, a row per agent',
          querystring: AgentPerformanceQuery,
          response: {
            200: CsvAnswer(
              'A row per agent',
              `${AGENT_COLUMNS.join(',')}\n` +
                'usr_0b8e3c5a4d2f4e7a9c1b2d3e4f5a6b7c,anav_agent,Anav Agent,28800,15120.5,2310,3600,"{""Lunch"":2700,""Break"":900}",7769.5,104,167.6,"{""success"":28}"\n',
            ),
            ...authErrors(400, 404),
          },
        },
      },
      async (request, reply) => {
        const report = await agentReport(request.ctx, request.query);
        return sendCsvAttachment(reply, 'agent-performance.csv', csvOf(AGENT_COLUMNS, report.agents));
      },
    );
  };
