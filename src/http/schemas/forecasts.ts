import { Type } from '@sinclair/typebox';
import { Bounded } from './bounds.js';
import { Nullable, Timestamp } from './common.js';
import { named } from './components.js';

const RESULTS = ['person', 'machine', 'no_answer', 'busy', 'invalid_number', 'failed'] as const;
const MODES = ['progressive', 'power', 'predictive'] as const;

const Shares = Type.Object(
  Object.fromEntries(RESULTS.map((r) => [r, Type.Number()])) as Record<
    (typeof RESULTS)[number],
    ReturnType<typeof Type.Number>
  >,
  {
    description:
      'Share of dials that turned into each result (person: answered by a person, taken or abandoned)',
  },
);

const Duration = Type.Object({
  samples: Type.Integer({ description: 'Calls behind the figure; 0: the documented default shape' }),
  mean_seconds: Type.Number(),
  percentiles_seconds: Type.Object(
    { p5: Type.Number(), p25: Type.Number(), p50: Type.Number(), p75: Type.Number(), p95: Type.Number() },
    { description: 'Of the learned distribution (kept at every 5th percentile)' },
  ),
});

const exampleDuration = (samples: number, mean: number, p: [number, number, number, number, number]) => ({
  samples,
  mean_seconds: mean,
  percentiles_seconds: { p5: p[0], p25: p[1], p50: p[2], p75: p[3], p95: p[4] },
});

export const TrafficQuery = Type.Object({
  since: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'Learn from calls dialled since then (default: the last 7 days)',
    }),
  ),
});

export const TrafficResponse = Type.Object(
  {
    campaign_id: Type.String(),
    since: Timestamp,
    until: Timestamp,
    source: Type.Union([Type.Literal('campaign'), Type.Literal('center'), Type.Literal('defaults')], {
      description:
        "Whose calls the figures come from: the campaign's; its center's (the campaign has fewer than 100 finished calls in the period); or none (the documented defaults, samples 0)",
    }),
    dials: Type.Integer({ description: 'Finished dials behind the shares' }),
    shares: Shares,
    ring_time: Type.Object(
      Object.fromEntries(RESULTS.map((r) => [r, Duration])) as Record<
        (typeof RESULTS)[number],
        typeof Duration
      >,
      { description: 'From dialling to each result (to the answer, for people and machines)' },
    ),
    talk_time: Duration,
    wrap_up_time: Duration,
    by_hour: Type.Array(
      Type.Object({
        hour: Type.Integer({ description: "Hour of the callee's local day (the contact's time zone)" }),
        dials: Type.Integer(),
        shares: Shares,
      }),
      { description: 'Hours with dials; a forecast uses an hour’s own shares from 200 dials' },
    ),
  },
  {
    ...named('CampaignTraffic'),
    examples: [
      {
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        since: '2026-11-29T18:47:50.689Z',
        until: '2026-12-06T18:47:50.689Z',
        source: 'campaign',
        dials: 12480,
        shares: { person: 0.31, machine: 0.04, no_answer: 0.58, busy: 0.05, invalid_number: 0.02, failed: 0 },
        ring_time: {
          person: exampleDuration(3869, 9.1, [3.6, 6, 9, 12, 14.4]),
          machine: exampleDuration(499, 8.8, [3.5, 5.9, 8.7, 11.8, 14.3]),
          no_answer: exampleDuration(7238, 25, [25, 25, 25, 25, 25]),
          busy: exampleDuration(624, 2.5, [1.2, 1.8, 2.5, 3.2, 3.9]),
          invalid_number: exampleDuration(250, 1.2, [0.6, 0.9, 1.2, 1.6, 1.9]),
          failed: exampleDuration(0, 1.25, [0.58, 0.88, 1.25, 1.63, 1.93]),
        },
        talk_time: exampleDuration(3702, 90.4, [30.1, 55.2, 75.8, 111.9, 192.3]),
        wrap_up_time: exampleDuration(3702, 15, [15, 15, 15, 15, 15]),
        by_hour: [
          {
            hour: 9,
            dials: 1410,
            shares: {
              person: 0.27,
              machine: 0.05,
              no_answer: 0.61,
              busy: 0.05,
              invalid_number: 0.02,
              failed: 0,
            },
          },
          {
            hour: 10,
            dials: 1530,
            shares: {
              person: 0.33,
              machine: 0.04,
              no_answer: 0.56,
              busy: 0.05,
              invalid_number: 0.02,
              failed: 0,
            },
          },
        ],
      },
    ],
  },
);

export const ForecastRequest = Type.Object(
  {
    agents: Type.Array(Type.Integer({ minimum: 1, maximum: 500 }), {
      minItems: 1,
      maxItems: 10,
      description: 'Candidate agent counts (1–500 each, up to 10)',
    }),
    modes: Type.Array(Type.Union(MODES.map((m) => Type.Literal(m))), { minItems: 1, maxItems: 3 }),
    lines_per_agent: Type.Optional(Bounded(1, 10, { description: "Power mode (default: the campaign's)" })),
    abandon_cap: Type.Optional(
      Bounded(0.001, 0.5, {
        description: "Predictive mode's cap, and the cap staffing must keep within (default: the campaign's)",
      }),
    ),
    seeds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10,
        description:
          'Simulated samples per candidate at the least (default 3); more are added, each further group of as many twice as long as the one before (up to a calling day), up to 16 times simulated_hours in all, until the standard error of utilization is under 0.6 point and of the abandon rate under 0.15 point',
      }),
    ),
    simulated_hours: Type.Optional(
      Bounded(1, 48, {
        description:
          'Calling hours simulated over those first samples: each of them is simulated_hours / seeds long (default 3)',
      }),
    ),
    since: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Learn from calls since then (default: the last 7 days)',
      }),
    ),
    finish_by: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Staffing: find the fewest agents per mode that exhaust the remaining list by then',
      }),
    ),
    max_agents: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 500,
        description: 'Staffing searches up to this many (default 200)',
      }),
    ),
    use_default_traffic: Type.Optional(
      Type.Boolean({
        description: 'Forecast on the documented default traffic when there is no call history (else 400)',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        agents: [10, 15, 20],
        modes: ['power', 'predictive'],
        lines_per_agent: 2.5,
        abandon_cap: 0.03,
        finish_by: '2026-12-11T18:00:00.000Z',
      },
    ],
  },
);

const CandidateResponse = Type.Object({
  agents: Type.Integer(),
  mode: Type.String(),
  lines_per_agent: Nullable(Type.Number()),
  abandon_cap: Nullable(Type.Number()),
  utilization: Type.Number({ description: 'Share of logged-in time talking or in wrap-up' }),
  utilization_se: Type.Number({
    description: "The forecast's own standard error of the utilization (the spread of its samples)",
  }),
  talk_minutes_per_agent_hour: Type.Number(),
  abandon_rate: Type.Number({ description: 'Abandoned over answers by a person, all samples' }),
  abandon_rate_se: Type.Number({ description: "The forecast's own standard error of the abandon rate" }),
  worst_day_abandon_rate: Type.Number({
    description: 'The worst simulated sample (part of a calling day: it errs high)',
  }),
  contacts_reached_per_hour: Type.Number({ description: 'People connected to an agent per calling hour' }),
  dials_per_hour: Type.Number(),
  seeds: Type.Integer({ description: 'Samples simulated for this candidate (more for a small fleet)' }),
  simulated_hours: Type.Number({ description: 'Their measured hours in all' }),
  calling_hours_to_exhaust: Type.Number({
    description:
      'Calling hours from now until the list runs out at this pace, waits for retries and callbacks included; -1 when not within two years',
  }),
  exhausted_at: Nullable(Timestamp),
  within_abandon_cap: Type.Boolean(),
});

const exampleCandidate = {
  agents: 15,
  mode: 'predictive',
  lines_per_agent: null,
  abandon_cap: 0.03,
  utilization: 0.86,
  utilization_se: 0.0041,
  talk_minutes_per_agent_hour: 44.1,
  abandon_rate: 0.026,
  abandon_rate_se: 0.0012,
  worst_day_abandon_rate: 0.029,
  contacts_reached_per_hour: 434.2,
  dials_per_hour: 1460.5,
  seeds: 5,
  simulated_hours: 7,
  calling_hours_to_exhaust: 21.3,
  exhausted_at: '2026-12-09T12:18:00.000Z',
  within_abandon_cap: true,
};

export const ForecastResponse = Type.Object(
  {
    id: Type.String(),
    campaign_id: Type.String(),
    status: Type.String({ description: 'queued, running, completed or failed' }),
    reused: Type.Boolean({
      description: 'The same question was asked of the campaign within the last hour: this is that job',
    }),
    created_at: Timestamp,
    started_at: Nullable(Timestamp),
    finished_at: Nullable(Timestamp),
    error: Nullable(Type.String()),
    result: Nullable(
      Type.Object(
        {
          traffic: Type.Object({
            source: Type.String({ description: 'campaign, center or defaults' }),
            since: Timestamp,
            until: Timestamp,
            dials: Type.Integer(),
          }),
          calling_day: Type.Object({ start: Type.String(), end: Type.String(), hours: Type.Number() }),
          remaining: Type.Object({
            contacts: Type.Integer({ description: 'Waiting contacts (new, retry, callback)' }),
            callbacks: Type.Integer({ description: 'Of them, callbacks booked (dialled when due)' }),
            on_dnc: Type.Integer({
              description: 'Of them, numbers on a do-not-call list: never dialled, so no dials nor time',
            }),
            dials_needed: Type.Integer({
              description:
                'Expected dials to settle them or use up their attempts, retries included (under the retry rules)',
            }),
          }),
          samples: Type.Object(
            {
              seeds: Type.Integer({ description: 'Samples per candidate at the least' }),
              max_seeds: Type.Integer({ description: 'and at most' }),
              hours_per_seed: Type.Number({
                description:
                  'How long the first samples are; each further group of `seeds` is twice as long, up to a calling day',
              }),
              target_utilization_se: Type.Number(),
              target_abandon_rate_se: Type.Number(),
            },
            {
              description:
                "How candidates were simulated: samples were added until the figures' standard errors met the targets",
            },
          ),
          candidates: Type.Array(CandidateResponse),
          staffing: Nullable(
            Type.Object({
              finish_by: Timestamp,
              by_mode: Type.Array(
                Type.Object({
                  mode: Type.String(),
                  agents: Nullable(Type.Integer({ description: 'null: none up to max_agents does' })),
                  exhausted_at: Nullable(Timestamp),
                  abandon_rate: Nullable(Type.Number()),
                  utilization: Nullable(Type.Number()),
                }),
              ),
            }),
          ),
          elapsed_ms: Type.Integer(),
        },
        { description: 'null until the job completes' },
      ),
    ),
  },
  {
    ...named('Forecast'),
    examples: [
      {
        id: 'fct_9b2c51e0d7a84f0c8e3b1a2d4c5e6f70',
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        status: 'completed',
        reused: false,
        created_at: '2026-12-06T18:47:50.689Z',
        started_at: '2026-12-06T18:47:51.002Z',
        finished_at: '2026-12-06T18:47:53.410Z',
        error: null,
        result: {
          traffic: {
            source: 'campaign',
            since: '2026-11-29T18:47:51.002Z',
            until: '2026-12-06T18:47:51.002Z',
            dials: 12480,
          },
          calling_day: { start: '09:00', end: '18:00', hours: 9 },
          remaining: { contacts: 9200, callbacks: 40, on_dnc: 120, dials_needed: 31100 },
          samples: {
            seeds: 3,
            max_seeds: 13,
            hours_per_seed: 1,
            target_utilization_se: 0.006,
            target_abandon_rate_se: 0.0015,
          },
          candidates: [exampleCandidate],
          staffing: {
            finish_by: '2026-12-11T18:00:00.000Z',
            by_mode: [
              {
                mode: 'predictive',
                agents: 9,
                exhausted_at: '2026-12-11T16:45:00.000Z',
                abandon_rate: 0.027,
                utilization: 0.83,
              },
            ],
          },
          elapsed_ms: 2408,
        },
      },
    ],
  },
);
