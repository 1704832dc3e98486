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
  {
    ...named('QvoiceUser'),
    examples: [
      {
        id: '563c4799718647bda0182157a0338b20',
        username: 'admin',
        name: 'Demo Admin',
        email: 'admin@example.com',
        role: 'admin',
        extension: null,
        account_id: '5ac836b84ce247b497e273d337373a01',
        domain: 'demo',
      },
    ],
  },
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
  {
    ...named('QvoiceLead'),
    examples: [
      {
        created: 1665762498,
        campaign_id: '210ea5d942f41744f1ef37e84a4965e0',
        number: '+12131204',
        status: 'new',
        retries: 11,
        first_name: 'Piper',
        last_name: 'Huffman',
        priority: 4,
        id: '210ea5d942f41744f1ef37e84a59878d',
      },
    ],
  },
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
  {
    ...named('QvoiceQueueStatus'),
    examples: [
      {
        id: '9ba7842e-f51c-4156-9bee-1f4aa7466b1e',
        name: 'QueueName',
        extension: '5586',
        max_time_caller_in_queue: 120,
        strategy: 'single',
        agents: [
          {
            id: '8d0af2bafb82d021dc1fb5b09996d7d6',
            name: 'Agent1 Name',
            extension: '5865',
            extension_is_valid: true,
            delay: 0,
            timeout: 15,
            logged_in: false,
            status: 'idle',
            registered: false,
            tags: [{ id: '6057e10976cba5c054d4a00e8aad9bc8', name: 'Batch-W??B1', color: '#b306f1' }],
          },
        ],
        calls: {},
        total_agents: 1,
        logged_in_agents: 0,
        logged_out_agents: 1,
        idle_agents: 0,
        misconfigured_agents: 0,
        agents_registered: 0,
        agents_on_call: 0,
      },
    ],
  },
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
  {
    ...named('QvoiceHistoryRecord'),
    examples: [
      {
        datetime: '2022-10-19 23:31:58 +0000 UTC',
        timestamp: 1666222318,
        campaign_name: 'load_test_camp_1',
        lead_name: 'Raven Shields',
        lead_number: '+12195011918',
        agent_name: 'Jim Jones71',
        agent_extension: '1071',
        lead_history: [
          {
            agent: {
              delay: 0,
              device_endpoints: [],
              email: 'jones8@jones.com',
              endpoint: '009ec0f42923cceb8ce819aee367a215',
              ext: '1008',
              first_name: 'Jim',
              last_answered: 1666221871.9237537,
              last_attempt: 1666221871.916515,
              last_hangup: 0,
              last_name: 'Jones8',
              status: 'idle',
              timeout: 20,
              total_talk_time: 0,
              type: 'user',
            },
            event: 'campaign dial',
            ext: '1008',
            last_attempt: 1666222318.0263362,
            type: 'dial agent',
            uuid: 'd7bf2f395cf9adddece9dd8df49712f13d39-clicktocall',
          },
        ],
      },
    ],
  },
);

export const QvoiceLoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    password: Type.String({ minLength: 1 }),
    domain: Type.String({ minLength: 1 }),
  },
  { examples: [{ username: 'admin', password: 'demo-admin-pass', domain: 'demo' }] },
);

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
  {
    examples: [
      {
        number: '+12131204',
        retries: 11,
        first_name: 'Piper',
        last_name: 'Huffman',
        type: 'sales',
        priority: 4,
        ticket_id: 'T-1001',
        note: 'Call after lunch',
        cool_off: 300,
      },
    ],
    additionalProperties: false,
  },
);

export const QvoiceLoginAnswer = Type.Object(
  {
    user: QvoiceUser,
    access_token: Type.String(),
    refresh_token: Type.String(),
  },
  {
    examples: [
      {
        user: {
          id: '563c4799718647bda0182157a0338b20',
          username: 'admin',
          name: 'Demo Admin',
          email: 'admin@example.com',
          role: 'admin',
          extension: null,
          account_id: '5ac836b84ce247b497e273d337373a01',
          domain: 'demo',
        },
        access_token:
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjYyI6MSwicm9sZSI6ImFkbWluIiwic3ViIjoiNTYzYzQ3OTkifQ.Qm9ndXMtc2lnbmF0dXJlLWZvci1kb2Nz',
        refresh_token: 'odr_Xk3v9LqPz2WmT7yHc4NbR8sJd1FgA6uE0oKiVnMwYt5',
      },
    ],
  },
);

export const QvoiceLeadsStatusAnswer = Type.Record(
  Type.String({ description: 'campaign id, 32 hex digits' }),
  Type.Object({
    name: Type.String(),
    status: Type.String({ description: 'stopped, running, paused or completed' }),
    total_leads: Type.Integer(),
    leads_by_status: Type.Record(Type.String(), Type.Integer()),
  }),
  {
    examples: [
      {
        campaing_id_1: {
          name: 'campaign_1',
          status: 'stopped',
          total_leads: 44,
          leads_by_status: { new: 4, success: 25, failed: 5 },
        },
      },
    ],
  },
);

export const QvoiceLeadsAnswer = Type.Object(
  {
    data: Type.Array(LeadItem),
    next_start_key: Type.String({ description: 'Empty when there are no more leads' }),
  },
  {
    examples: [
      {
        data: [
          {
            created: 1665762498,
            campaign_id: '210ea5d942f41744f1ef37e84a4965e0',
            number: '+12131204',
            status: 'new',
            retries: 11,
            first_name: 'Piper',
            last_name: 'Huffman',
            priority: 4,
            id: '210ea5d942f41744f1ef37e84a59878d',
          },
          {
            created: 1665762674,
            campaign_id: '210ea5d942f41744f1ef37e84a4965e0',
            number: '+12131214',
            status: 'new',
            retries: 11,
            first_name: 'Yash',
            last_name: 'Ellwood',
            priority: 4,
            id: '210ea5d942f41744f1ef37e84a5a1f95',
          },
        ],
        next_start_key: '9f6b620d4d5e82e16a822fdff7210a8f',
      },
    ],
  },
);

export const QvoiceVoicemailAnswer = Type.Object(
  { message: Type.String() },
  { examples: [{ message: 'Call disposition set successfully.' }] },
);

export const QvoiceLeadMessage = Type.Object(
  { message: Type.String(), data: LeadItem },
  {
    examples: [
      {
        message: 'Lead added to campaign successfully.',
        data: {
          created: 1665762498,
          campaign_id: '210ea5d942f41744f1ef37e84a4965e0',
          number: '+12131204',
          status: 'new',
          retries: 11,
          first_name: 'Piper',
          last_name: 'Huffman',
          priority: 4,
          id: '210ea5d942f41744f1ef37e84a59878d',
        },
      },
    ],
  },
);
export const QvoiceMessage = Type.Object(
  { message: Type.String() },
  { examples: [{ message: 'Lead deleted successfully.' }] },
);
