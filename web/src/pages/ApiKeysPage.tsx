import { useState, type FormEvent } from 'react';
import { api, type ApiKey, type Paged } from '../api';
import { formatMoment } from '../format';
import { Field, Page, Problems, useAction, useLoad } from '../ui';

/** API keys for integrations: create (the key is shown once), their scope, revoke. */
export function ApiKeysPage() {
  const keys = useLoad(() => api<Paged<ApiKey>>('GET', '/v1/api-keys?limit=100'), []);
  const [run, problems, busy] = useAction();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiKey['scope']>('read');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const made = await api<ApiKey & { key: string }>('POST', '/v1/api-keys', { name, scope });
      setCreated({ name: made.name, key: made.key });
      setName('');
    }).then((ok) => ok && keys.reload());
  };
  return (
    <Page title="API keys">
      <Problems problems={problems ?? (keys.error ? [keys.error] : null)} />
      <form className="card filters" onSubmit={create} aria-label="New API key">
        <Field label="Name">
          <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Scope">
          <select value={scope} onChange={(e) => setScope(e.target.value as ApiKey['scope'])}>
            <option value="read">read</option>
            <option value="read_write">read and write</option>
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            Create key
          </button>
        </div>
      </form>
      {created && (
        <p className="card notice" role="status" aria-label="New key">
          The key of {created.name}, shown only now: <code data-key>{created.key}</code>
        </p>
      )}
      <table className="grid" aria-label="API keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scope</th>
            <th scope="col">Key</th>
            <th scope="col">Last used</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.data?.data.map((k) => (
            <tr key={k.id} data-key-name={k.name}>
              <td>{k.name}</td>
              <td>{k.scope === 'read_write' ? 'read and write' : 'read'}</td>
              <td>
                <code>{k.hint}</code>
              </td>
              <td>{formatMoment(k.last_used_at)}</td>
              <td>{formatMoment(k.created_at)}</td>
              <td>{k.revoked_at ? `revoked ${formatMoment(k.revoked_at)}` : 'active'}</td>
              <td className="row-actions">
                {!k.revoked_at && (
                  <button
                    className="small danger"
                    disabled={busy}
                    aria-label={`Revoke ${k.name}`}
                    onClick={() =>
                      window.confirm(`Revoke ${k.name}? Integrations using it stop working at once.`) &&
                      run(() => api('DELETE', `/v1/api-keys/${k.id}`)).then(keys.reload)
                    }
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
