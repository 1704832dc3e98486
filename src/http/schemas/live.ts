import { Type } from '@sinclair/typebox';
import { Timestamp } from './common.js';
import { named } from './components.js';

export const Counters = {
  dials: Type.Integer(),
  person_answers: Type.Integer(),
  machine_answers: Type.Integer(),
  connected: Type.Integer(),
  abandoned: Type.Integer(),
  no_answer: Type.Integer(),
  busy: Type.Integer(),
  invalid_number: Type.Integer(),
  failed: Type.Integer(),
  talk_ms: Type.Integer(),
};

export const LiveStatsResponse = Type.Object(
  {
    campaign_id: Type.String(),
    status: Type.String(),
    dialing_mode: Type.String(),
    abandon_rate_cap: Type.Number(),
    at: Timestamp,
    agents: Type.Object({
      available: Type.Integer(),
      reserved: Type.Integer(),
      on_call: Type.Integer(),
      wrap_up: Type.Integer(),
      paused: Type.Integer(),
    }),
    calls: Type.Object({
      ringing: Type.Integer(),
      waiting_for_agent: Type.Integer(),
      connected: Type.Integer(),
      in_flight: Type.Integer(),
    }),
    dial_level: Type.Number({ description: 'Calls ringing per working agent' }),
    today: Type.Object({ ...Counters, abandon_rate: Type.Number(), day_start: Timestamp }),
    rolling_30_days: Type.Object({
      person_answers: Type.Integer(),
      abandoned: Type.Integer(),
      abandon_rate: Type.Number(),
    }),
    series: Type.Array(
      Type.Object({
        at: Timestamp,
        dials: Type.Integer(),
        person_answers: Type.Integer(),
        connected: Type.Integer(),
        abandoned: Type.Integer(),
      }),
      { description: "Today's 15-minute buckets" },
    ),
  },
  {
    ...named('LiveStats'),
    examples: [
      {
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        status: 'running',
        dialing_mode: 'predictive',
        abandon_rate_cap: 0.03,
        at: '2026-12-06T18:47:50.755Z',
        agents: { available: 0, reserved: 0, on_call: 6, wrap_up: 0, paused: 0 },
        calls: { ringing: 0, waiting_for_agent: 0, connected: 6, in_flight: 6 },
        dial_level: 0,
        today: {
          dials: 132,
          person_answers: 45,
          machine_answers: 2,
          connected: 45,
          abandoned: 0,
          no_answer: 75,
          busy: 7,
          invalid_number: 3,
          failed: 0,
          talk_ms: 2605047,
          abandon_rate: 0,
          day_start: '2026-12-06T18:30:00.000Z',
        },
        rolling_30_days: { person_answers: 45, abandoned: 0, abandon_rate: 0 },
        series: [
          { at: '2026-12-06T18:30:00.000Z', dials: 110, person_answers: 37, connected: 37, abandoned: 0 },
          { at: '2026-12-06T18:45:00.000Z', dials: 22, person_answers: 8, connected: 8, abandoned: 0 },
        ],
      },
    ],
  },
);

export const ReasonCountsSchema = Type.Array(
  Type.Object({ code: Type.String(), message: Type.String(), contacts: Type.Integer() }),
  {
    description: 'Waiting contacts held back by each reason, most first; one contact may count under several',
  },
);

export const CampaignEligibilityResponse = Type.Object(
  {
    campaign_id: Type.String(),
    at: Timestamp,
    contacts: Type.Integer({ description: "Every contact of the campaign's lists" }),
    waiting: Type.Integer({ description: 'Still to call: new, retry or callback' }),
    in_progress: Type.Integer({ description: 'On a call now' }),
    finished: Type.Integer({ description: 'Completed, failed, do-not-call or removed' }),
    dialable_now: Type.Integer({ description: 'Waiting contacts the hopper would hand out now' }),
    reasons: ReasonCountsSchema,
    lists: Type.Array(
      Type.Object({
        lead_list_id: Type.String(),
        name: Type.String(),
        priority: Type.Integer(),
        contacts: Type.Integer(),
        waiting: Type.Integer(),
        in_progress: Type.Integer(),
        dialable_now: Type.Integer(),
        reasons: ReasonCountsSchema,
      }),
    ),
  },
  {
    ...named('CampaignEligibility'),
    examples: [
      {
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        at: '2026-12-06T18:47:50.689Z',
        contacts: 400,
        waiting: 363,
        in_progress: 6,
        finished: 31,
        dialable_now: 268,
        reasons: [
          { code: 'retry_not_due', message: 'its next attempt is scheduled later', contacts: 89 },
          { code: 'callback_not_due', message: 'a callback is scheduled later', contacts: 6 },
        ],
        lists: [
          {
            lead_list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
            name: 'Mumbai leads',
            priority: 1,
            contacts: 400,
            waiting: 363,
            in_progress: 6,
            dialable_now: 268,
            reasons: [
              { code: 'retry_not_due', message: 'its next attempt is scheduled later', contacts: 89 },
              { code: 'callback_not_due', message: 'a callback is scheduled later', contacts: 6 },
            ],
          },
        ],
      },
    ],
  },
);

export const StreamTicketQuery = {
  ticket: Type.Optional(
    Type.String({ maxLength: 100, description: 'A single-use ticket from POST /v1/auth/stream-ticket' }),
  ),
};
