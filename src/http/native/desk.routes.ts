import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { conflict } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { agentLogin } from '../../services/agents/agent-login.js';
import { requestAgentChange, type DeskRequest } from '../../services/agents/agent-requests.js';
import { deskCampaigns, readDesk } from '../../services/agents/read-agents.js';
import { CAMPAIGN_STATUS_WORD } from '../../domain/campaign-lifecycle.js';
import { chooseDeskPhone, readDeskPhone, type DeskPhone } from '../../services/agents/desk-phone.js';
import { dispositionCall } from '../../services/calls/disposition-call.js';
import type { RequestContext, ServiceDeps } from '../../services/context.js';
import { deskRecordingState, setRecordingPaused } from '../../services/recordings/desk-recording.js';
import { authErrors, uidParam } from './common.js';
import { presentContact } from './presenters/contacts.js';
import { presentCallLog, presentLeadEvent, presentSession } from './presenters/engine.js';
import {
  DeskResponse,
  DeskLoginBody,
  PauseBody,
  DeskDispositionBody,
  DeskCampaignsAnswer,
  DeskPhoneBody,
  DeskPhoneResponse,
} from '../schemas/desk.js';

function presentPhone(phone: DeskPhone) {
  const c = phone.credentials;
  return {
    device: phone.device,
    extension: phone.extension,
    browser_phone_offered: phone.browserPhoneOffered,
    browser: c
      ? {
          ws_url: c.wsUrl,
          sip_uri: c.sipUri,
          authorization_user: c.authorizationUser,
          password: c.password,
          expires_at: c.expiresAt.toISOString(),
        }
      : null,
  };
}

/** The agent desk: the logged-in user works a campaign — log in, pause, preview, hang up, dispose, wrap up. */
export const deskRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['agent desk'];
    const security = [{ bearer: [] }];
    const config = { permission: 'agent:desk' as const };

    const view = async (ctx: RequestContext) => {
      const desk = await readDesk(deps, ctx);
      if (!desk)
        return {
          session: null,
          campaign: null,
          call: null,
          contact: null,
          history: [],
          last_call: null,
          recording: { active: false, paused: false },
        };
      const recording = await deskRecordingState(deps, ctx);
      return {
        session: presentSession(desk.session, desk.campaign.uid),
        campaign: {
          id: toPublicId('campaign', desk.campaign.uid),
          name: desk.campaign.name,
          dialing_mode: desk.campaign.dialing_mode,
          wrap_up_seconds: desk.campaign.wrap_up_seconds,
          preview_timeout_seconds: desk.campaign.preview_timeout_seconds,
        },
        call: desk.call ? presentCallLog(desk.call) : null,
        contact: desk.contact ? presentContact(desk.contact) : null,
        history: desk.history.map(presentLeadEvent),
        last_call: desk.lastCall ? presentCallLog(desk.lastCall) : null,
        recording: { active: recording.recording, paused: recording.paused },
      };
    };

    app.get(
      '/desk',
      {
        config,
        schema: {
          tags,
          security,
          summary: "The agent's desk: session, and the contact of the call or preview at hand",
          response: { 200: DeskResponse, ...authErrors() },
        },
      },
      async (request) => view(request.ctx),
    );

    app.get(
      '/desk/campaigns',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'The campaigns you may log in to: assigned to you, and not stopped or completed',
          response: {
            200: DeskCampaignsAnswer,
            ...authErrors(),
          },
        },
      },
      async (request) => ({
        data: (await deskCampaigns(deps, request.ctx)).map((c) => ({
          id: toPublicId('campaign', c.uid),
          name: c.name,
          dialing_mode: c.dialing_mode,
          status: CAMPAIGN_STATUS_WORD[c.status],
        })),
      }),
    );

    app.post(
      '/desk/login',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Log in to work a campaign (you must be assigned to it, and in its queue if it has one)',
          body: DeskLoginBody,
          response: { 200: DeskResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        await agentLogin(deps, request.ctx, uidParam('campaign', request.body.campaign_id, 'Campaign'));
        return view(request.ctx);
      },
    );

    const requests: { path: string; summary: string; request: (body: { reason?: string }) => DeskRequest }[] =
      [
        { path: '/desk/resume', summary: 'Become available again', request: () => ({ kind: 'resume' }) },
        {
          path: '/desk/logout',
          summary:
            'Log out (not during a call or wrap-up; while the engine is placing a call for you, pending until it ends)',
          request: () => ({ kind: 'logout' }),
        },
        {
          path: '/desk/preview/next',
          summary: 'Preview mode: reserve the next contact to look at before dialing',
          request: () => ({ kind: 'action', action: 'preview_next' }),
        },
        {
          path: '/desk/preview/accept',
          summary: 'Dial the contact in preview',
          request: () => ({ kind: 'action', action: 'preview_accept' }),
        },
        {
          path: '/desk/preview/skip',
          summary: 'Give the contact in preview back, undialled',
          request: () => ({ kind: 'action', action: 'preview_skip' }),
        },
        {
          path: '/desk/hangup',
          summary: 'End the conversation',
          request: () => ({ kind: 'action', action: 'hangup' }),
        },
        {
          path: '/desk/wrap-up/end',
          summary: 'End wrap-up: available again (or paused, if a pause was asked)',
          request: () => ({ kind: 'action', action: 'end_wrap_up' }),
        },
      ];
    for (const r of requests) {
      app.post(
        r.path,
        {
          config,
          schema: {
            tags,
            security,
            summary: r.summary,
            response: { 200: DeskResponse, ...authErrors(404, 409) },
          },
        },
        async (request) => {
          await requestAgentChange(deps, request.ctx, r.request({}));
          return view(request.ctx);
        },
      );
    }

    app.post(
      '/desk/pause',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Pause with a reason: now when free, or when the current call and wrap-up end',
          body: PauseBody,
          response: { 200: DeskResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        await requestAgentChange(deps, request.ctx, { kind: 'pause', reason: request.body.reason });
        return view(request.ctx);
      },
    );

    for (const [action, paused] of [
      ['pause', true],
      ['resume', false],
    ] as const) {
      app.post(
        `/desk/recording/${action}`,
        {
          config,
          schema: {
            tags,
            security,
            summary:
              action === 'pause'
                ? "Pause the recording of the agent's call (a sensitive moment): the stretch is silent in the file"
                : "Resume (or, when the campaign records on demand, start) the recording of the agent's call",
            description:
              'Only the agent on the call can; 409 when the call at hand is not being recorded. Audited ' +
              `(recording.${action}).`,
            response: { 200: DeskResponse, ...authErrors(404, 409) },
          },
        },
        async (request) => {
          await setRecordingPaused(deps, request.ctx, paused);
          return view(request.ctx);
        },
      );
    }
    app.get(
      '/desk/phone',
      {
        config,
        schema: {
          tags,
          security,
          summary:
            'Your phone: which device takes your calls and, for the browser phone, short-lived SIP credentials for your own extension',
          response: { 200: DeskPhoneResponse, ...authErrors() },
        },
      },
      async (request, reply) => {
        // A password, however short-lived, is kept by no cache.
        reply.header('cache-control', 'no-store');
        return presentPhone(await readDeskPhone(deps, request.ctx));
      },
    );

    app.put(
      '/desk/phone',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Choose your phone: the browser phone in the desk, or an external SIP phone',
          body: DeskPhoneBody,
          response: { 200: DeskPhoneResponse, ...authErrors(400) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return presentPhone(await chooseDeskPhone(deps, request.ctx, request.body.device));
      },
    );

    app.post(
      '/desk/disposition',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Record what came of the conversation (during the call or in wrap-up)',
          body: DeskDispositionBody,
          response: { 200: DeskResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const desk = await readDesk(deps, request.ctx);
        if (!desk?.call) throw conflict('You have no call to record a disposition for');
        const principal = request.ctx.principal;
        await dispositionCall(deps, request.ctx, desk.call.id, {
          disposition: request.body.disposition,
          note: request.body.note ?? null,
          callbackAt: request.body.callback_at ? new Date(request.body.callback_at) : null,
          callbackUserId: request.body.callback_mine && principal.kind === 'user' ? principal.userId : null,
        });
        return view(request.ctx);
      },
    );
  };
