import { Type } from '@sinclair/typebox';
import { named } from '../../schemas/components.js';
import { Count, Int4 } from '../../schemas/bounds.js';

export const QvoiceUser = Type.Object(
  {
    id: Type.String({ description: '32 hex digits' }),
    username: Type.String(),
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    role: Type.String(),
    extension: Type.Union([Type.String(), Type.Null()]),
    account_id: Type.String({ description: 'Send it as X-Account-ID' }),
    domain: Type.String(),
  },
  named('QvoiceUser'),
);

export const LeadItem = Type.Object(
  {
    created: Type.Integer({ description: 'Unix time in seconds' }),
    campaign_id: Type.String({ description: '32 hex digits' }),
    number: Type.String({ description: 'E.164' }),
    status: Type.String({ description: 'new, in_progress, retry, callback, success, failed or dnc' }),
    retries: Type.Integer({ description: 'Retries allowed after the first call' }),
    first_name: Type.String(),
    last_name: Type.String(),
    priority: Type.Integer(),
    id: Type.String({ description: '32 hex digits' }),
  },
  named('QvoiceLead'),
);

export const Text = (maxLength: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

/** Unix time as Qvoice's clients send it: seconds, or milliseconds (its own sample mixes both). */
export const UnixTime = Type.String({
  pattern: '^[0-9]{1,15}(\\.[0-9]{1,9})?$',
  description: 'Unix time: up to 11 digits are seconds, 12 or more are milliseconds; a fraction is allowed',
});

export const Tag = Type.Object(
  { id: Type.String(), name: Type.String(), color: Type.String() },
  named('QvoiceTag'),
);

export const QueueAgent = Type.Object(
  {
    id: Type.String({ description: 'The user, 32 hex digits' }),
    name: Type.String(),
    extension: Type.String({ description: 'Empty when the user has none' }),
    extension_is_valid: Type.Boolean({
      description: 'The user has an extension no other user or queue of the account has',
    }),
    delay: Type.Integer({ description: 'Seconds' }),
    timeout: Type.Integer({ description: 'Seconds' }),
    logged_in: Type.Boolean({ description: 'The agent has an open desk session (in any campaign)' }),
    status: Type.String({ description: 'idle, reserved, on_call, wrap_up or paused' }),
    registered: Type.Boolean({ description: 'A dialer engine process drives the agent now' }),
    tags: Type.Array(Tag),
  },
  named('QvoiceQueueAgent'),
);

export const QueueStatusItem = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    extension: Type.String({ description: 'Empty when the queue has none' }),
    max_time_caller_in_queue: Type.Integer({ description: 'Seconds' }),
    strategy: Type.String(),
    agents: Type.Array(QueueAgent),
    calls: Type.Record(
      Type.String({ description: 'cdrID' }),
      Type.Object({
        lead_id: Type.String(),
        campaign_id: Type.String(),
        number: Type.String(),
        answered: Type.Integer({ description: 'Unix time in seconds' }),
      }),
      { description: 'Calls answered by a person and waiting for an agent, by cdrID' },
    ),
    total_agents: Type.Integer(),
    logged_in_agents: Type.Integer(),
    logged_out_agents: Type.Integer(),
    idle_agents: Type.Integer(),
    misconfigured_agents: Type.Integer(),
    agents_registered: Type.Integer(),
    agents_on_call: Type.Integer(),
  },
  named('QvoiceQueueStatus'),
);

export const HistoryAgent = Type.Object(
  {
    delay: Type.Integer(),
    device_endpoints: Type.Array(Type.String()),
    email: Type.String(),
    endpoint: Type.String({ description: 'The user, 32 hex digits' }),
    ext: Type.String(),
    first_name: Type.String(),
    last_answered: Type.Number({ description: 'Unix seconds; 0 if never' }),
    last_attempt: Type.Number({ description: 'Unix seconds; 0 if never' }),
    last_hangup: Type.Number({ description: 'Unix seconds; 0 if never' }),
    last_name: Type.String(),
    status: Type.String(),
    timeout: Type.Integer(),
    total_talk_time: Type.Integer({ description: 'Seconds talked in the current session' }),
    type: Type.String(),
  },
  named('QvoiceHistoryAgent'),
);

export const HistoryRecord = Type.Object(
  {
    datetime: Type.String({ examples: ['2022-10-19 23:31:58 +0000 UTC'] }),
    timestamp: Type.Integer({ description: 'Unix time in seconds' }),
    campaign_name: Type.String(),
    lead_name: Type.String(),
    lead_number: Type.String(),
    agent_name: Type.String(),
    agent_extension: Type.String(),
    lead_history: Type.Array(
      Type.Object({
        agent: Type.Union([HistoryAgent, Type.Null()]),
        event: Type.String(),
        ext: Type.String(),
        last_attempt: Type.Number({ description: 'Unix seconds with a fraction: when it happened' }),
        type: Type.String(),
        uuid: Type.String({ description: 'The call (cdrID), empty for an event of no call' }),
      }),
    ),
  },
  named('QvoiceHistoryRecord'),
);

export const QvoiceLoginBody = Type.Object({
  username: Type.String({ minLength: 1 }),
  password: Type.String({ minLength: 1 }),
  domain: Type.String({ minLength: 1 }),
});

export const AddQvoiceLeadBody = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 64 }),
    retries: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()])),
    first_name: Text(200),
    last_name: Text(200),
    type: Text(64),
    priority: Type.Optional(Type.Union([Int4(), Type.Null()])),
    ticket_id: Text(200),
    note: Text(1024),
    cool_off: Type.Optional(Type.Union([Count({ description: 'seconds' }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const QvoiceLoginAnswer = Type.Object({
  user: QvoiceUser,
  access_token: Type.String(),
  refresh_token: Type.String(),
});

export const QvoiceLeadsStatusAnswer = Type.Record(
  Type.String({ description: 'campaign id, 32 hex digits' }),
  Type.Object({
    name: Type.String(),
    status: Type.String({ description: 'stopped, running, paused or completed' }),
    total_leads: Type.Integer(),
    leads_by_status: Type.Record(Type.String(), Type.Integer()),
  }),
);

export const QvoiceLeadsAnswer = Type.Object({
  data: Type.Array(LeadItem),
  next_start_key: Type.String({ description: 'Empty when there are no more leads' }),
});

export const QvoiceVoicemailAnswer = Type.Object({ message: Type.String() });

export const QvoiceLeadMessage = Type.Object({ message: Type.String(), data: LeadItem });
export const QvoiceMessage = Type.Object({ message: Type.String() });
