import { lazy, Suspense, useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import {
  api,
  query,
  type Campaign,
  type CampaignLeadList,
  type CampaignProgress,
  type CampaignUser,
  type Paged,
  type User,
} from '../api';
import { formatCount, formatMoment, formatPercent } from '../format';
import { navigate } from '../router';
import { useCan } from '../session';
import { CONTACT_STATUSES, finishedShare, STATUS_COLOR, STATUS_LABEL } from '../status';
import { Page, Problems, StatusBadge, useAction, useLoad } from '../ui';
import { describeWindows, StatusLegend, WeekPlot } from '../widgets';
import { CampaignLeadLists } from './CampaignLeadLists';
import { CampaignControls } from './CampaignsPage';
import { RecordingAnnouncement } from './RecordingAnnouncement';

// Chart.js is loaded with the first chart, not with the console.
const ChartCanvas = lazy(() => import('../charts').then((m) => ({ default: m.ChartCanvas })));

export function CampaignPage({ campaignId }: { campaignId: string }) {
  const can = useCan();
  const campaign = useLoad(() => api<Campaign>('GET', `/v1/campaigns/${campaignId}`), [campaignId]);
  const users = useLoad(
    () => api<{ data: CampaignUser[] }>('GET', `/v1/campaigns/${campaignId}/users`),
    [campaignId],
  );
  const lists = useLoad(
    () => api<{ data: CampaignLeadList[] }>('GET', `/v1/campaigns/${campaignId}/lead-lists`),
    [campaignId],
  );
  const progress = useLoad(
    () =>
      can('reports:read')
        ? api<{ data: CampaignProgress[] }>(
            'GET',
            `/v1/campaigns/progress${query({ campaign_id: [campaignId] })}`,
          )
        : Promise.resolve({ data: [] }),
    [campaignId],
  );
  const [run, problems, busy] = useAction();
  const c = campaign.data;
  const reloadLists = () => {
    lists.reload();
    progress.reload();
  };
  return (
    <Page
      title={c?.name ?? 'Campaign'}
      actions={
        c && (
          <>
            <CampaignControls campaign={c} onChange={campaign.reload} />
            {can('campaigns:write') && (
              <button className="secondary" onClick={() => navigate(`campaigns/${campaignId}/edit`)}>
                Edit
              </button>
            )}
            {can('campaigns:write') && c.status !== 'active' && (
              <button
                className="danger"
                disabled={busy}
                onClick={() =>
                  window.confirm(`Delete ${c.name}? Its calls and history are kept.`) &&
                  void run(() => api('DELETE', `/v1/campaigns/${campaignId}`)).then(
                    (ok) => ok && navigate('campaigns'),
                  )
                }
              >
                Delete
              </button>
            )}
          </>
        )
      }
    >
      <Problems problems={campaign.error ? [campaign.error] : problems} />
      <nav className="links" aria-label="Campaign">
        {can('reports:read') && <a href={`#/campaigns/${campaignId}/live`}>Live view</a>}
        {can('reports:read') && <a href={`#/campaigns/${campaignId}/plan`}>Plan</a>}
        {can('contacts:read') && <a href={`#/contacts?campaign_id=${campaignId}`}>Contacts</a>}
        {can('contacts:write') && <a href={`#/import?campaign_id=${campaignId}`}>Import contacts</a>}
        {can('dnc:read') && <a href={`#/dnc?campaign_id=${campaignId}`}>Do-not-call list</a>}
      </nav>
      <div className="columns">
        {c && <Settings campaign={c} />}
        {progress.data?.data[0] && (
          <ProgressCard progress={progress.data.data[0]} mappings={lists.data?.data ?? []} />
        )}
      </div>
      {c && <RecordingAnnouncement campaign={c} />}
      <h2>Lead lists</h2>
      <Problems problems={lists.error ? [lists.error] : null} />
      <CampaignLeadLists
        campaignId={campaignId}
        mappings={lists.data?.data ?? []}
        users={users.data?.data ?? []}
        progress={progress.data?.data[0]}
        onChange={reloadLists}
      />
      <h2>Assigned users</h2>
      <AssignedUsers
        campaignId={campaignId}
        users={users.data?.data ?? []}
        onChange={() => {
          users.reload();
          lists.reload();
        }}
      />
    </Page>
  );
}

function Settings({ campaign: c }: { campaign: Campaign }) {
  const rules = Object.entries(c.retry_rules);
  return (
    <div className="card">
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={c.status} />
        </dd>
        <dt>Pacing</dt>
        <dd>
          {c.dialing_mode}
          {c.dialing_mode === 'power' && ` (${c.lines_per_agent} lines per agent)`}
          {c.dialing_mode === 'agentless' &&
            c.max_concurrent_calls &&
            ` (at most ${c.max_concurrent_calls} calls)`}
        </dd>
        {(c.dialing_mode === 'power' || c.dialing_mode === 'predictive') && (
          <>
            <dt>Abandon cap</dt>
            <dd>{(c.abandon_rate_cap * 100).toFixed(1)}% of calls answered by a person</dd>
          </>
        )}
        <dt>Calling hours</dt>
        <dd>
          {c.calling_hours.start}–{c.calling_hours.end}, contact's local time
        </dd>
        <dt>Schedule</dt>
        <dd>
          {c.scheduled_at || c.ends_at
            ? `${c.scheduled_at ? `from ${formatMoment(c.scheduled_at)}` : ''} ${c.ends_at ? `until ${formatMoment(c.ends_at)}` : ''}`
            : 'whenever it is running'}
          {c.weekly_windows.length > 0 && (
            <>
              <br />
              <small>
                {describeWindows(c.weekly_windows)} ({c.time_zone})
              </small>
              <WeekPlot windows={c.weekly_windows} label="Weekly schedule" />
            </>
          )}
        </dd>
        <dt>Retries</dt>
        <dd>
          {c.retry_config.max_retries} after the first call, every {c.retry_config.retry_interval_minutes} min
          {rules.length > 0 && (
            <ul className="plain">
              {rules.map(([outcome, r]) => (
                <li key={outcome}>
                  {outcome}: after {r.delay_minutes} min
                  {r.counts_as_attempt ? '' : ', not counted as an attempt'}
                </li>
              ))}
            </ul>
          )}
        </dd>
        {c.dialing_mode !== 'agentless' && (
          <>
            <dt>Wrap-up</dt>
            <dd>
              {c.wrap_up_seconds}s
              {c.dialing_mode === 'preview' && `; preview cards time out after ${c.preview_timeout_seconds}s`}
            </dd>
          </>
        )}
        <dt>Caller id</dt>
        <dd>{c.from_phone_number ?? '—'}</dd>
        <dt>Id</dt>
        <dd>
          <code>{c.id}</code>
        </dd>
      </dl>
    </div>
  );
}

/** Where the campaign stands: contacts by status overall (doughnut) and per list (stacked bars). */
function ProgressCard({ progress, mappings }: { progress: CampaignProgress; mappings: CampaignLeadList[] }) {
  const statuses = CONTACT_STATUSES.filter((s) => progress.contacts_by_status[s]);
  const doughnut = useMemo<ChartConfiguration>(
    () => ({
      type: 'doughnut',
      data: {
        labels: statuses.map((s) => STATUS_LABEL[s]),
        datasets: [
          {
            data: statuses.map((s) => progress.contacts_by_status[s]!),
            backgroundColor: statuses.map((s) => STATUS_COLOR[s]),
          },
        ],
      },
      options: { cutout: '62%', plugins: { legend: { display: false } } },
    }),
    [progress],
  );
  const names = new Map(mappings.map((m) => [m.list_id, m.list_name]));
  const bars = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: progress.lists.map((l) => names.get(l.list_id) ?? l.list_id),
        datasets: statuses.map((s) => ({
          label: STATUS_LABEL[s],
          data: progress.lists.map((l) => l.contacts_by_status[s] ?? 0),
          backgroundColor: STATUS_COLOR[s],
        })),
      },
      options: {
        indexAxis: 'y',
        scales: { x: { stacked: true }, y: { stacked: true } },
        plugins: { legend: { display: false } },
      },
    }),
    [progress, mappings],
  );
  const summary = statuses.map((s) => `${progress.contacts_by_status[s]} ${STATUS_LABEL[s]}`).join(', ');
  return (
    <Suspense fallback={<div className="card progress-card">…</div>}>
      <div className="card progress-card">
        <h2>
          {formatCount(progress.total)} contacts · {formatPercent(finishedShare(progress.contacts_by_status))}{' '}
          done
        </h2>
        {progress.total === 0 ? (
          <p className="muted">No contacts yet.</p>
        ) : (
          <div className="chart-row">
            <ChartCanvas config={doughnut} label={`Contacts by status: ${summary}`} height="12rem" />
            <StatusLegend counts={progress.contacts_by_status} />
          </div>
        )}
        {progress.lists.length > 1 && (
          <ChartCanvas
            config={bars}
            label="Contacts by list and status"
            height={`${Math.max(6, progress.lists.length * 2.4)}rem`}
          />
        )}
      </div>
    </Suspense>
  );
}

function AssignedUsers({
  campaignId,
  users,
  onChange,
}: {
  campaignId: string;
  users: CampaignUser[];
  onChange: () => void;
}) {
  const can = useCan();
  const all = useLoad(
    () =>
      can('users:read')
        ? api<Paged<User>>('GET', '/v1/users?limit=100&status=active')
        : Promise.resolve(null),
    [],
  );
  const [selected, setSelected] = useState('');
  const [run, problems, busy] = useAction();
  const assigned = new Set(users.map((u) => u.user_id));
  return (
    <div className="card">
      <table className="grid">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Campaign-user id</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.user_id}>
              <td>
                {u.full_name || u.username} <small>({u.username})</small>
              </td>
              <td>{u.role}</td>
              <td>{u.campaign_user_id}</td>
              <td>
                {can('campaigns:write') && (
                  <button
                    className="small secondary"
                    disabled={busy}
                    aria-label={`Unassign ${u.username}`}
                    onClick={() =>
                      run(() => api('DELETE', `/v1/campaigns/${campaignId}/users/${u.user_id}`)).then(
                        (ok) => ok && onChange(),
                      )
                    }
                  >
                    Unassign
                  </button>
                )}
              </td>
            </tr>
          ))}
          {users.length === 0 && (
            <tr>
              <td colSpan={4} className="empty">
                Nobody is assigned yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {can('campaigns:write') && all.data && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (selected)
              void run(() => api('POST', `/v1/campaigns/${campaignId}/users`, { user_ids: [selected] })).then(
                (ok) => {
                  if (!ok) return;
                  setSelected('');
                  onChange();
                },
              );
          }}
        >
          <label className="field">
            <span>Assign a user</span>
            <select value={selected} onChange={(e) => setSelected(e.target.value)}>
              <option value="">choose a user…</option>
              {all.data.data
                .filter((u) => !assigned.has(u.id))
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.username} ({u.role})
                  </option>
                ))}
            </select>
          </label>
          <button type="submit" className="small" disabled={busy || !selected}>
            Assign
          </button>
        </form>
      )}
      <Problems problems={problems} />
    </div>
  );
}
