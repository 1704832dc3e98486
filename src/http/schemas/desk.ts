import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';
import { ContactResponse, contactExample } from './contacts.js';
import { CallLogResponse, LeadEventResponse, callInProgressExample, leadEventExample } from './call-logs.js';
import { named } from './components.js';
import type { AgentSessionState, PhoneDevice } from '../../db/schema.js';
import { DISPOSITIONS } from '../../domain/call-outcome.js';

export const AGENT_SESSION_STATES = [
  'available',
  'reserved',
  'on_call',
  'wrap_up',
  'paused',
  'logged_out',
] as const satisfies readonly AgentSessionState[];

/** An agent's session on a call, as the desk and the agents board show it. */
export const agentSessionExample = {
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
};

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
  {
    ...named('AgentSession'),
    examples: [agentSessionExample],
  },
);

export const DeskRecording = Type.Object(
  {
    active: Type.Boolean({
      description: 'The call at hand is being recorded (pause and resume apply to it)',
    }),
    paused: Type.Boolean({ description: 'Its recording is paused: the stretch is silent in the file' }),
  },
  { ...named('DeskRecording'), examples: [{ active: true, paused: true }] },
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
    last_call: Type.Union([CallLogResponse, Type.Null()], {
      description:
        "With no call or preview at hand: the agent's latest call of this session when it ended without reaching them (not answered, busy, a machine, failed)",
    }),
    recording: DeskRecording,
  },
  {
    ...named('Desk'),
    examples: [
      {
        session: agentSessionExample,
        campaign: {
          id: 'cmp_f8dd47247587486f98753ae096d47383',
          name: 'Mumbai Sales Dept',
          dialing_mode: 'predictive',
          wrap_up_seconds: 30,
          preview_timeout_seconds: 30,
        },
        call: callInProgressExample,
        contact: contactExample,
        history: [leadEventExample],
        last_call: null,
        recording: { active: true, paused: false },
      },
    ],
  },
);

export const DeskLoginBody = Type.Object(
  { campaign_id: Type.String() },
  { examples: [{ campaign_id: 'cmp_f8dd47247587486f98753ae096d47383' }] },
);

export const PauseBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 100 }) },
  { examples: [{ reason: 'Lunch' }] },
);

export const DeskDispositionBody = Type.Object(
  {
    disposition: Type.Union(DISPOSITIONS.map((d) => Type.Literal(d))),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    callback_at: Type.Optional(Timestamp),
    callback_mine: Type.Optional(
      Type.Boolean({ description: 'A callback only you take (default: any agent of the list)' }),
    ),
  },
  {
    examples: [
      {
        disposition: 'callback',
        note: 'Call back after payday',
        callback_at: '2026-12-08T12:30:00.000Z',
        callback_mine: true,
      },
    ],
  },
);

export const DeskCampaignsAnswer = Type.Object(
  {
    data: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        dialing_mode: Type.String(),
        status: Type.String(),
      }),
    ),
  },
  {
    examples: [
      {
        data: [
          {
            id: 'cmp_f8dd47247587486f98753ae096d47383',
            name: 'Mumbai Sales Dept',
            dialing_mode: 'predictive',
            status: 'active',
          },
        ],
      },
    ],
  },
);

export const PHONE_DEVICES = ['external', 'browser'] as const satisfies readonly PhoneDevice[];

export const DeskPhoneResponse = Type.Object(
  {
    device: Type.Union(
      PHONE_DEVICES.map((d) => Type.Literal(d)),
      {
        description:
          'Which phone takes your calls: an external SIP phone registered under your extension, or the browser phone in the desk',
      },
    ),
    extension: Nullable(Type.String()),
    browser_phone_offered: Type.Boolean({
      description: 'Whether this server offers the browser phone (WEBRTC_WS_URL is set)',
    }),
    browser: Nullable(
      Type.Object(
        {
          ws_url: Type.String({ description: "Kamailio's SIP-over-WebSocket address" }),
          sip_uri: Type.String({ description: 'The only identity these credentials register' }),
          authorization_user: Type.String({ description: '"<expiry unix seconds>:<extension>"' }),
          password: Type.String({ description: 'Valid until expires_at; ask again before then' }),
          expires_at: Timestamp,
        },
        {
          description:
            'Short-lived SIP credentials for your own extension: only with the browser phone chosen, offered, and an extension',
        },
      ),
    ),
  },
  {
    ...named('DeskPhone'),
    examples: [
      {
        device: 'browser',
        extension: '1004',
        browser_phone_offered: true,
        browser: {
          ws_url: 'wss://sip.example.com:8443',
          sip_uri: 'sip:1004@agents.example.com',
          authorization_user: '1796583600:1004',
          password: 'm1N0qk3bq3Yt5m0bFQZ0cWq1bL0vQ8x3p4v0aQe7xkU=',
          expires_at: '2026-12-06T19:40:00.000Z',
        },
      },
    ],
  },
);

export const DeskPhoneBody = Type.Object(
  { device: Type.Union(PHONE_DEVICES.map((d) => Type.Literal(d))) },
  { examples: [{ device: 'browser' }] },
);
