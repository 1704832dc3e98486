import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';
import { named } from './components.js';

const Rate = (description: string) =>
  Nullable(Type.Number({ description: `${description}; null when nothing to divide by` }));
const Seconds = (description: string) => Type.Number({ description: `${description}, in seconds` });
const Dispositions = Type.Record(Type.String(), Type.Integer(), {
  description: 'Calls by the disposition recorded on them',
});

const PeriodQuery = {
  from: Type.String({ format: 'date-time', description: 'The period’s start (inclusive)' }),
  to: Type.String({ format: 'date-time', description: 'The period’s end (exclusive); at most 92 days on' }),
  campaign_id: Type.Optional(Type.String({ description: 'cmp_…: one campaign; without it, all' })),
};

export const CampaignPerformanceQuery = Type.Object({
  ...PeriodQuery,
  group_by: Type.Optional(
    Type.Union([Type.Literal('hour'), Type.Literal('day')], { default: 'day', description: 'hour or day' }),
  ),
  time_zone: Type.Optional(
    Type.String({
      description: 'IANA zone of the hours and days; default the campaign’s, or the center’s',
      maxLength: 64,
    }),
  ),
});

export const AgentPerformanceQuery = Type.Object(PeriodQuery);

export const CampaignPeriodFigures = Type.Object(
  {
    period: Nullable(
      Type.String({ description: 'The local start of the hour or day (YYYY-MM-DDTHH:MM); null: the total' }),
    ),
    dials: Type.Integer({ description: 'Calls placed' }),
    person_answers: Type.Integer({ description: 'Answered by a person' }),
    machine_answers: Type.Integer(),
    connected: Type.Integer({ description: 'Connected to an agent' }),
    abandoned: Type.Integer({ description: 'Answered by a person, no agent free in time' }),
    no_answer: Type.Integer(),
    busy: Type.Integer(),
    failed: Type.Integer({ description: 'Failed or invalid number' }),
    contact_rate: Rate('Answered by a person ÷ dialled'),
    connect_rate: Rate('Connected to an agent ÷ dialled'),
    abandon_rate: Rate('Abandoned ÷ answered by a person'),
    average_talk_seconds: Nullable(Seconds('Average talk (connection to end) of the connected calls')),
    average_wrap_up_seconds: Nullable(Seconds('Average wrap-up of the connected calls that ended it')),
    dispositions: Dispositions,
  },
  { ...named('CampaignPeriodFigures') },
);

const periodExample = {
  period: '2026-03-02T10:00',
  dials: 412,
  person_answers: 118,
  machine_answers: 37,
  connected: 115,
  abandoned: 3,
  no_answer: 201,
  busy: 44,
  failed: 12,
  contact_rate: 0.2864,
  connect_rate: 0.2791,
  abandon_rate: 0.0254,
  average_talk_seconds: 143.2,
  average_wrap_up_seconds: 21.7,
  dispositions: { success: 31, callback: 22, not_interested: 48 },
};

export const CampaignPerformanceAnswer = Type.Object(
  {
    from: Timestamp,
    to: Timestamp,
    time_zone: Type.String(),
    group_by: Type.String(),
    campaign_id: Nullable(Type.String()),
    periods: Type.Array(CampaignPeriodFigures),
    total: CampaignPeriodFigures,
    lists: Type.Array(
      Type.Object({
        list_id: Type.String(),
        name: Type.String(),
        contacts: Type.Integer({ description: 'Contacts in the list (not removed)' }),
        tried: Type.Integer({ description: 'Contacts called at least once' }),
        penetration: Rate('Tried ÷ contacts'),
        completed: Type.Integer(),
        attempts_per_completed_contact: Rate('Attempts the completed contacts took, on average'),
        attempts_left: Type.Integer({
          description: "Attempts the open contacts have left (the list's maximum, or a contact's own limit)",
        }),
      }),
      { description: 'With a campaign: each list it dials' },
    ),
  },
  {
    ...named('CampaignPerformance'),
    examples: [
      {
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-03T00:00:00.000Z',
        time_zone: 'Asia/Kolkata',
        group_by: 'hour',
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        periods: [periodExample],
        total: { ...periodExample, period: null },
        lists: [
          {
            list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
            name: 'March leads',
            contacts: 4000,
            tried: 1630,
            penetration: 0.4075,
            completed: 390,
            attempts_per_completed_contact: 1.84,
            attempts_left: 9122,
          },
        ],
      },
    ],
  },
);

export const AgentPerformanceAnswer = Type.Object(
  {
    from: Timestamp,
    to: Timestamp,
    campaign_id: Nullable(Type.String()),
    agents: Type.Array(
      Type.Object({
        agent_id: Type.String({ description: 'usr_…' }),
        username: Type.String(),
        full_name: Type.String(),
        logged_in_seconds: Seconds('Time logged in to a campaign within the period'),
        talk_seconds: Seconds('Time on a call'),
        wrap_up_seconds: Seconds('Time in wrap-up after a call'),
        pause_seconds: Seconds('Time paused, whatever the reason'),
        pauses: Type.Record(Type.String(), Type.Number(), {
          description:
            'Seconds paused by reason (the desk’s reason, or the engine’s when it paused the agent, e.g. a dropped phone); "" for a pause without one',
        }),
        idle_seconds: Seconds(
          'Time waiting for a call: available, or reserved while a call is found or placed',
        ),
        calls_handled: Type.Integer({ description: 'Calls connected to the agent' }),
        average_handle_seconds: Nullable(Seconds('(Talk + wrap-up) ÷ calls handled')),
        dispositions: Dispositions,
      }),
    ),
  },
  {
    ...named('AgentPerformance'),
    examples: [
      {
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-03T00:00:00.000Z',
        campaign_id: null,
        agents: [
          {
            agent_id: 'usr_0b8e3c5a4d2f4e7a9c1b2d3e4f5a6b7c',
            username: 'anav_agent',
            full_name: 'Anav Agent',
            logged_in_seconds: 28800,
            talk_seconds: 15120.5,
            wrap_up_seconds: 2310,
            pause_seconds: 3600,
            pauses: { Lunch: 2700, Break: 900 },
            idle_seconds: 7769.5,
            calls_handled: 104,
            average_handle_seconds: 167.6,
            dispositions: { success: 28, callback: 19, not_interested: 57 },
          },
        ],
      },
    ],
  },
);

export const WallboardAnswer = Type.Object(
  {
    at: Timestamp,
    campaigns: Type.Array(
      Type.Object({
        campaign_id: Type.String(),
        name: Type.String(),
        status: Type.String({ description: 'running or paused (the campaigns on the floor)' }),
        dialing_mode: Type.String(),
        dial_level: Type.Number({ description: 'Lines ringing per working agent' }),
        calls: Type.Object({
          ringing: Type.Integer(),
          waiting_for_agent: Type.Integer(),
          connected: Type.Integer(),
          in_flight: Type.Integer(),
        }),
        agents: Type.Object({
          available: Type.Integer(),
          reserved: Type.Integer(),
          on_call: Type.Integer(),
          wrap_up: Type.Integer(),
          paused: Type.Integer(),
        }),
        abandon_rate_today: Type.Number(),
        abandon_rate_30_days: Type.Number(),
        abandon_rate_cap: Type.Number(),
        dials_today: Type.Integer(),
        reached_today: Type.Integer({ description: 'Calls answered by a person today (the campaign’s day)' }),
        contacts_left: Type.Integer({ description: 'Contacts new, to retry or to call back in its lists' }),
      }),
    ),
  },
  {
    ...named('Wallboard'),
    examples: [
      {
        at: '2026-12-06T18:47:50.755Z',
        campaigns: [
          {
            campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
            name: 'Mumbai Sales Dept',
            status: 'running',
            dialing_mode: 'predictive',
            dial_level: 1.5,
            calls: { ringing: 9, waiting_for_agent: 1, connected: 6, in_flight: 16 },
            agents: { available: 1, reserved: 0, on_call: 6, wrap_up: 2, paused: 1 },
            abandon_rate_today: 0.012,
            abandon_rate_30_days: 0.021,
            abandon_rate_cap: 0.03,
            dials_today: 1320,
            reached_today: 412,
            contacts_left: 2288,
          },
        ],
      },
    ],
  },
);
