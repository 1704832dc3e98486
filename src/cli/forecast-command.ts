import { parsePublicId } from '../domain/public-ids.js';
import { FORECAST_MODES, type ForecastMode } from '../engine/forecast.js';
import { findCenterByShortName } from '../services/centers/find-center.js';
import { systemContext, type ServiceDeps } from '../services/context.js';
import { createForecast, type NewForecast } from '../services/forecasts/create-forecast.js';
import { forecastNow } from '../services/forecasts/forecast-now.js';
import type { ForecastResult } from '../services/forecasts/forecast-inputs.js';

export interface ForecastCommandOptions {
  center: string;
  campaign: string;
  /** "10,15,20" */
  agents: string;
  /** "power,predictive" */
  modes: string;
  lines?: string;
  cap?: string;
  seeds?: string;
  hours?: string;
  since?: string;
  finishBy?: string;
  maxAgents?: string;
  defaultTraffic?: boolean;
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} takes a number, not "${value}"`);
  return n;
}

function dateOption(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`--${name} takes an ISO 8601 date-time, not "${value}"`);
  return d;
}

/** The CLI's arguments as the service's inputs, refusing what the API's schema would refuse. */
export function forecastInputs(opts: ForecastCommandOptions): NewForecast {
  const agents = opts.agents.split(',').map((a) => Number(a.trim()));
  if (agents.some((n) => !Number.isInteger(n) || n < 1 || n > 500) || agents.length > 10)
    throw new Error('--agents takes up to 10 whole numbers from 1 to 500, comma-separated (10,15,20)');
  const modes = opts.modes.split(',').map((m) => m.trim());
  const bad = modes.filter((m) => !(FORECAST_MODES as readonly string[]).includes(m));
  if (bad.length > 0) throw new Error(`--modes: ${bad.join(', ')}? Choose from ${FORECAST_MODES.join(', ')}`);
  const input: NewForecast = { agents, modes: modes as ForecastMode[] };
  const lines = numberOption('lines', opts.lines);
  const cap = numberOption('cap', opts.cap);
  const seeds = numberOption('seeds', opts.seeds);
  const hours = numberOption('hours', opts.hours);
  const maxAgents = numberOption('max-agents', opts.maxAgents);
  const since = dateOption('since', opts.since);
  const finishBy = dateOption('finish-by', opts.finishBy);
  if (lines !== undefined && (lines < 1 || lines > 10)) throw new Error('--lines: from 1 to 10');
  if (cap !== undefined && (cap < 0.001 || cap > 0.5)) throw new Error('--cap: from 0.001 to 0.5');
  if (seeds !== undefined && (!Number.isInteger(seeds) || seeds < 1 || seeds > 10))
    throw new Error('--seeds: 1 to 10');
  if (hours !== undefined && (hours < 1 || hours > 48)) throw new Error('--hours: from 1 to 48');
  if (maxAgents !== undefined && (!Number.isInteger(maxAgents) || maxAgents < 1 || maxAgents > 500))
    throw new Error('--max-agents: 1 to 500');
  return {
    ...input,
    ...(lines === undefined ? {} : { linesPerAgent: lines }),
    ...(cap === undefined ? {} : { abandonCap: cap }),
    ...(seeds === undefined ? {} : { seeds }),
    ...(hours === undefined ? {} : { simulatedHours: hours }),
    ...(maxAgents === undefined ? {} : { maxAgents }),
    ...(since === undefined ? {} : { since }),
    ...(finishBy === undefined ? {} : { finishBy }),
    ...(opts.defaultTraffic ? { useDefaultTraffic: true } : {}),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** A standard error in percentage points. */
const points = (x: number, digits = 1) => (x * 100).toFixed(digits);

/** The forecast as a table for a terminal. */
export function forecastTable(result: ForecastResult): string {
  const lines = [
    `Traffic: ${result.traffic.source} (${result.traffic.dials} dials since ${result.traffic.since}); ` +
      `calling day ${result.calling_day.start}–${result.calling_day.end}; ` +
      `${result.remaining.contacts} contacts waiting, about ${result.remaining.dials_needed} dials`,
    'agents  mode             utilization   abandon (mean ± se / worst)  talk min/agent-h  reached/h  seeds  exhausted at',
  ];
  for (const c of result.candidates) {
    lines.push(
      `${String(c.agents).padStart(6)}  ${c.mode.padEnd(12)}  ${`${pct(c.utilization)} ± ${points(c.utilization_se)}`.padStart(14)}  ` +
        `${`${pct(c.abandon_rate)} ± ${points(c.abandon_rate_se, 2)} / ${pct(c.worst_day_abandon_rate)}`.padStart(27)}  ` +
        `${c.talk_minutes_per_agent_hour.toFixed(1).padStart(16)}  ${c.contacts_reached_per_hour.toFixed(1).padStart(9)}  ` +
        `${String(c.seeds).padStart(5)}  ` +
        `${c.exhausted_at ?? 'not within two years'}${c.within_abandon_cap ? '' : '  (over the cap)'}`,
    );
  }
  if (result.staffing) {
    lines.push(`Fewest agents to finish by ${result.staffing.finish_by}:`);
    for (const s of result.staffing.by_mode) {
      lines.push(
        s.agents === null
          ? `  ${s.mode}: none within the search and the abandon cap`
          : `  ${s.mode}: ${s.agents} agents (done ${s.exhausted_at}, abandon ${pct(s.abandon_rate ?? 0)})`,
      );
    }
  }
  lines.push(
    `Simulated ${result.samples.seeds} to ${result.samples.max_seeds} samples per candidate (from ${result.samples.hours_per_seed} h, ` +
      `each further ${result.samples.seeds} twice as long) ` +
      `until the standard errors were under ${points(result.samples.target_utilization_se)} point (utilization) and ` +
      `${points(result.samples.target_abandon_rate_se, 2)} point (abandon), in ${(result.elapsed_ms / 1000).toFixed(1)} s`,
  );
  return lines.join('\n');
}

/**
 * `outdial forecast`: the same job as `POST /v1/campaigns/{id}/forecast`, run in this process (or
 * taken from a recent identical one), printed as a table.
 */
export async function forecastCommand(
  deps: ServiceDeps,
  opts: ForecastCommandOptions,
  threads = 0,
): Promise<string> {
  const center = await findCenterByShortName(deps, opts.center);
  if (!center) throw new Error(`No contact center named ${opts.center}`);
  const campaignUid = parsePublicId('campaign', opts.campaign);
  if (!campaignUid) throw new Error('--campaign takes a cmp_… id');
  const ctx = systemContext(center.id, 'cli-forecast');
  const { job } = await createForecast(deps, ctx, campaignUid, forecastInputs(opts));
  const done = await forecastNow(deps, ctx, job, `cli:${process.pid}`, { threads });
  if (done.status !== 'completed') throw new Error(`Forecast failed: ${done.error}`);
  return forecastTable(done.result as unknown as ForecastResult);
}
