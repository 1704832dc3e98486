import type { ForecastMode } from '../../engine/forecast.js';

/** What a forecast is asked, after defaults are filled in from the campaign. */
export interface ForecastInputs {
  /** Candidate agent counts, ascending, without repeats. */
  agents: number[];
  modes: ForecastMode[];
  /** Power: dials per available agent. */
  linesPerAgent: number;
  /** Predictive: the cap the pacer steers under; also the cap staffing must keep within. */
  abandonCap: number;
  /**
   * Simulated samples per candidate, each on its own seed, at the least: more are added (each
   * further `seeds` twice as long as the ones before, up to a calling day; at most MAX_HOURS_FACTOR
   * times `simulatedHours` in all) until the candidate's figures are precise (FORECAST_PRECISION).
   */
  seeds: number;
  /** Simulated calling hours over those first samples (each is `simulatedHours / seeds` long). */
  simulatedHours: number;
  /** Learn from calls dialled since then (null: the last 7 days, counted when the job runs). */
  since: string | null;
  /** Staffing: the fewest agents that finish the remaining list by then. */
  finishBy: string | null;
  /** Staffing searches up to this many agents. */
  maxAgents: number;
  /** Forecast on the documented default traffic when there is no history to learn from. */
  useDefaultTraffic: boolean;
}

export interface CandidateResult {
  agents: number;
  mode: ForecastMode;
  lines_per_agent: number | null;
  abandon_cap: number | null;
  utilization: number;
  /** The forecast's own standard error of the utilization (the spread of its samples). */
  utilization_se: number;
  talk_minutes_per_agent_hour: number;
  abandon_rate: number;
  abandon_rate_se: number;
  worst_day_abandon_rate: number;
  contacts_reached_per_hour: number;
  dials_per_hour: number;
  /** Samples simulated for this candidate, and their measured hours in all. */
  seeds: number;
  simulated_hours: number;
  /** Calling hours the remaining contacts take at this pace. */
  calling_hours_to_exhaust: number;
  /** When the remaining contacts would be exhausted (null: not within two years or the campaign's end). */
  exhausted_at: string | null;
  within_abandon_cap: boolean;
}

export interface StaffingResult {
  mode: ForecastMode;
  /** The fewest agents found to finish by the date within the cap; null when none up to max_agents does. */
  agents: number | null;
  exhausted_at: string | null;
  abandon_rate: number | null;
  utilization: number | null;
}

/** A finished forecast, as stored on its job. */
export interface ForecastResult {
  traffic: { source: 'campaign' | 'center' | 'defaults'; since: string; until: string; dials: number };
  calling_day: { start: string; end: string; hours: number };
  remaining: { contacts: number; callbacks: number; on_dnc: number; dials_needed: number };
  /**
   * How candidates were sampled: at least `seeds` (at most `max_seeds`) until their standard errors
   * met the targets; the first `seeds` are `hours_per_seed` long, each further `seeds` twice as long.
   */
  samples: {
    seeds: number;
    max_seeds: number;
    hours_per_seed: number;
    target_utilization_se: number;
    target_abandon_rate_se: number;
  };
  candidates: CandidateResult[];
  staffing: { finish_by: string; by_mode: StaffingResult[] } | null;
  elapsed_ms: number;
}
