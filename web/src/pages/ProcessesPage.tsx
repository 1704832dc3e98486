import { useState, type FormEvent } from 'react';
import { api, type Paged, type Process } from '../api';
import { useCan } from '../session';
import { Field, Page, Problems, useAction, useLoad } from '../ui';

/** Processes (Exotel's grouping of campaigns): list, create, rename and describe, delete. */
export function ProcessesPage() {
  const can = useCan();
  const processes = useLoad(() => api<Paged<Process>>('GET', '/v1/processes?limit=100'), []);
  const [run, problems, busy] = useAction();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(() => api('POST', '/v1/processes', { name, description })).then((ok) => {
      if (!ok) return;
      setName('');
      setDescription('');
      processes.reload();
    });
  };
  return (
    <Page title="Processes">
      <Problems problems={problems ?? (processes.error ? [processes.error] : null)} />
      {can('processes:write') && (
        <form className="card filters" onSubmit={create} aria-label="New process">
          <Field label="Name">
            <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Description">
            <input value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
          </Field>
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              Create process
            </button>
          </div>
        </form>
      )}
      <table className="grid" aria-label="Processes">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col">Number</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {processes.data?.data.map((p) =>
            editing === p.id ? (
              <EditRow
                key={p.id}
                process={p}
                busy={busy}
                onSave={(patch) =>
                  void run(() =>
                    api('PATCH', `/v1/processes/${p.id}`, { ...patch, version: p.version }),
                  ).then((ok) => {
                    if (!ok) return;
                    setEditing(null);
                    processes.reload();
                  })
                }
                onCancel={() => setEditing(null)}
              />
            ) : (
              <tr key={p.id} data-process={p.name}>
                <td>
                  {p.name} {p.is_default && <small className="muted">(default)</small>}
                </td>
                <td>{p.description || '—'}</td>
                <td className="number">{p.numeric_id}</td>
                <td className="row-actions">
                  {can('processes:write') && (
                    <button
                      className="small secondary"
                      aria-label={`Edit ${p.name}`}
                      onClick={() => setEditing(p.id)}
                    >
                      Edit
                    </button>
                  )}
                  {can('processes:write') && !p.is_default && (
                    <button
                      className="small danger"
                      disabled={busy}
                      aria-label={`Delete ${p.name}`}
                      onClick={() =>
                        window.confirm(`Delete the process ${p.name}?`) &&
                        run(() => api('DELETE', `/v1/processes/${p.id}`)).then(processes.reload)
                      }
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </Page>
  );
}

function EditRow({
  process,
  busy,
  onSave,
  onCancel,
}: {
  process: Process;
  busy: boolean;
  onSave: (patch: { name: string; description: string }) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(process.name);
  const [description, setDescription] = useState(process.description);
  return (
    <tr className="editing" data-process={process.name}>
      <td>
        <input
          aria-label={`Name of ${process.name}`}
          value={name}
          required
          onChange={(e) => setName(e.target.value)}
        />
      </td>
      <td>
        <input
          aria-label={`Description of ${process.name}`}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </td>
      <td className="number">{process.numeric_id}</td>
      <td className="row-actions">
        <button className="small" disabled={busy || !name} onClick={() => onSave({ name, description })}>
          Save
        </button>
        <button className="small secondary" onClick={onCancel}>
          Cancel
        </button>
      </td>
    </tr>
  );
}
