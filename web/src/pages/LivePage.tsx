import { FigureCell } from '../widgets';
import { lazy, Suspense, useEffect, useMemo, useRef } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { api, type Campaign, type CampaignEligibility, type LiveStats } from '../api';
import { countOf, formatCount } from '../format';
import { formatDuration, useEventStreams } from '../live';
import { AGENT_STATE_COLOR, AGENT_STATE_LABEL, AGENT_STATES, STATUS_LABEL } from '../status';
import { Page, Problems, StatusBadge, useLoad } from '../ui';
import { AgentsBoardCard, StreamBadge } from './AgentsPage';
import { CampaignControls } from './CampaignsPage';

const ChartCanvas = lazy(() => import('../charts').then((m) => ({ default: m.ChartCanvas })));

/**
 * A campaign as it runs, for a supervisor's laptop or a wallboard: pacing, calls in flight,
 * agents, the abandon rate against the cap, the day so far, and the agents board. Every number
 * arrives over the campaign's event stream: the server reads the database once per campaign,
 * however many screens watch it.
 */
export function LivePage({ campaignId }: { campaignId: string }) {
  const campaign = useLoad(() => api<Campaign>('GET', `/v1/campaigns/${campaignId}`), [campaignId]);
  const stream = useEventStreams<{ stats: LiveStats; eligibility: CampaignEligibility }>(
    `/v1/campaigns/${campaignId}/live`,
    ['stats', 'eligibility'],
  );
  const stats = stream.latest.stats;
  const whyNot = stream.latest.eligibility;
  const c = campaign.data;
  // The engine changes the campaign's status too (it completes a campaign with nobody left to call).
  const reload = campaign.reload;
  const seenStatus = useRef<string>(undefined);
  useEffect(() => {
    if (stats && seenStatus.current && seenStatus.current !== stats.status) reload();
    seenStatus.current = stats?.status;
  }, [stats?.status, reload]);
  return (
    <Page
      title={c ? `${c.name} · live` : 'Live'}
      actions={
        <>
          <StreamBadge state={stream.state} />
          {c && <CampaignControls campaign={c} onChange={campaign.reload} />}
        </>
      }
    >
      <Problems problems={campaign.error ? [campaign.error] : null} />
      <nav className="links" aria-label="Campaign">
        <a href={`#/campaigns/${campaignId}`}>Settings and lists</a>
        <a href={`#/agents?campaign_id=${campaignId}`}>Agents board</a>
      </nav>
      {c && stats && (
        <p className="muted live-summary">
          <StatusBadge status={c.status} /> {c.dialing_mode} pacing · calling hours {c.calling_hours.start}–
          {c.calling_hours.end} · today is the campaign's day in {c.time_zone}
        </p>
      )}
      {stats && (
        <>
          <div className="tiles">
            <Pacing stats={stats} />
            <AgentsByState stats={stats} />
            <section className="card tile" aria-labelledby="abandon-title">
              <h2 id="abandon-title">Abandon rate</h2>
              <div className="gauges">
                <AbandonGauge
                  label="Today"
                  rate={stats.today.abandon_rate}
                  abandoned={stats.today.abandoned}
                  answered={stats.today.person_answers}
                  cap={stats.abandon_rate_cap}
                />
                <AbandonGauge
                  label="Last 30 days"
                  rate={stats.rolling_30_days.abandon_rate}
                  abandoned={stats.rolling_30_days.abandoned}
                  answered={stats.rolling_30_days.person_answers}
                  cap={stats.abandon_rate_cap}
                />
              </div>
              <small className="muted">
                Of calls answered by a person; cap {formatRate(stats.abandon_rate_cap)}. Amber from 80% of the
                cap, red at the cap.
              </small>
            </section>
          </div>
          <div className="columns wide-first">
            <DayChart stats={stats} timeZone={c?.time_zone} />
            <Today stats={stats} />
          </div>
        </>
      )}
      {whyNot && (
        <WhyNotDialling
          counts={whyNot}
          dialling={stats?.status === 'running' && stats.calls.in_flight > 0}
          timeZone={c?.time_zone}
        />
      )}
      <AgentsBoardCard campaignId={campaignId} />
    </Page>
  );
}

function formatRate(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A big number with its name: what a wallboard is read by. */
function Figure({ name, value, label }: { name: string; value: string | number; label: string }) {
  return (
    <div className="figure">
      <strong data-figure={name}>{typeof value === 'number' ? formatCount(value) : value}</strong>
      <span>{label}</span>
    </div>
  );
}

function Pacing({ stats }: { stats: LiveStats }) {
  return (
    <section className="card tile" aria-labelledby="pacing-title">
      <h2 id="pacing-title">Calls in flight</h2>
      <div className="figures">
        <Figure name="in_flight" value={stats.calls.in_flight} label="in flight" />
        <Figure name="ringing" value={stats.calls.ringing} label="ringing" />
        <Figure name="waiting" value={stats.calls.waiting_for_agent} label="waiting for an agent" />
        <Figure name="connected_now" value={stats.calls.connected} label="talking" />
      </div>
      <div className="figures">
        <Figure
          name="dial_level"
          value={stats.dial_level.toFixed(2)}
          label="dial level (lines ringing per working agent)"
        />
      </div>
    </section>
  );
}

function AgentsByState({ stats }: { stats: LiveStats }) {
  const total = AGENT_STATES.reduce((n, s) => n + stats.agents[s], 0);
  const text = AGENT_STATES.map((s) => `${stats.agents[s]} ${AGENT_STATE_LABEL[s]}`).join(', ');
  return (
    <section className="card tile" aria-labelledby="agents-title">
      <h2 id="agents-title">Agents by state · {total} logged in</h2>
      <div className="stacked tall" role="img" aria-label={`Agents: ${total ? text : 'none logged in'}`}>
        {AGENT_STATES.filter((s) => stats.agents[s]).map((s) => (
          <span
            key={s}
            style={{ width: `${(stats.agents[s] / total) * 100}%`, background: AGENT_STATE_COLOR[s] }}
          />
        ))}
      </div>
      <ul className="legend">
        {AGENT_STATES.map((s) => (
          <li key={s}>
            <i style={{ background: AGENT_STATE_COLOR[s] }} />
            {AGENT_STATE_LABEL[s]} <strong data-figure={`agents_${s}`}>{stats.agents[s]}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}

type Level = 'ok' | 'near' | 'over';

/** Within the cap, near it (from 80% of it), or over it. */
export function abandonLevel(rate: number, cap: number): Level {
  if (rate >= cap) return 'over';
  return rate >= 0.8 * cap ? 'near' : 'ok';
}

const LEVEL_TEXT: Record<Level, string> = {
  ok: 'within the cap',
  near: 'near the cap',
  over: 'over the cap',
};

/** A half-dial from 0 to twice the cap (or more, if the rate is beyond), with the cap marked. */
function AbandonGauge({
  label,
  rate,
  abandoned,
  answered,
  cap,
}: {
  label: string;
  rate: number;
  abandoned: number;
  answered: number;
  cap: number;
}) {
  const level = abandonLevel(rate, cap);
  const max = Math.max(cap * 2, rate * 1.1, 0.001);
  const cx = 60;
  const cy = 58;
  const r = 46;
  const point = (value: number, radius = r) => {
    const angle = Math.PI * (1 - Math.min(value, max) / max);
    return `${(cx + radius * Math.cos(angle)).toFixed(2)} ${(cy - radius * Math.sin(angle)).toFixed(2)}`;
  };
  const arc = (from: number, to: number) => `M ${point(from)} A ${r} ${r} 0 0 1 ${point(to)}`;
  const description = `${label}: ${formatRate(rate)} abandoned (${abandoned} of ${countOf(answered, 'call')} answered by a person), ${LEVEL_TEXT[level]} of ${formatRate(cap)}`;
  return (
    <figure className={`gauge gauge-${level}`} data-level={level} data-gauge={label}>
      <svg viewBox="0 0 120 72" role="img" aria-label={description}>
        <path d={arc(0, 0.8 * cap)} className="zone zone-ok" />
        <path d={arc(0.8 * cap, cap)} className="zone zone-near" />
        <path d={arc(cap, max)} className="zone zone-over" />
        {rate > 0 && <path d={arc(0, rate)} className="value" />}
        <path d={`M ${point(cap, r - 9)} L ${point(cap, r + 9)}`} className="cap-mark" />
        <text x={cx} y={cy - 6} textAnchor="middle" className="gauge-value">
          {formatRate(rate)}
        </text>
      </svg>
      <figcaption>
        <strong>{label}</strong>
        <span>
          {abandoned} of {formatCount(answered)} answered · {LEVEL_TEXT[level]}
        </span>
      </figcaption>
    </figure>
  );
}

const BUCKET_MS = 15 * 60_000;
const SERIES = [
  { key: 'dials', label: 'placed', color: '#7d93ab', width: 3, dash: [] },
  { key: 'person_answers', label: 'answered by a person', color: '#1f6feb', width: 6, dash: [] },
  { key: 'connected', label: 'connected to an agent', color: '#1a7f37', width: 2, dash: [6, 4] },
  { key: 'abandoned', label: 'abandoned', color: '#c62828', width: 2, dash: [] },
] as const;

/** The day in 15-minute steps, from the first call to now, the quiet quarters counted as zero. */
function DayChart({ stats, timeZone }: { stats: LiveStats; timeZone: string | undefined }) {
  const buckets = useMemo(() => {
    if (stats.series.length === 0) return [];
    const byStart = new Map(stats.series.map((b) => [Date.parse(b.at), b]));
    const first = Math.min(...byStart.keys());
    const last = Math.max(Math.floor(Date.parse(stats.at) / BUCKET_MS) * BUCKET_MS, ...byStart.keys());
    const out = [];
    for (let t = first; t <= last; t += BUCKET_MS)
      out.push(
        byStart.get(t) ?? {
          at: new Date(t).toISOString(),
          dials: 0,
          person_answers: 0,
          connected: 0,
          abandoned: 0,
        },
      );
    return out;
  }, [stats.series, stats.at]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: buckets.map((b) =>
          new Date(b.at).toLocaleTimeString(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }),
        ),
        datasets: SERIES.map((s) => ({
          label: s.label,
          data: buckets.map((b) => b[s.key]),
          borderColor: s.color,
          backgroundColor: s.color,
          // Equal series (every answer connected) hid one line under another: the wider lines
          // lie below (Chart.js draws the lowest order on top), the narrower dashed ones on top.
          borderWidth: s.width,
          borderDash: s.dash,
          order: s.width,
          pointRadius: buckets.length > 24 ? 0 : 3,
          tension: 0.2,
        })),
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
      },
    }),
    [buckets, timeZone],
  );
  const totals = SERIES.map((s) => `${stats.today[s.key]} ${s.label}`).join(', ');
  return (
    <section className="card" aria-labelledby="day-title">
      <h2 id="day-title">Today, every 15 minutes{timeZone ? ` (${timeZone})` : ''}</h2>
      {buckets.length === 0 ? (
        <p className="muted">No calls yet today.</p>
      ) : (
        <Suspense fallback={<div className="chart" style={{ height: '16rem' }} />}>
          <ChartCanvas
            config={config}
            label={`Calls per 15 minutes today; in all ${totals}`}
            height="16rem"
          />
        </Suspense>
      )}
    </section>
  );
}

function Today({ stats }: { stats: LiveStats }) {
  const t = stats.today;
  const rows: [string, string, number | string][] = [
    ['dials', 'Calls placed', t.dials],
    ['person_answers', 'Answered by a person', t.person_answers],
    ['machine_answers', 'Answered by a machine', t.machine_answers],
    ['connected', 'Connected to an agent', t.connected],
    ['abandoned', 'Abandoned', t.abandoned],
    ['no_answer', 'No answer', t.no_answer],
    ['busy', 'Busy', t.busy],
    ['invalid_number', 'Invalid number', t.invalid_number],
    ['failed', 'Failed', t.failed],
    ['talk', 'Talk time', formatDuration(t.talk_ms / 1000)],
  ];
  return (
    <section className="card" aria-labelledby="today-title">
      <h2 id="today-title">Today</h2>
      <table className="grid compact today">
        <tbody>
          {rows.map(([key, label, value]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <FigureCell figure={`today_${key}`}>
                {typeof value === 'number' ? formatCount(value) : value}
              </FigureCell>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * Why a full list is not dialling: the waiting contacts held back by each rule, as bars (one
 * contact may be held back by several), and per list what is left and what could go now.
 */
function WhyNotDialling({
  counts,
  dialling,
  timeZone,
}: {
  counts: CampaignEligibility;
  /** Calls are going out: the same figures, but no question to answer. */
  dialling: boolean;
  timeZone: string | undefined;
}) {
  const widest = Math.max(1, ...counts.reasons.map((r) => r.contacts));
  return (
    <section
      className="card"
      aria-labelledby="why-not-title"
      data-card="why-not"
      data-dialling={dialling ? 'yes' : 'no'}
    >
      <h2 id="why-not-title">{dialling ? 'Contacts left to dial' : 'Why not dialling'}</h2>
      <div className="figures">
        <Figure name="dialable_now" value={counts.dialable_now} label="could be dialled now" />
        <Figure name="waiting_contacts" value={counts.waiting} label="waiting to be called" />
        <Figure name="on_call_contacts" value={counts.in_progress} label={STATUS_LABEL.in_progress} />
        <Figure name="finished_contacts" value={counts.finished} label="finished" />
      </div>
      {counts.reasons.length === 0 ? (
        <p className="muted">Nothing holds back the waiting contacts.</p>
      ) : (
        <table className="grid compact reasons">
          <caption className="muted">
            Waiting contacts held back, by reason (one contact may be held back by several)
          </caption>
          <tbody>
            {counts.reasons.map((r) => (
              <tr key={r.code} data-reason={r.code}>
                <th scope="row">{r.message}</th>
                <td className="number">{formatCount(r.contacts)}</td>
                <td className="bar-cell" aria-hidden="true">
                  <span className="bar" style={{ width: `${(r.contacts / widest) * 100}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {counts.lists.length > 1 && (
        <table className="grid compact">
          <thead>
            <tr>
              <th scope="col">List</th>
              <th scope="col">Priority</th>
              <th scope="col">Waiting</th>
              <th scope="col">Could go now</th>
              <th scope="col">Held back most by</th>
            </tr>
          </thead>
          <tbody>
            {counts.lists.map((l) => (
              <tr key={l.lead_list_id}>
                <th scope="row">{l.name}</th>
                <td className="number">{l.priority}</td>
                <td className="number">{formatCount(l.waiting)}</td>
                <td className="number">{formatCount(l.dialable_now)}</td>
                <td>
                  {l.reasons[0] ? `${l.reasons[0].message} (${formatCount(l.reasons[0].contacts)})` : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <small className="muted">
        Counted every 15 seconds, at {new Date(counts.at).toLocaleTimeString(undefined, { timeZone })}
        {timeZone ? ` (${timeZone})` : ''}.
      </small>
    </section>
  );
}
