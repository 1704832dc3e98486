import { Type, type TObject, type TProperties } from '@sinclair/typebox';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhook-events.js';
import { Nullable, PageQuery, Timestamp, VersionField } from './common.js';
import { named } from './components.js';

export const EventType = Type.Union(
  WEBHOOK_EVENT_TYPES.map((t) => Type.Literal(t)),
  { description: 'A webhook event type (docs/webhooks.md)' },
);

const WEBHOOK_EXAMPLE = {
  id: 'whk_4f0c2b8e1d7a4c3b9e6f5a4d3c2b1a09',
  url: 'https://crm.example.com/hooks/outdial',
  description: 'CRM sync',
  event_types: ['call.ended', 'contact.status_changed'],
  enabled: true,
  disabled_reason: null,
  disabled_at: null,
  version: 1,
  created_at: '2026-12-06T18:47:48.974Z',
  updated_at: '2026-12-06T18:47:48.974Z',
};

export const WebhookResponse = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    description: Type.String(),
    event_types: Type.Array(EventType),
    enabled: Type.Boolean(),
    disabled_reason: Nullable(
      Type.String({ description: 'Why it was disabled: by an operator, or its deliveries kept failing' }),
    ),
    disabled_at: Nullable(Timestamp),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { ...named('Webhook'), examples: [WEBHOOK_EXAMPLE] },
);

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'http or https; not a private address' }),
    event_types: Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        url: 'https://crm.example.com/hooks/outdial',
        event_types: ['call.ended', 'contact.status_changed'],
        description: 'CRM sync',
      },
    ],
  },
);

export const CreatedWebhook = Type.Intersect(
  [
    WebhookResponse,
    Type.Object({
      secret: Type.String({
        description: 'The signing secret (HMAC-SHA256 key): in this answer only, never shown again',
      }),
    }),
  ],
  { examples: [{ ...WEBHOOK_EXAMPLE, secret: 'whsec_Jk3n0l6Hq0i3G2s5a7b9c1d3e5f7g9h1j3k5m7n9p1r' }] },
);

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    event_types: Type.Optional(Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(
      Type.Boolean({ description: 'Enabling a disabled webhook sends its kept backlog at once, in order' }),
    ),
    version: Type.Optional(VersionField),
  },
  { additionalProperties: false, examples: [{ enabled: true, version: 2 }] },
);

// ── events ─────────────────────────────────────────────────────────────────────────────────────

const CONTACT_REFS = {
  contact_id: Type.String(),
  campaign_id: Nullable(Type.String()),
  call_id: Nullable(Type.String()),
};

const ENVELOPE_EXAMPLE = {
  id: 'evt_0b6f3c1a9e8d4f2b8c7a6e5d4c3b2a19',
  occurred_at: '2026-12-06T18:52:10.114Z',
  contact_center_id: 'ctr_7a1e0c4b2d9f4e6a8b3c5d7e9f1a2b3c',
};
const REFS_EXAMPLE = {
  contact_id: 'lead_5d2c9e7b1a3f4c6d8e0a2b4c6d8e0f1a',
  campaign_id: 'cmp_210ea5d942f41744f1ef37e84a4965e0',
  call_id: 'log_9c8b7a6d5e4f4a3b2c1d0e9f8a7b6c5d',
};

/** An event as it is POSTed to a subscription: the envelope and the type's `data`. */
function eventSchema<T extends TProperties>(
  type: (typeof WEBHOOK_EVENT_TYPES)[number],
  component: string,
  data: TObject<T>,
  example: Record<string, unknown>,
  description: string,
) {
  return Type.Object(
    {
      id: Type.String({ description: 'Stable event id; also the Idempotency-Key header' }),
      type: Type.Literal(type),
      occurred_at: Timestamp,
      contact_center_id: Type.String(),
      data,
    },
    { ...named(component), description, examples: [{ ...ENVELOPE_EXAMPLE, type, data: example }] },
  );
}

export const CallEndedEvent = eventSchema(
  'call.ended',
  'WebhookCallEnded',
  Type.Object({
    call: Type.Object({
      id: Type.String(),
      campaign_id: Type.String(),
      contact_id: Type.String(),
      phone: Type.String(),
      attempt: Type.Integer(),
      dialing_mode: Type.String(),
      caller_id: Nullable(Type.String()),
      outcome: Nullable(Type.String({ description: 'answered, machine, no_answer, busy, abandoned…' })),
      failure_reason: Nullable(Type.String()),
      disposition: Nullable(Type.String()),
      dialed_at: Timestamp,
      answered_at: Nullable(Timestamp),
      connected_at: Nullable(Timestamp),
      ended_at: Nullable(Timestamp),
      talk_seconds: Type.Integer(),
    }),
  }),
  {
    call: {
      id: REFS_EXAMPLE.call_id,
      campaign_id: REFS_EXAMPLE.campaign_id,
      contact_id: REFS_EXAMPLE.contact_id,
      phone: '+919812345678',
      attempt: 1,
      dialing_mode: 'progressive',
      caller_id: '+918045671234',
      outcome: 'answered',
      failure_reason: null,
      disposition: null,
      dialed_at: '2026-12-06T18:50:02.000Z',
      answered_at: '2026-12-06T18:50:09.000Z',
      connected_at: '2026-12-06T18:50:09.400Z',
      ended_at: '2026-12-06T18:52:10.000Z',
      talk_seconds: 121,
    },
  },
  'A call ended: its call log as closed',
);

export const ContactStatusChangedEvent = eventSchema(
  'contact.status_changed',
  'WebhookContactStatusChanged',
  Type.Object({
    ...CONTACT_REFS,
    from_status: Nullable(Type.String()),
    to_status: Nullable(Type.String()),
    reason: Nullable(Type.String()),
  }),
  { ...REFS_EXAMPLE, from_status: 'in_progress', to_status: 'completed', reason: null },
  "A contact's status changed (after a call, a disposition, or by an operator)",
);

export const DispositionSavedEvent = eventSchema(
  'disposition.saved',
  'WebhookDispositionSaved',
  Type.Object({ ...CONTACT_REFS, disposition: Type.String(), note: Nullable(Type.String()) }),
  { ...REFS_EXAMPLE, disposition: 'interested', note: 'Send the brochure' },
  "An agent saved a call's disposition",
);

export const CallbackScheduledEvent = eventSchema(
  'callback.scheduled',
  'WebhookCallbackScheduled',
  Type.Object({ ...CONTACT_REFS, callback_at: Nullable(Timestamp) }),
  { ...REFS_EXAMPLE, callback_at: '2026-12-07T10:30:00.000Z' },
  'A callback was scheduled for a contact',
);

export const DncAddedEvent = eventSchema(
  'dnc.added',
  'WebhookDncAdded',
  Type.Object({
    phone: Type.String(),
    campaign_id: Nullable(Type.String({ description: "A campaign's own list, or null for the center's" })),
    reason: Type.String(),
    source: Type.String(),
  }),
  { phone: '+919812345678', campaign_id: null, reason: 'asked on a call', source: 'agent' },
  'A number was added to a do-not-call list',
);

export const ImportFinishedEvent = eventSchema(
  'import.finished',
  'WebhookImportFinished',
  Type.Object({
    import_id: Type.String(),
    lead_list_id: Nullable(Type.String()),
    status: Type.String({ description: 'completed or failed' }),
    error: Nullable(Type.String()),
    file_name: Type.String(),
    counts: Type.Object({
      rows_read: Type.Integer(),
      accepted: Type.Integer(),
      updated: Type.Integer(),
      rejected: Type.Integer(),
      duplicates: Type.Integer(),
      dnc: Type.Integer(),
    }),
    started_at: Nullable(Timestamp),
    finished_at: Nullable(Timestamp),
  }),
  {
    import_id: 'imp_3e2d1c0b9a8f4e7d6c5b4a3928171605',
    lead_list_id: 'lst_1a2b3c4d5e6f4a7b8c9d0e1f2a3b4c5d',
    status: 'completed',
    error: null,
    file_name: 'leads-december.csv',
    counts: { rows_read: 10000, accepted: 9870, updated: 0, rejected: 42, duplicates: 80, dnc: 8 },
    started_at: '2026-12-06T18:40:00.000Z',
    finished_at: '2026-12-06T18:40:07.310Z',
  },
  'An import finished, with its counts',
);

export const CampaignStatusChangedEvent = eventSchema(
  'campaign.status_changed',
  'WebhookCampaignStatusChanged',
  Type.Object({
    campaign_id: Type.String(),
    name: Type.String(),
    from_status: Nullable(Type.String({ description: 'null for a campaign created running' })),
    to_status: Type.String(),
  }),
  {
    campaign_id: REFS_EXAMPLE.campaign_id,
    name: 'December renewals',
    from_status: 'running',
    to_status: 'paused',
  },
  'A campaign was started, paused, resumed, stopped or completed',
);

export const AgentStateChangedEvent = eventSchema(
  'agent.state_changed',
  'WebhookAgentStateChanged',
  Type.Object({
    agent_id: Type.String(),
    session_id: Type.String(),
    campaign_id: Type.String(),
    from_state: Nullable(Type.String()),
    to_state: Type.String({ description: 'available, reserved, on_call, wrap_up, paused, logged_out' }),
    pause_reason: Nullable(Type.String()),
  }),
  {
    agent_id: 'usr_8f7e6d5c4b3a4f2e1d0c9b8a7f6e5d4c',
    session_id: 'ags_0f1e2d3c4b5a49687766554433221100',
    campaign_id: REFS_EXAMPLE.campaign_id,
    from_state: 'available',
    to_state: 'on_call',
    pause_reason: null,
  },
  "An agent's state changed",
);

export const WEBHOOK_EVENT_SCHEMAS = {
  'call.ended': CallEndedEvent,
  'contact.status_changed': ContactStatusChangedEvent,
  'disposition.saved': DispositionSavedEvent,
  'callback.scheduled': CallbackScheduledEvent,
  'dnc.added': DncAddedEvent,
  'import.finished': ImportFinishedEvent,
  'campaign.status_changed': CampaignStatusChangedEvent,
  'agent.state_changed': AgentStateChangedEvent,
} as const;

export const WebhookEventTypeInfo = Type.Object(
  {
    type: EventType,
    description: Type.String(),
    example: Type.Union(Object.values(WEBHOOK_EVENT_SCHEMAS)),
  },
  {
    ...named('WebhookEventType'),
    examples: [
      {
        type: 'contact.status_changed',
        description: ContactStatusChangedEvent.description,
        example: ContactStatusChangedEvent.examples[0],
      },
    ],
  },
);

// ── delivery log ───────────────────────────────────────────────────────────────────────────────

export const DeliveryAttempt = Type.Object(
  {
    attempted_at: Timestamp,
    outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed')]),
    status_code: Nullable(Type.Integer({ description: "The receiver's HTTP status, null if none came" })),
    error: Nullable(Type.String({ description: 'Connection error or timeout' })),
    latency_ms: Type.Integer(),
    response_excerpt: Nullable(Type.String({ description: "The start of the receiver's answer" })),
  },
  {
    ...named('WebhookDeliveryAttempt'),
    examples: [
      {
        attempted_at: '2026-12-06T18:52:10.301Z',
        outcome: 'failed',
        status_code: 503,
        error: null,
        latency_ms: 38,
        response_excerpt: 'Service Unavailable',
      },
    ],
  },
);

export const DeliveryResponse = Type.Object(
  {
    event_id: Type.String(),
    event_type: EventType,
    occurred_at: Timestamp,
    state: Type.Union([Type.Literal('pending'), Type.Literal('delivered')]),
    attempts: Type.Integer(),
    next_attempt_at: Nullable(Timestamp),
    last_status_code: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    delivered_at: Nullable(Timestamp),
    attempt_log: Type.Array(DeliveryAttempt),
  },
  {
    ...named('WebhookDelivery'),
    examples: [
      {
        event_id: ENVELOPE_EXAMPLE.id,
        event_type: 'call.ended',
        occurred_at: ENVELOPE_EXAMPLE.occurred_at,
        state: 'delivered',
        attempts: 2,
        next_attempt_at: null,
        last_status_code: 200,
        last_error: null,
        delivered_at: '2026-12-06T18:52:24.870Z',
        attempt_log: [
          {
            attempted_at: '2026-12-06T18:52:10.301Z',
            outcome: 'failed',
            status_code: 503,
            error: null,
            latency_ms: 38,
            response_excerpt: 'Service Unavailable',
          },
          {
            attempted_at: '2026-12-06T18:52:24.850Z',
            outcome: 'delivered',
            status_code: 200,
            error: null,
            latency_ms: 20,
            response_excerpt: 'ok',
          },
        ],
      },
    ],
  },
);

export const DeliveryParams = Type.Object({
  id: Type.String({ description: 'The webhook' }),
  event_id: Type.String({ description: 'The event (evt_…)' }),
});

export const DeliveriesQuery = Type.Object({
  ...PageQuery,
  state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered')])),
});
