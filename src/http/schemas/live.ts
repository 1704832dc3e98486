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
  named('LiveStats'),
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
  named('CampaignEligibility'),
);

export const StreamTicketQuery = {
  ticket: Type.Optional(
    Type.String({ maxLength: 100, description: 'A single-use ticket from POST /v1/auth/stream-ticket' }),
  ),
};
