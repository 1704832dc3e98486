import { useState, type FormEvent } from 'react';
import { api, type Paged, type Queue, type User } from '../api';
import { useCan } from '../session';
import { Field, Page, Problems, useAction, useLoad } from '../ui';

export function QueuesPage() {
  const can = useCan();
  const queues = useLoad(() => api<Paged<Queue>>('GET', '/v1/queues?limit=100'), []);
  const agents = useLoad(
    () =>
      can('users:read')
        ? api<Paged<User>>('GET', '/v1/users?limit=100&status=active')
        : Promise.resolve(null),
    [],
  );
  const [run, problems, busy] = useAction();
  const [name, setName] = useState('');
  const [extension, setExtension] = useState('');
  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => api('POST', '/v1/queues', { name, extension: extension || null }))) {
      setName('');
      setExtension('');
      queues.reload();
    }
  };
  return (
    <Page title="Queues">
      <Problems problems={queues.error ? [queues.error] : problems} />
      {queues.data?.data.map((q) => (
        <div className="card" key={q.id}>
          <h2>
            {q.name} <small>ext. {q.extension ?? '—'}</small>
          </h2>
          <p>
            Strategy {q.strategy}; callers wait at most {q.max_wait_seconds}s; wrap-up {q.wrap_up_seconds}s.
          </p>
          <ul className="chips">
            {q.members.map((m) => (
              <li key={m.user_id}>
                {m.full_name || m.username}
                {can('queues:write') && (
                  <button
                    aria-label={`Remove ${m.username} from ${q.name}`}
                    className="link"
                    disabled={busy}
                    onClick={() =>
                      run(() => api('DELETE', `/v1/queues/${q.id}/members/${m.user_id}`)).then(queues.reload)
                    }
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
          {can('queues:write') && agents.data && (
            <select
              aria-label={`Add an agent to ${q.name}`}
              value=""
              disabled={busy}
              onChange={(e) =>
                run(() => api('PUT', `/v1/queues/${q.id}/members/${e.target.value}`, {})).then(queues.reload)
              }
            >
              <option value="">add an agent…</option>
              {agents.data.data
                .filter((u) => u.role === 'agent' && !q.members.some((m) => m.user_id === u.id))
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.username}
                  </option>
                ))}
            </select>
          )}
        </div>
      ))}
      {can('queues:write') && (
        <form className="card inline" onSubmit={create}>
          <Field label="New queue">
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <Field label="Extension">
            <input value={extension} onChange={(e) => setExtension(e.target.value)} />
          </Field>
          <button type="submit" disabled={busy}>
            Create queue
          </button>
        </form>
      )}
    </Page>
  );
}
