import { useEffect, useState, type FormEvent } from 'react';
import {
  api,
  download,
  query as queryString,
  type Campaign,
  type Contact,
  type ContactStatus,
  type LeadList,
  type Paged,
} from '../api';
import { formatMoment } from '../format';
import { navigate } from '../router';
import { useCan } from '../session';
import { CONTACT_STATUSES, STATUS_LABEL } from '../status';
import { Field, Page, Problems, StatusBadge, useAction, useLoad } from '../ui';

const PAGE = 50;

interface Filters {
  status: ContactStatus[];
  list_id: string;
  campaign_id: string;
  phone_prefix: string;
  include_removed: boolean;
}

function filtersFrom(q: URLSearchParams): Filters {
  return {
    status: q.getAll('status') as ContactStatus[],
    list_id: q.get('list_id') ?? '',
    campaign_id: q.get('campaign_id') ?? '',
    phone_prefix: q.get('phone_prefix') ?? '',
    include_removed: q.get('include_removed') === 'true',
  };
}

function filterQuery(f: Filters) {
  return {
    status: f.status,
    list_id: f.list_id,
    campaign_id: f.campaign_id,
    phone_prefix: f.phone_prefix.replace(/[^+0-9]/g, ''),
    include_removed: f.include_removed || undefined,
  };
}

/** Contact search: the API's filters, kept in the URL so a search can be shared and reloaded. */
export function ContactsPage({ query }: { query: URLSearchParams }) {
  const can = useCan();
  const applied = filtersFrom(query);
  const appliedKey = query.toString();
  const [form, setForm] = useState<Filters>(applied);
  useEffect(() => setForm(filtersFrom(query)), [appliedKey]);
  const options = useLoad(
    () =>
      Promise.all([
        api<Paged<LeadList>>('GET', '/v1/lead-lists?limit=100'),
        api<Paged<Campaign>>('GET', '/v1/campaigns?limit=100'),
      ]),
    [],
  );
  const [lists, campaigns] = options.data ?? [];
  const [rows, setRows] = useState<Contact[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [run, problems, busy] = useAction();

  const load = (after: string | null) =>
    run(async () => {
      const page = await api<{ data: Contact[]; next_cursor: string | null }>(
        'GET',
        `/v1/contacts${queryString({ ...filterQuery(applied), limit: PAGE, after })}`,
      );
      setRows((r) => (after ? [...r, ...page.data] : page.data));
      setCursor(page.next_cursor);
      setLoaded(true);
    });
  useEffect(() => {
    setRows([]);
    setLoaded(false);
    void load(null);
  }, [appliedKey]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    navigate(`contacts${queryString(filterQuery(form))}`);
  };
  const listName = new Map(lists?.data.map((l) => [l.id, l.name]));
  const toggleStatus = (s: ContactStatus, on: boolean) =>
    setForm((f) => ({ ...f, status: on ? [...f.status, s] : f.status.filter((x) => x !== s) }));

  return (
    <Page
      title="Contacts"
      actions={
        <>
          {can('contacts:write') && (
            <button
              className="secondary"
              onClick={() =>
                navigate(
                  `import${queryString({ campaign_id: applied.campaign_id, list_id: applied.list_id })}`,
                )
              }
            >
              Import
            </button>
          )}
          <button
            className="secondary"
            disabled={busy}
            onClick={() =>
              void run(() =>
                download(`/v1/contacts/export.csv${queryString(filterQuery(applied))}`, 'contacts.csv'),
              )
            }
          >
            Export CSV
          </button>
        </>
      }
    >
      <form className="card filters" onSubmit={search} role="search" aria-label="Contacts">
        <Field label="Phone starts with">
          <input
            value={form.phone_prefix}
            inputMode="tel"
            placeholder="+9198"
            onChange={(e) => setForm({ ...form, phone_prefix: e.target.value })}
          />
        </Field>
        <Field label="Campaign">
          <select
            value={form.campaign_id}
            onChange={(e) => setForm({ ...form, campaign_id: e.target.value })}
          >
            <option value="">any</option>
            {campaigns?.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="List">
          <select value={form.list_id} onChange={(e) => setForm({ ...form, list_id: e.target.value })}>
            <option value="">any</option>
            {lists?.data.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="statuses">
          <legend>Status</legend>
          {CONTACT_STATUSES.filter((s) => s !== 'removed').map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                checked={form.status.includes(s)}
                onChange={(e) => toggleStatus(s, e.target.checked)}
              />
              {STATUS_LABEL[s]}
            </label>
          ))}
          <label className="check">
            <input
              type="checkbox"
              checked={form.include_removed}
              onChange={(e) => setForm({ ...form, include_removed: e.target.checked })}
            />
            include removed
          </label>
        </fieldset>
        <div className="form-actions">
          <button type="submit">Search</button>
          <button type="button" className="secondary" onClick={() => navigate('contacts')}>
            Clear
          </button>
        </div>
      </form>
      <Problems problems={problems} />
      <table className="grid">
        <thead>
          <tr>
            <th>Phone</th>
            <th>Name</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Next attempt</th>
            <th>List</th>
            <th>Added</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <a href={`#/contacts/${c.id}`}>{c.phone_number}</a>
              </td>
              <td>{[c.first_name, c.last_name].filter(Boolean).join(' ') || '—'}</td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td>{c.attempts}</td>
              <td>{formatMoment(c.callback_at ?? c.next_attempt_at)}</td>
              <td>{listName.get(c.list_id) ?? '…'}</td>
              <td>{formatMoment(c.created_at)}</td>
            </tr>
          ))}
          {loaded && rows.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                No contacts match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="more">
        <span className="muted">{loaded && `${rows.length} shown${cursor ? '' : ', no more'}`}</span>
        {cursor && (
          <button className="secondary" disabled={busy} onClick={() => void load(cursor)}>
            Load more
          </button>
        )}
      </div>
    </Page>
  );
}
