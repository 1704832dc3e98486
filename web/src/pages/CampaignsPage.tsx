import { api, query, type Campaign, type CampaignProgress, type Paged } from '../api';
import { navigate } from '../router';
import { useCan } from '../session';
import { Page, Problems, StatusBadge, useAction, useLoad } from '../ui';
import { Progress } from '../widgets';

const ACTIONS: Record<Campaign['status'], ('start' | 'pause' | 'resume' | 'stop')[]> = {
  draft: ['start', 'stop'],
  active: ['pause', 'stop'],
  paused: ['resume', 'stop'],
  completed: [],
  cancelled: [],
};

export function CampaignControls({ campaign, onChange }: { campaign: Campaign; onChange: () => void }) {
  const can = useCan();
  const [run, problems, busy] = useAction();
  if (!can('campaigns:control')) return null;
  return (
    <span className="controls">
      {ACTIONS[campaign.status].map((action) => (
        <button
          key={action}
          className={action === 'stop' ? 'danger small' : 'small'}
          disabled={busy}
          onClick={() =>
            (action !== 'stop' ||
              window.confirm(
                `Stop ${campaign.name}? It stops dialling for good and cannot be started again.`,
              )) &&
            run(() => api('POST', `/v1/campaigns/${campaign.id}/${action}`, {})).then(
              (ok) => ok && onChange(),
            )
          }
        >
          {action}
        </button>
      ))}
      <Problems problems={problems} />
    </span>
  );
}

export function CampaignsPage() {
  const can = useCan();
  const { data, error, reload } = useLoad(() => api<Paged<Campaign>>('GET', '/v1/campaigns?limit=100'), []);
  const showProgress = can('reports:read');
  const ids = data?.data.map((c) => c.id) ?? [];
  const progress = useLoad(
    () =>
      showProgress && ids.length
        ? api<{ data: CampaignProgress[] }>('GET', `/v1/campaigns/progress${query({ campaign_id: ids })}`)
        : Promise.resolve({ data: [] }),
    [ids.join(',')],
  );
  const progressOf = new Map(progress.data?.data.map((p) => [p.campaign_id, p.contacts_by_status]));
  return (
    <Page
      title="Campaigns"
      actions={
        can('campaigns:write') && <button onClick={() => navigate('campaigns/new')}>New campaign</button>
      }
    >
      <Problems problems={error ? [error] : progress.error ? [progress.error] : null} />
      <table className="grid">
        <thead>
          <tr>
            <th>Name</th>
            <th>Mode</th>
            <th>Status</th>
            {showProgress && <th className="wide">Contacts</th>}
            <th>Abandon cap</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data?.data.map((c) => (
            <tr key={c.id}>
              <td>
                <a href={`#/campaigns/${c.id}`}>{c.name}</a>{' '}
                {showProgress && (
                  <a
                    className="button-like"
                    href={`#/campaigns/${c.id}/live`}
                    aria-label={`${c.name}: live view`}
                  >
                    live
                  </a>
                )}
              </td>
              <td>{c.dialing_mode}</td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              {showProgress && (
                <td>
                  <Progress counts={progressOf.get(c.id)} label={`${c.name} contacts`} />
                </td>
              )}
              <td>{(c.abandon_rate_cap * 100).toFixed(1)}%</td>
              <td>
                <CampaignControls campaign={c} onChange={reload} />
              </td>
            </tr>
          ))}
          {data && data.data.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                No campaigns yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </Page>
  );
}
