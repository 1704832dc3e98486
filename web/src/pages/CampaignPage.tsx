import { useState } from 'react';
import { api, type Campaign, type Paged, type User } from '../api';
import { navigate } from '../router';
import { useCan } from '../session';
import { Page, Problems, StatusBadge, useAction, useLoad } from '../ui';
import { CampaignControls } from './CampaignsPage';

interface CampaignUser {
  campaign_user_id: number;
  user_id: string;
  username: string;
  role: string;
  full_name: string;
}

export function CampaignPage({ campaignId }: { campaignId: string }) {
  const can = useCan();
  const campaign = useLoad(() => api<Campaign>('GET', `/v1/campaigns/${campaignId}`), [campaignId]);
  const users = useLoad(
    () => api<{ data: CampaignUser[] }>('GET', `/v1/campaigns/${campaignId}/users`),
    [campaignId],
  );
  const c = campaign.data;
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
          </>
        )
      }
    >
      <Problems problems={campaign.error ? [campaign.error] : null} />
      {c && (
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
            </dd>
            <dt>Abandon cap</dt>
            <dd>{(c.abandon_rate_cap * 100).toFixed(1)}% of calls answered by a person</dd>
            <dt>Calling hours</dt>
            <dd>
              {c.calling_hours.start}–{c.calling_hours.end}, contact's local time
            </dd>
            <dt>Retries</dt>
            <dd>
              {c.retry_config.max_retries} after the first call, every {c.retry_config.retry_interval_minutes}{' '}
              min
            </dd>
            <dt>Caller id</dt>
            <dd>{c.from_phone_number ?? '—'}</dd>
            <dt>Id</dt>
            <dd>
              <code>{c.id}</code>
            </dd>
          </dl>
        </div>
      )}
      <h2>Assigned users</h2>
      <AssignedUsers campaignId={campaignId} users={users.data?.data ?? []} onChange={users.reload} />
    </Page>
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
        </tbody>
      </table>
      {can('campaigns:write') && all.data && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (selected)
              void run(() => api('POST', `/v1/campaigns/${campaignId}/users`, { user_ids: [selected] })).then(
                (ok) => ok && onChange(),
              );
          }}
        >
          <label>
            Assign
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
