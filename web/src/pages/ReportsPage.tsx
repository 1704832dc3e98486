import { FigureCell } from '../widgets';
import { useState, type FormEvent } from 'react';
import {
  api,
  download,
  query,
  type AgentPerformance,
  type Campaign,
  type CampaignPerformance,
  type CampaignPeriodFigures,
  type Paged,
} from '../api';
import { formatCount, formatPercent } from '../format';
import { formatDuration } from '../live';
import { navigate } from '../router';
import { DISPOSITION_LABEL } from '../status';
import { Field, Page, Problems, useAction, useLoad } from '../ui';

interface Filters {
  report: 'campaigns' | 'agents';
  campaign_id: string;
  from: string;
  to: string;
  group_by: 'hour' | 'day';
}

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function filtersOf(q: URLSearchParams): Filters {
  return {
    report: q.get('report') === 'agents' ? 'agents' : 'campaigns',
    campaign_id: q.get('campaign_id') ?? '',
    from: q.get('from') ?? today(),
    to: q.get('to') ?? today(),
    group_by: q.get('group_by') === 'hour' ? 'hour' : 'day',
  };
}

/** The report's query: whole days in the browser's zone, the last one included. */
function apiQuery(f: Filters): string {
  const start = new Date(`${f.from}T00:00`);
  const end = new Date(`${f.to}T00:00`);
  end.setDate(end.getDate() + 1);
  return query({
    from: start.toISOString(),
    to: end.toISOString(),
    campaign_id: f.campaign_id,
    ...(f.report === 'campaigns' ? { group_by: f.group_by } : {}),
  });
}

const rate = (share: number | null) => (share === null ? '—' : formatPercent(share));
const duration = (seconds: number | null) => (seconds === null ? '—' : formatDuration(seconds));

function dispositionsText(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length
    ? entries.map(([d, n]) => `${DISPOSITION_LABEL[d] ?? d} ${formatCount(n)}`).join(', ')
    : '—';
}

/**
 * Period reports: campaign performance by hour or day, and agent performance, over whole days,
 * computed by the server's SQL; each downloadable as CSV. The filters live in the address.
 */
export function ReportsPage({ query: address }: { query: URLSearchParams }) {
  const applied = filtersOf(address);
  const [form, setForm] = useState(applied);
  const campaigns = useLoad(() => api<Paged<Campaign>>('GET', '/v1/campaigns?limit=100'), []);
  const path = applied.report === 'agents' ? 'agent-performance' : 'campaign-performance';
  const report = useLoad(
    () => api<CampaignPerformance | AgentPerformance>('GET', `/v1/reports/${path}${apiQuery(applied)}`),
    [address.toString()],
  );
  const [run, problems, busy] = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`reports${query({ ...form })}`);
  };
  return (
    <Page
      title="Reports"
      actions={
        <button
          className="secondary"
          disabled={busy}
          onClick={() =>
            void run(() => download(`/v1/reports/${path}.csv${apiQuery(applied)}`, `${path}.csv`))
          }
        >
          Export CSV
        </button>
      }
    >
      <Problems problems={problems ?? (report.error ? [report.error] : null)} />
      <form className="card filters" onSubmit={submit} aria-label="Report filters">
        <Field label="Report">
          <select
            value={form.report}
            onChange={(e) => setForm({ ...form, report: e.target.value as Filters['report'] })}
          >
            <option value="campaigns">Campaign performance</option>
            <option value="agents">Agent performance</option>
          </select>
        </Field>
        <Field label="Campaign">
          <select
            value={form.campaign_id}
            onChange={(e) => setForm({ ...form, campaign_id: e.target.value })}
          >
            <option value="">all campaigns</option>
            {campaigns.data?.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="From">
          <input
            type="date"
            required
            value={form.from}
            onChange={(e) => setForm({ ...form, from: e.target.value })}
          />
        </Field>
        <Field label="To (included)">
          <input
            type="date"
            required
            value={form.to}
            onChange={(e) => setForm({ ...form, to: e.target.value })}
          />
        </Field>
        {form.report === 'campaigns' && (
          <Field label="By">
            <select
              value={form.group_by}
              onChange={(e) => setForm({ ...form, group_by: e.target.value as Filters['group_by'] })}
            >
              <option value="day">day</option>
              <option value="hour">hour</option>
            </select>
          </Field>
        )}
        <div className="form-actions">
          <button type="submit">Show</button>
        </div>
      </form>
      {report.data && 'periods' in report.data && <CampaignReport report={report.data} />}
      {report.data && 'agents' in report.data && <AgentReport report={report.data} />}
    </Page>
  );
}

function FiguresRow({ f, head }: { f: CampaignPeriodFigures; head: string }) {
  return (
    <tr data-period={f.period ?? 'total'}>
      <th scope="row">{head}</th>
      <FigureCell figure="dials">{formatCount(f.dials)}</FigureCell>
      <FigureCell figure="person_answers">{formatCount(f.person_answers)}</FigureCell>
      <FigureCell figure="contact_rate">{rate(f.contact_rate)}</FigureCell>
      <FigureCell figure="connected">{formatCount(f.connected)}</FigureCell>
      <FigureCell figure="connect_rate">{rate(f.connect_rate)}</FigureCell>
      <FigureCell figure="abandoned">{formatCount(f.abandoned)}</FigureCell>
      <FigureCell figure="abandon_rate">{rate(f.abandon_rate)}</FigureCell>
      <FigureCell figure="average_talk">{duration(f.average_talk_seconds)}</FigureCell>
      <FigureCell figure="average_wrap_up">{duration(f.average_wrap_up_seconds)}</FigureCell>
      <td>{dispositionsText(f.dispositions)}</td>
    </tr>
  );
}

function CampaignReport({ report }: { report: CampaignPerformance }) {
  return (
    <>
      <section className="card" aria-labelledby="campaign-report-title">
        <h2 id="campaign-report-title">
          Campaign performance by {report.group_by} ({report.time_zone})
        </h2>
        {report.periods.length === 0 ? (
          <p className="muted">No calls in this period.</p>
        ) : (
          <div className="scroll-x">
            <table className="grid compact" aria-label="Campaign performance">
              <thead>
                <tr>
                  <th scope="col">{report.group_by === 'hour' ? 'Hour' : 'Day'}</th>
                  <th scope="col">Dials</th>
                  <th scope="col">Answered by a person</th>
                  <th scope="col">Contact rate</th>
                  <th scope="col">Connected</th>
                  <th scope="col">Connect rate</th>
                  <th scope="col">Abandoned</th>
                  <th scope="col">Abandon rate</th>
                  <th scope="col">Average talk</th>
                  <th scope="col">Average wrap-up</th>
                  <th scope="col">Dispositions</th>
                </tr>
              </thead>
              <tbody>
                {report.periods.map((p) => (
                  <FiguresRow
                    key={p.period}
                    f={p}
                    head={report.group_by === 'hour' ? p.period!.replace('T', ' ') : p.period!.slice(0, 10)}
                  />
                ))}
              </tbody>
              <tfoot>
                <FiguresRow f={report.total} head="Total" />
              </tfoot>
            </table>
          </div>
        )}
      </section>
      {report.lists.length > 0 && (
        <section className="card" aria-labelledby="penetration-title">
          <h2 id="penetration-title">List penetration</h2>
          <table className="grid compact" aria-label="List penetration">
            <thead>
              <tr>
                <th scope="col">List</th>
                <th scope="col">Contacts</th>
                <th scope="col">Tried</th>
                <th scope="col">Completed</th>
                <th scope="col">Attempts per completed contact</th>
                <th scope="col">Attempts left</th>
              </tr>
            </thead>
            <tbody>
              {report.lists.map((l) => (
                <tr key={l.list_id}>
                  <th scope="row">{l.name}</th>
                  <td className="number">{formatCount(l.contacts)}</td>
                  <td className="number">
                    {formatCount(l.tried)} ({rate(l.penetration)})
                  </td>
                  <td className="number">{formatCount(l.completed)}</td>
                  <td className="number">{l.attempts_per_completed_contact ?? '—'}</td>
                  <td className="number">{formatCount(l.attempts_left)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

/** "Lunch 45:00, Break 15:00", longest first. */
function pausesText(pauses: Record<string, number>): string {
  const entries = Object.entries(pauses).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return '—';
  return entries.map(([reason, s]) => `${reason || 'no reason'} ${formatDuration(s)}`).join(', ');
}

function AgentReport({ report }: { report: AgentPerformance }) {
  return (
    <section className="card" aria-labelledby="agent-report-title">
      <h2 id="agent-report-title">Agent performance</h2>
      {report.agents.length === 0 ? (
        <p className="muted">Nobody worked in this period.</p>
      ) : (
        <div className="scroll-x">
          <table className="grid compact" aria-label="Agent performance">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Logged in</th>
                <th scope="col">Talk</th>
                <th scope="col">Wrap-up</th>
                <th scope="col">Paused</th>
                <th scope="col">Pauses by reason</th>
                <th scope="col">Idle</th>
                <th scope="col">Calls handled</th>
                <th scope="col">Average handle time</th>
                <th scope="col">Dispositions</th>
              </tr>
            </thead>
            <tbody>
              {report.agents.map((a) => (
                <tr key={a.agent_id} data-agent={a.username}>
                  <th scope="row">{a.full_name || a.username}</th>
                  <td className="number">{formatDuration(a.logged_in_seconds)}</td>
                  <td className="number">{formatDuration(a.talk_seconds)}</td>
                  <td className="number">{formatDuration(a.wrap_up_seconds)}</td>
                  <td className="number">{formatDuration(a.pause_seconds)}</td>
                  <td data-figure="pauses">{pausesText(a.pauses)}</td>
                  <td className="number">{formatDuration(a.idle_seconds)}</td>
                  <FigureCell figure="calls_handled">{formatCount(a.calls_handled)}</FigureCell>
                  <td className="number">{duration(a.average_handle_seconds)}</td>
                  <td>{dispositionsText(a.dispositions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
