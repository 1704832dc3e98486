import { useState, type FormEvent } from 'react';
import { api, query, type AuditEntry, type Paged } from '../api';
import { formatInstant } from '../format';
import { navigate } from '../router';
import { Field, NewerOlderPager, Page, Problems, useLoad } from '../ui';

const PAGE_SIZE = 50;

/** Every change: who, what, when, before and after; newest first, filtered in the address. */
export function AuditPage({ query: address }: { query: URLSearchParams }) {
  const applied = { entity_type: address.get('entity_type') ?? '', action: address.get('action') ?? '' };
  const [form, setForm] = useState(applied);
  const [page, setPage] = useState(1);
  const entries = useLoad(
    () => api<Paged<AuditEntry>>('GET', `/v1/audit-log${query({ ...applied, page, limit: PAGE_SIZE })}`),
    [address.toString(), page],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    navigate(`audit${query(form)}`);
  };
  const meta = entries.data?.meta;
  return (
    <Page title="Audit log">
      <Problems problems={entries.error ? [entries.error] : null} />
      <form className="card filters" onSubmit={submit} aria-label="Audit filters">
        <Field label="Record type" hint="campaign, user, api_key…">
          <input
            value={form.entity_type}
            onChange={(e) => setForm({ ...form, entity_type: e.target.value })}
          />
        </Field>
        <Field label="Action" hint="campaign.update, user.create…">
          <input value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })} />
        </Field>
        <div className="form-actions">
          <button type="submit">Search</button>
        </div>
      </form>
      {entries.data && (
        <section className="card" aria-labelledby="audit-title">
          <h2 id="audit-title">
            {meta!.total} {meta!.total === 1 ? 'change' : 'changes'}
          </h2>
          <div className="scroll-x">
            <table className="grid compact" aria-label="Changes">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Record</th>
                  <th scope="col">Before → after</th>
                </tr>
              </thead>
              <tbody>
                {entries.data.data.map((e) => (
                  <tr key={e.id} data-action={e.action}>
                    <td>{formatInstant(e.at)}</td>
                    <td>
                      {e.actor_id ?? '—'} <small className="muted">{e.actor_type.replace('_', ' ')}</small>
                    </td>
                    <td>{e.action}</td>
                    <td>
                      <code>{e.entity_id}</code>
                    </td>
                    <td className="audit-change">
                      <code>{JSON.stringify(e.before)}</code> → <code>{JSON.stringify(e.after)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <NewerOlderPager page={page} meta={meta!} onPage={setPage} />
        </section>
      )}
    </Page>
  );
}
