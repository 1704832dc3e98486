import { useState, type FormEvent } from 'react';
import { api, type LeadList, type Paged } from '../api';
import { formatMoment } from '../format';
import { useCan } from '../session';
import { Field, Page, Problems, useAction, useLoad } from '../ui';
import { Progress } from '../widgets';

export function LeadListsPage() {
  const can = useCan();
  const lists = useLoad(() => api<Paged<LeadList>>('GET', '/v1/lead-lists?limit=100'), []);
  const [renaming, setRenaming] = useState<string | null>(null);
  return (
    <Page title="Lead lists">
      <Problems problems={lists.error ? [lists.error] : null} />
      <table className="grid">
        <thead>
          <tr>
            <th>List</th>
            <th className="wide">Contacts</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {lists.data?.data.map((l) => (
            <tr key={l.id}>
              <td>
                {renaming === l.id ? (
                  <Rename
                    list={l}
                    onDone={() => {
                      setRenaming(null);
                      lists.reload();
                    }}
                  />
                ) : (
                  <>
                    <a href={`#/contacts?list_id=${l.id}`}>{l.name}</a>
                    {l.is_default && <small className="muted"> (a campaign's default list)</small>}
                    {l.description && <div className="muted">{l.description}</div>}
                  </>
                )}
              </td>
              <td>
                <Progress counts={l.contacts_by_status} label={`${l.name} contacts`} />
              </td>
              <td>{formatMoment(l.created_at)}</td>
              <td className="row-actions">
                {can('contacts:write') && renaming !== l.id && (
                  <>
                    <a className="button-like" href={`#/import?list_id=${l.id}`}>
                      Import
                    </a>
                    <button
                      className="small secondary"
                      aria-label={`Rename ${l.name}`}
                      onClick={() => setRenaming(l.id)}
                    >
                      Rename
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
          {lists.data?.data.length === 0 && (
            <tr>
              <td colSpan={4} className="empty">
                No lists yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {can('contacts:write') && <NewList onCreated={lists.reload} />}
    </Page>
  );
}

function Rename({ list, onDone }: { list: LeadList; onDone: () => void }) {
  const [name, setName] = useState(list.name);
  const [description, setDescription] = useState(list.description);
  const [run, problems, busy] = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await run(() => api('PATCH', `/v1/lead-lists/${list.id}`, { name, description, version: list.version }))
    )
      onDone();
  };
  return (
    <form className="inline" onSubmit={submit}>
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
      </Field>
      <Field label="Description">
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <button type="submit" className="small" disabled={busy}>
        Save
      </button>
      <button type="button" className="small secondary" onClick={onDone}>
        Cancel
      </button>
      <Problems problems={problems} />
    </form>
  );
}

function NewList({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [run, problems, busy] = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => api('POST', '/v1/lead-lists', { name, description }))) {
      setName('');
      setDescription('');
      onCreated();
    }
  };
  return (
    <form className="card inline" onSubmit={submit}>
      <Field label="New list">
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="Description">
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <button type="submit" disabled={busy}>
        Create list
      </button>
      <Problems problems={problems} />
    </form>
  );
}
