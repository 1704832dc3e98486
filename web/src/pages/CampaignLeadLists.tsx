import { Fragment, useState, type FormEvent } from 'react';
import {
  api,
  type CampaignLeadList,
  type CampaignProgress,
  type CampaignUser,
  type FetchOrder,
  type LeadList,
  type Paged,
} from '../api';
import { useCan } from '../session';
import { Field, Problems, useAction, useLoad } from '../ui';
import { describeWindows, Progress, WeeklyWindowsEditor } from '../widgets';

const FETCH_ORDER_LABEL: Record<FetchOrder, string> = {
  priority: 'contact priority',
  oldest_first: 'oldest first',
  newest_first: 'newest first',
  fewest_attempts_first: 'fewest attempts first',
};

/** The lists a campaign dials: how (priority, share, attempts, windows) and who takes their calls. */
export function CampaignLeadLists({
  campaignId,
  mappings,
  users,
  progress,
  onChange,
}: {
  campaignId: string;
  mappings: CampaignLeadList[];
  users: CampaignUser[];
  progress: CampaignProgress | undefined;
  onChange: () => void;
}) {
  const can = useCan();
  const [editing, setEditing] = useState<string | null>(null);
  const [run, problems, busy] = useAction();
  const names = new Map(users.map((u) => [u.campaign_user_id, u.full_name || u.username]));
  const countsOf = (listId: string) =>
    progress ? (progress.lists.find((l) => l.list_id === listId)?.contacts_by_status ?? {}) : undefined;
  const columns = 8 + (can('reports:read') ? 1 : 0) + (can('campaigns:write') ? 1 : 0);
  return (
    <div className="card">
      <table className="grid">
        <thead>
          <tr>
            <th>List</th>
            <th>Priority</th>
            <th>Weightage</th>
            <th>Dialled</th>
            <th>Max attempts</th>
            <th>Order</th>
            <th>When</th>
            <th>Who takes its calls</th>
            {can('reports:read') && <th className="wide">Contacts</th>}
            {can('campaigns:write') && <th />}
          </tr>
        </thead>
        <tbody>
          {mappings.map((m) => (
            <Fragment key={m.list_id}>
              <tr>
                <td>
                  <a href={`#/contacts?list_id=${m.list_id}`}>{m.list_name}</a>
                </td>
                <td>{m.priority}</td>
                <td>{m.weightage}</td>
                <td>{m.enabled ? 'yes' : <span className="badge badge-paused">disabled</span>}</td>
                <td>{m.max_attempts}</td>
                <td>{FETCH_ORDER_LABEL[m.fetch_order]}</td>
                <td>
                  {m.dialing_enabled_at_all_times ? 'at all times' : describeWindows(m.dialing_windows)}
                </td>
                <td>
                  {m.campaign_user_ids.length
                    ? m.campaign_user_ids.map((id) => names.get(id) ?? `#${id}`).join(', ')
                    : 'nobody chosen'}
                </td>
                {can('reports:read') && (
                  <td>
                    <Progress counts={countsOf(m.list_id)} label={`${m.list_name} contacts`} />
                  </td>
                )}
                {can('campaigns:write') && (
                  <td className="row-actions">
                    <button
                      className="small secondary"
                      aria-expanded={editing === m.list_id}
                      aria-label={`Edit ${m.list_name}`}
                      onClick={() => setEditing(editing === m.list_id ? null : m.list_id)}
                    >
                      Edit
                    </button>
                    <button
                      className="small danger"
                      aria-label={`Detach ${m.list_name}`}
                      disabled={busy}
                      onClick={() =>
                        window.confirm(`Stop dialling ${m.list_name} in this campaign?`) &&
                        void run(() =>
                          api('DELETE', `/v1/campaigns/${campaignId}/lead-lists/${m.list_id}`),
                        ).then((ok) => ok && onChange())
                      }
                    >
                      Detach
                    </button>
                  </td>
                )}
              </tr>
              {editing === m.list_id && (
                <tr className="editing">
                  <td colSpan={columns}>
                    <MappingForm
                      campaignId={campaignId}
                      mapping={m}
                      users={users}
                      onDone={(saved) => {
                        setEditing(null);
                        if (saved) onChange();
                      }}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
          {mappings.length === 0 && (
            <tr>
              <td colSpan={columns} className="empty">
                No lists yet: attach one below, or import contacts into the campaign.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <Problems problems={problems} />
      {can('campaigns:write') && can('contacts:read') && (
        <AttachList campaignId={campaignId} attached={mappings.map((m) => m.list_id)} onAttached={onChange} />
      )}
    </div>
  );
}

function MappingForm({
  campaignId,
  mapping,
  users,
  onDone,
}: {
  campaignId: string;
  mapping: CampaignLeadList;
  users: CampaignUser[];
  onDone: (saved: boolean) => void;
}) {
  const [form, setForm] = useState({
    priority: mapping.priority,
    weightage: mapping.weightage,
    enabled: mapping.enabled,
    max_attempts: mapping.max_attempts,
    churn_count: mapping.churn_count,
    fetch_order: mapping.fetch_order,
    dialing_enabled_at_all_times: mapping.dialing_enabled_at_all_times,
    dialing_windows: mapping.dialing_windows,
  });
  const [chosen, setChosen] = useState(new Set(mapping.campaign_user_ids));
  const [run, problems, busy] = useAction();
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const base = `/v1/campaigns/${campaignId}/lead-lists/${mapping.list_id}`;
    const before = new Set(mapping.campaign_user_ids);
    const userOf = (id: number) => users.find((u) => u.campaign_user_id === id)!.user_id;
    const assign = [...chosen].filter((id) => !before.has(id)).map(userOf);
    const unassign = [...before].filter((id) => !chosen.has(id)).map(userOf);
    const ok = await run(async () => {
      await api('PUT', base, { ...form, version: mapping.version });
      if (assign.length || unassign.length)
        await api('PUT', `${base}/users`, { assign_user_ids: assign, unassign_user_ids: unassign });
    });
    if (ok) onDone(true);
  };
  const label = mapping.list_name;
  return (
    <form className="form-grid nested" onSubmit={submit} aria-label={`Dialing of ${label}`}>
      <Field label="Priority" hint="Lower dials first">
        <input
          type="number"
          min={0}
          max={1000}
          value={form.priority}
          onChange={(e) => set('priority', Number(e.target.value))}
        />
      </Field>
      <Field label="Weightage" hint="Share among lists of equal priority">
        <input
          type="number"
          min={1}
          max={1000}
          value={form.weightage}
          onChange={(e) => set('weightage', Number(e.target.value))}
        />
      </Field>
      <Field label="Max attempts">
        <input
          type="number"
          min={1}
          max={100}
          value={form.max_attempts}
          onChange={(e) => set('max_attempts', Number(e.target.value))}
        />
      </Field>
      <Field label="Churn count" hint="Times the list is gone through again">
        <input
          type="number"
          min={0}
          value={form.churn_count}
          onChange={(e) => set('churn_count', Number(e.target.value))}
        />
      </Field>
      <Field label="Fetch order">
        <select value={form.fetch_order} onChange={(e) => set('fetch_order', e.target.value as FetchOrder)}>
          {Object.entries(FETCH_ORDER_LABEL).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </Field>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        Dial this list
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={form.dialing_enabled_at_all_times}
          onChange={(e) => set('dialing_enabled_at_all_times', e.target.checked)}
        />
        At all times (within the campaign's hours)
      </label>
      {!form.dialing_enabled_at_all_times && (
        <div className="span-all">
          <WeeklyWindowsEditor
            legend={`Dialing windows of ${label}`}
            value={form.dialing_windows}
            onChange={(w) => set('dialing_windows', w)}
          />
        </div>
      )}
      <fieldset className="span-all">
        <legend>Who takes this list's calls</legend>
        {users.length === 0 && <small className="muted">Assign users to the campaign first.</small>}
        <div className="checks">
          {users.map((u) => (
            <label key={u.campaign_user_id} className="check">
              <input
                type="checkbox"
                checked={chosen.has(u.campaign_user_id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(u.campaign_user_id);
                  else next.delete(u.campaign_user_id);
                  setChosen(next);
                }}
              />
              {u.full_name || u.username} <small>({u.username})</small>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-actions">
        <Problems problems={problems} />
        <button type="submit" disabled={busy}>
          Save {label}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AttachList({
  campaignId,
  attached,
  onAttached,
}: {
  campaignId: string;
  attached: string[];
  onAttached: () => void;
}) {
  const can = useCan();
  const lists = useLoad(() => api<Paged<LeadList>>('GET', '/v1/lead-lists?limit=100'), []);
  const [listId, setListId] = useState('');
  const [newName, setNewName] = useState('');
  const [run, problems, busy] = useAction();
  const available = lists.data?.data.filter((l) => !attached.includes(l.id)) ?? [];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(async () => {
      let id = listId;
      if (id === 'new') id = (await api<LeadList>('POST', '/v1/lead-lists', { name: newName })).id;
      await api('PUT', `/v1/campaigns/${campaignId}/lead-lists/${id}`, {});
    });
    if (ok) {
      setListId('');
      setNewName('');
      lists.reload();
      onAttached();
    }
  };
  return (
    <form className="inline attach" onSubmit={submit}>
      <Field label="Attach a list">
        <select value={listId} onChange={(e) => setListId(e.target.value)} required>
          <option value="">choose a list…</option>
          {available.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
          {can('contacts:write') && <option value="new">a new list…</option>}
        </select>
      </Field>
      {listId === 'new' && (
        <Field label="New list name">
          <input value={newName} onChange={(e) => setNewName(e.target.value)} required />
        </Field>
      )}
      <button type="submit" className="small" disabled={busy || !listId}>
        Attach
      </button>
      <Problems problems={problems} />
    </form>
  );
}
