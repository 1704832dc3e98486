import type { Campaign, ForecastJob } from '../../db/schema.js';
import {
  type CandidateForecast,
  type ForecastCandidate,
  type ForecastLimits,
  type ForecastMode,
  type ForecastPrecision,
  type ForecastSampling,
  samplesForHours,
} from '../../engine/forecast.js';
import { systemContext, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { callingDay, CallingTimeline } from './calling-calendar.js';
import { learnTraffic } from './campaign-traffic.js';
import { candidateRunner, forecastOn, inlineRunner, type CandidateRunner } from './forecast-threads.js';
import type { CandidateResult, ForecastInputs, ForecastResult, StaffingResult } from './forecast-inputs.js';
import { runOut, type RunOut, type WaitingContacts } from './run-out.js';

/** The live engine's (EngineHost's defaults): how long a dial rings and an answer waits for an agent. */
const LIMITS = { ringTimeoutMs: 25_000, patienceMs: 2000 };

/**
 * How precise each candidate's figures are made (standard errors), against what a forecast is
 * for: utilization within 2 points and the abandon rate within half a point of running the
 * staffing: a forecast and a run that each err by these differ by less than that 49 times in 50.
 */
export const FORECAST_PRECISION = { utilizationSe: 0.006, abandonRateSe: 0.0015 };
/** A candidate is simulated at most this many times the hours asked for, however imprecise. */
export const MAX_HOURS_FACTOR = 16;

type Exhaustion = RunOut;

function candidateResult(forecast: CandidateForecast, cap: number, exhausted: Exhaustion): CandidateResult {
  return {
    agents: forecast.agents,
    mode: forecast.mode,
    lines_per_agent: forecast.mode === 'power' ? forecast.linesPerAgent : null,
    abandon_cap: forecast.mode === 'predictive' ? forecast.abandonCap : null,
    utilization: forecast.utilization,
    utilization_se: forecast.utilizationSe,
    talk_minutes_per_agent_hour: forecast.talkMinutesPerAgentHour,
    abandon_rate: forecast.abandonRate,
    abandon_rate_se: forecast.abandonRateSe,
    worst_day_abandon_rate: forecast.worstDayAbandonRate,
    contacts_reached_per_hour: forecast.contactsReachedPerHour,
    dials_per_hour: forecast.dialsPerHour,
    seeds: forecast.samples,
    simulated_hours: forecast.simulatedHours,
    calling_hours_to_exhaust: exhausted.at ? exhausted.callingHours : -1,
    exhausted_at: exhausted.at?.toISOString() ?? null,
    within_abandon_cap: forecast.abandonRate <= cap,
  };
}

export interface ComputeOptions {
  /** Where candidates are simulated (default: this thread). */
  runner?: CandidateRunner;
  /** Called as each candidate is done (the job's lease is renewed there); a throw ends the forecast. */
  heartbeat?: () => Promise<void>;
}

/**
 * The forecast itself: the campaign's learned traffic drives the engine's own Dialer
 * (CampaignSimulation) for every candidate (agent count × mode), on the same seeds; the list's
 * remaining contacts are laid over each candidate's pace and the campaign's calling hours; and,
 * asked a date, the fewest agents per mode that finish by it within the cap. Touches no live call.
 */
export async function computeForecast(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaign: Campaign,
  inputs: ForecastInputs,
  options: ComputeOptions = {},
): Promise<ForecastResult> {
  const runner = options.runner ?? inlineRunner();
  const started = performance.now();
  const now = deps.clock.now();
  const traffic = await learnTraffic(deps, ctx, campaign, {
    ...(inputs.since ? { since: new Date(inputs.since) } : {}),
    ringTimeoutMs: LIMITS.ringTimeoutMs,
  });
  const model = traffic.model;
  const day = callingDay(campaign);
  const limits: ForecastLimits = { ...LIMITS, wrapUpLimitMs: campaign.wrap_up_seconds * 1000 };
  const firstSamples: ForecastSampling = {
    startHour: day.startHour,
    dayHours: day.hours,
    sampleHours: inputs.simulatedHours / inputs.seeds,
    precision: { minSamples: inputs.seeds, maxSamples: inputs.seeds, ...FORECAST_PRECISION },
  };
  // Later samples are longer: a candidate's most is a number of hours, as many samples as reach it.
  const precision: ForecastPrecision = {
    ...firstSamples.precision,
    maxSamples: samplesForHours(firstSamples, inputs.simulatedHours * MAX_HOURS_FACTOR),
  };
  const sampling: ForecastSampling = { ...firstSamples, precision };
  const cap = inputs.abandonCap;
  const candidate = (agents: number, mode: ForecastMode): ForecastCandidate => ({
    agents,
    mode,
    linesPerAgent: inputs.linesPerAgent,
    abandonCap: cap,
  });
  const evaluated = new Map<string, Promise<CandidateForecast>>();
  const evaluate = (agents: number, mode: ForecastMode) => {
    const key = `${mode}:${agents}`;
    let forecast = evaluated.get(key);
    if (!forecast) {
      forecast = forecastOn(runner, { model, candidate: candidate(agents, mode), limits }, sampling).then(
        async (f) => {
          await options.heartbeat?.();
          return f;
        },
      );
      evaluated.set(key, forecast);
    }
    return forecast;
  };

  // Every candidate asked for at once: a pool of threads runs them side by side.
  const asked = Promise.all(
    inputs.modes.flatMap((mode) => inputs.agents.map((agents) => evaluate(agents, mode))),
  );
  // Awaited below; a failure counting the contacts must not leave it to fail unhandled.
  asked.catch(() => undefined);
  // The remaining contacts are counted while the threads simulate.
  const counted = await tenantReader(deps, ctx).traffic.waitingContacts(campaign.id);
  // Numbers on a do-not-call list are never dialled: they take no dials and no time.
  const waiting: WaitingContacts[] = counted
    .filter((c) => !c.on_dnc)
    .map((c) => ({
      contacts: c.contacts,
      attempts: c.attempts,
      readyAt: c.ready_at,
      coolOffSeconds: c.cool_off_seconds,
    }));
  const timeline = new CallingTimeline(campaign, now);
  const exhaustion = (f: CandidateForecast): Exhaustion =>
    runOut(
      waiting,
      model.shares,
      { dialsPerHour: f.dialsPerHour, abandonRate: f.abandonRate },
      campaign,
      timeline,
      now,
    );
  const forecasts = await asked;
  const candidates: CandidateResult[] = forecasts.map((f) => candidateResult(f, cap, exhaustion(f)));

  let staffing: ForecastResult['staffing'] = null;
  if (inputs.finishBy) {
    const finishBy = new Date(inputs.finishBy);
    const byMode: StaffingResult[] = [];
    for (const mode of inputs.modes) {
      const fits = async (agents: number) => {
        const f = await evaluate(agents, mode);
        const out = exhaustion(f);
        return f.abandonRate <= cap && out.at !== null && out.at <= finishBy;
      };
      // Dials per agent-hour hardly change with the fleet's size: a first guess from the dials the
      // list needs over the calling hours left, then a binary search on the run-out itself.
      const probe = await evaluate(inputs.agents[inputs.agents.length - 1]!, mode);
      const perAgent = probe.dialsPerHour / probe.agents;
      const hoursAvailable = timeline.between(now.getTime(), finishBy.getTime()) / 3_600_000;
      const needDials = exhaustion(probe).dials;
      const guess = Math.ceil(needDials / Math.max(hoursAvailable, 1e-9) / Math.max(perAgent, 1e-9));
      let found: number | null = null;
      if (hoursAvailable > 0 && Number.isFinite(guess)) {
        let hi = Math.min(inputs.maxAgents, Math.max(1, Math.ceil(guess * 1.5) + 1));
        if (!(await fits(hi))) hi = inputs.maxAgents;
        if (hi === inputs.maxAgents && !(await fits(hi))) hi = 0;
        if (hi > 0) {
          let lo = Math.min(hi, Math.max(1, Math.floor(guess * 0.6)));
          if (lo > 1) lo = (await fits(lo)) ? 1 : lo + 1;
          while (lo < hi) {
            const mid = Math.floor((lo + hi) / 2);
            if (await fits(mid)) hi = mid;
            else lo = mid + 1;
          }
          found = hi;
        }
      }
      const f = found === null ? null : await evaluate(found, mode);
      byMode.push({
        mode,
        agents: found,
        exhausted_at: f ? (exhaustion(f).at?.toISOString() ?? null) : null,
        abandon_rate: f?.abandonRate ?? null,
        utilization: f?.utilization ?? null,
      });
    }
    staffing = { finish_by: finishBy.toISOString(), by_mode: byMode };
  }

  return {
    traffic: {
      source: traffic.source,
      since: traffic.since.toISOString(),
      until: traffic.until.toISOString(),
      dials: model.dials,
    },
    calling_day: { start: campaign.calling_hours_start, end: campaign.calling_hours_end, hours: day.hours },
    remaining: {
      contacts: counted.reduce((n, r) => n + r.contacts, 0),
      callbacks: counted.reduce((n, r) => n + (r.callback ? r.contacts : 0), 0),
      on_dnc: counted.reduce((n, r) => n + (r.on_dnc ? r.contacts : 0), 0),
      // The dials hardly depend on the pace, only on the abandon rate: the first candidate's.
      dials_needed: forecasts[0] ? Math.round(exhaustion(forecasts[0]).dials) : 0,
    },
    samples: {
      seeds: precision.minSamples,
      max_seeds: precision.maxSamples,
      hours_per_seed: sampling.sampleHours,
      target_utilization_se: precision.utilizationSe,
      target_abandon_rate_se: precision.abandonRateSe,
    },
    candidates,
    staffing,
    elapsed_ms: Math.round(performance.now() - started),
  };
}

export interface RunForecastOptions {
  /** How long the job's lease lasts; it is renewed from the clock as each candidate is done. */
  leaseMs: number;
  /** Threads to simulate candidates on (FORECAST_THREADS; 0 or 1: this thread). */
  threads?: number;
}

/**
 * Runs a claimed forecast job and stores its result (or why it failed) while the lease holds. The
 * lease is renewed as the candidates come in, so a forecast longer than the lease is not taken by
 * another worker; one that lost its lease anyway stops and writes nothing.
 */
export async function runForecast(
  deps: ServiceDeps,
  job: ForecastJob,
  owner: string,
  options: RunForecastOptions,
): Promise<void> {
  const ctx = systemContext(job.contact_center_id, 'forecast');
  const repos = tenantReader(deps, ctx);
  const runner = candidateRunner(options.threads ?? 0);
  const heartbeat = async () => {
    if (!(await repos.forecasts.renewLease(job.id, owner, deps.clock.now(), options.leaseMs)))
      throw new Error('forecast lease lost to another worker');
  };
  try {
    const campaign = await repos.campaigns.getById(job.campaign_id);
    const result = await computeForecast(deps, ctx, campaign, job.inputs as unknown as ForecastInputs, {
      runner,
      heartbeat,
    });
    await repos.forecasts.finish(
      job.id,
      owner,
      { result: result as unknown as Record<string, unknown> },
      deps.clock.now(),
    );
  } catch (error) {
    await repos.forecasts.finish(job.id, owner, { error: (error as Error).message }, deps.clock.now());
    throw error;
  } finally {
    await runner.close();
  }
}
