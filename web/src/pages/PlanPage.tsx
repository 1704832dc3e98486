import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { api, type Campaign, type CampaignTraffic, type Forecast } from '../api';
import { formatCount, formatMoment, fromLocalInput } from '../format';
import { useCan } from '../session';
import { Field, Page, Problems, useAction, useLoad } from '../ui';

// Chart.js is loaded with the first chart, not with the console.
const ChartCanvas = lazy(() => import('../charts').then((m) => ({ default: m.ChartCanvas })));

const MODES = ['progressive', 'power', 'predictive'] as const;
const MODE_COLOR: Record<string, string> = {
  progressive: '#6b7a8f',
  power: '#c77d16',
  predictive: '#1f6fb2',
};
const RESULT_LABEL: Record<keyof CampaignTraffic['shares'], string> = {
  person: 'Answered by a person',
  machine: 'Answered by a machine',
  no_answer: 'No answer',
  busy: 'Busy',
  invalid_number: 'Invalid number',
  failed: 'Failed',
};

const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * "What if" before a shift: the campaign's traffic as its call logs tell it, and a forecast of
 * candidate agent counts and modes run on the engine against that traffic (a background job the
 * page waits for), with utilization and abandon rate charted against the agent count.
 */
export function PlanPage({ campaignId }: { campaignId: string }) {
  const can = useCan();
  const campaign = useLoad(() => api<Campaign>('GET', `/v1/campaigns/${campaignId}`), [campaignId]);
  const traffic = useLoad(
    () => api<CampaignTraffic>('GET', `/v1/campaigns/${campaignId}/traffic`),
    [campaignId],
  );
  const [agents, setAgents] = useState('5,10,15,20');
  const [modes, setModes] = useState<string[]>(['power', 'predictive']);
  const [finishBy, setFinishBy] = useState('');
  const [useDefaults, setUseDefaults] = useState(false);
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [run, problems, busy] = useAction();

  // A queued or running forecast is asked again every second until it ends.
  useEffect(() => {
    if (!forecast || forecast.status === 'completed' || forecast.status === 'failed') return;
    const timer = window.setTimeout(() => {
      void api<Forecast>('GET', `/v1/forecasts/${forecast.id}`).then(setForecast, () => undefined);
    }, 1000);
    return () => window.clearTimeout(timer);
  }, [forecast]);

  const submit = () =>
    run(async () => {
      const body = {
        agents: agents
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
          .map(Number),
        modes,
        ...(finishBy ? { finish_by: fromLocalInput(finishBy) } : {}),
        ...(useDefaults ? { use_default_traffic: true } : {}),
      };
      setForecast(await api<Forecast>('POST', `/v1/campaigns/${campaignId}/forecast`, body));
    });

  const t = traffic.data;
  return (
    <Page title={campaign.data ? `${campaign.data.name} · plan` : 'Plan'}>
      <Problems problems={campaign.error ? [campaign.error] : traffic.error ? [traffic.error] : null} />
      <nav className="links" aria-label="Campaign">
        <a href={`#/campaigns/${campaignId}`}>Campaign</a>
        <a href={`#/campaigns/${campaignId}/live`}>Live view</a>
      </nav>
      <div className="columns">
        {t && <TrafficCard traffic={t} />}
        {can('campaigns:write') && (
          <form
            className="card"
            aria-labelledby="forecast-form-title"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <h2 id="forecast-form-title">Forecast</h2>
            <Field label="Agent counts" hint="Comma-separated, e.g. 10,15,20">
              <input value={agents} onChange={(e) => setAgents(e.target.value)} />
            </Field>
            <fieldset>
              <legend>Modes</legend>
              {MODES.map((m) => (
                <label key={m} className="check">
                  <input
                    type="checkbox"
                    checked={modes.includes(m)}
                    onChange={(e) =>
                      setModes(e.target.checked ? [...modes, m] : modes.filter((x) => x !== m))
                    }
                  />{' '}
                  {m}
                </label>
              ))}
            </fieldset>
            <Field label="Finish the list by" hint="Optional: the fewest agents per mode that do">
              <input type="datetime-local" value={finishBy} onChange={(e) => setFinishBy(e.target.value)} />
            </Field>
            {t?.source === 'defaults' && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={useDefaults}
                  onChange={(e) => setUseDefaults(e.target.checked)}
                />{' '}
                No call history yet: forecast on the default traffic
              </label>
            )}
            <Problems problems={problems} />
            <button type="submit" disabled={busy}>
              Forecast
            </button>
          </form>
        )}
      </div>
      {forecast && <ForecastView forecast={forecast} />}
    </Page>
  );
}

function TrafficCard({ traffic: t }: { traffic: CampaignTraffic }) {
  const source =
    t.source === 'campaign'
      ? 'this campaign’s calls'
      : t.source === 'center'
        ? 'the contact center’s calls (this campaign has too few)'
        : 'the default traffic (no call history yet)';
  return (
    <section className="card" aria-labelledby="traffic-title">
      <h2 id="traffic-title">Traffic</h2>
      <p className="muted" data-traffic-source={t.source}>
        From {source}: {formatCount(t.dials)} dials since {formatMoment(t.since)}.
      </p>
      <table className="grid compact">
        <thead>
          <tr>
            <th>Result</th>
            <th>Share</th>
            <th>Rings (median)</th>
            <th>Calls</th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(RESULT_LABEL) as (keyof CampaignTraffic['shares'])[]).map((r) => (
            <tr key={r}>
              <td>{RESULT_LABEL[r]}</td>
              <td>{pct1(t.shares[r])}</td>
              <td>{t.ring_time[r].percentiles_seconds.p50.toFixed(1)} s</td>
              <td>{formatCount(t.ring_time[r].samples)}</td>
            </tr>
          ))}
          <tr>
            <td>Talk</td>
            <td>mean {t.talk_time.mean_seconds.toFixed(0)} s</td>
            <td>{t.talk_time.percentiles_seconds.p50.toFixed(0)} s</td>
            <td>{formatCount(t.talk_time.samples)}</td>
          </tr>
          <tr>
            <td>Wrap-up</td>
            <td>mean {t.wrap_up_time.mean_seconds.toFixed(0)} s</td>
            <td>{t.wrap_up_time.percentiles_seconds.p50.toFixed(0)} s</td>
            <td>{formatCount(t.wrap_up_time.samples)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function ForecastView({ forecast }: { forecast: Forecast }) {
  const result = forecast.result;
  const config = useMemo<ChartConfiguration | null>(() => {
    if (!result) return null;
    const candidates = result.candidates;
    const counts = [...new Set(result.candidates.map((c) => c.agents))].sort((a, b) => a - b);
    const modes = [...new Set(result.candidates.map((c) => c.mode))];
    const series = (mode: string, pick: (c: (typeof candidates)[number]) => number) =>
      counts.map((n) => {
        const c = candidates.find((x) => x.mode === mode && x.agents === n);
        return c ? Math.round(pick(c) * 1000) / 10 : null;
      });
    return {
      type: 'line',
      data: {
        labels: counts.map(String),
        datasets: modes.flatMap((mode) => [
          {
            label: `${mode}: utilization %`,
            data: series(mode, (c) => c.utilization),
            borderColor: MODE_COLOR[mode],
            backgroundColor: MODE_COLOR[mode],
            yAxisID: 'y',
          },
          {
            label: `${mode}: abandon %`,
            data: series(mode, (c) => c.abandon_rate),
            borderColor: MODE_COLOR[mode],
            backgroundColor: MODE_COLOR[mode],
            borderDash: [6, 4],
            yAxisID: 'abandon',
          },
        ]),
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { title: { display: true, text: 'Agents' } },
          y: { beginAtZero: true, max: 100, title: { display: true, text: 'Utilization %' } },
          abandon: {
            position: 'right',
            beginAtZero: true,
            title: { display: true, text: 'Abandon %' },
            grid: { drawOnChartArea: false },
          },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    };
  }, [result]);
  if (forecast.status === 'failed')
    return <Problems problems={[`The forecast failed: ${forecast.error ?? 'unknown error'}`]} />;
  if (!result || !config)
    return (
      <p className="muted" role="status" data-forecast-status={forecast.status}>
        Forecasting ({forecast.status})…
      </p>
    );
  return (
    <section className="card" aria-labelledby="forecast-title" data-forecast-status="completed">
      <h2 id="forecast-title">Forecast</h2>
      <p className="muted">
        {formatCount(result.remaining.contacts)} contacts waiting ({formatCount(result.remaining.callbacks)}{' '}
        callbacks booked, {formatCount(result.remaining.on_dnc)} on a do-not-call list and never dialled;
        about {formatCount(result.remaining.dials_needed)} dials under the retry rules); calling day{' '}
        {result.calling_day.start}–{result.calling_day.end}; each candidate simulated in{' '}
        {result.samples.hours_per_seed}-hour samples on {result.samples.seeds} to {result.samples.max_seeds}{' '}
        seeds, until its figures were within their ± (one standard error), traffic from{' '}
        {result.traffic.source}.
      </p>
      <Suspense fallback={<div className="chart" style={{ height: '18rem' }} />}>
        <ChartCanvas
          config={config}
          label={`Utilization and abandon rate by agent count, per mode: ${result.candidates
            .map(
              (c) => `${c.agents} ${c.mode} ${pct1(c.utilization)} busy, ${pct1(c.abandon_rate)} abandoned`,
            )
            .join('; ')}`}
          height="18rem"
        />
      </Suspense>
      <table className="grid compact" aria-label="Forecast by candidate">
        <thead>
          <tr>
            <th>Agents</th>
            <th>Mode</th>
            <th>Utilization</th>
            <th>Abandon (mean / worst)</th>
            <th>Talk min per agent-hour</th>
            <th>Reached per hour</th>
            <th>Seeds</th>
            <th>List exhausted</th>
          </tr>
        </thead>
        <tbody>
          {result.candidates.map((c) => (
            <tr key={`${c.mode}:${c.agents}`} data-candidate={`${c.mode}:${c.agents}`}>
              <td>{c.agents}</td>
              <td>{c.mode}</td>
              <td>
                {pct1(c.utilization)} ± {(c.utilization_se * 100).toFixed(1)}
              </td>
              <td className={c.within_abandon_cap ? '' : 'warn'}>
                {pct1(c.abandon_rate)} ± {(c.abandon_rate_se * 100).toFixed(2)} /{' '}
                {pct1(c.worst_day_abandon_rate)}
              </td>
              <td>{c.talk_minutes_per_agent_hour.toFixed(1)}</td>
              <td>{c.contacts_reached_per_hour.toFixed(0)}</td>
              <td>{c.seeds}</td>
              <td>{c.exhausted_at ? formatMoment(c.exhausted_at) : 'not within two years'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.staffing && (
        <>
          <h3>Fewest agents to finish by {formatMoment(result.staffing.finish_by)}</h3>
          <ul>
            {result.staffing.by_mode.map((s) => (
              <li key={s.mode} data-staffing={s.mode}>
                {s.mode}:{' '}
                {s.agents === null
                  ? 'none within the search and the abandon cap'
                  : `${s.agents} agents (done ${formatMoment(s.exhausted_at)}, abandon ${pct1(s.abandon_rate ?? 0)})`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
