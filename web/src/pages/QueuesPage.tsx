import { useState, type FormEvent } from 'react';
import { api, type Paged, type Queue, type User } from '../api';
import { useCan } from '../session';
import { Field, Page, Problems, useAction, useLoad } from '../ui';

const STRATEGIES: Record<string, string> = {
  longest_idle: 'longest idle agent',
  round_robin: 'round robin',
  ring_all: 'ring all',
  single: 'single agent',
};

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
        <QueueCard key={q.id} queue={q} agents={agents.data?.data ?? null} onChange={queues.reload} />
      ))}
      {can('queues:write') && (
        <form className="card inline" onSubmit={create}>
          <Field label="New queue">
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <Field label="Extension">
            <input
              value={extension}
              onChange={(e) => setExtension(e.target.value)}
              pattern="[0-9*#+]{1,16}"
            />
          </Field>
          <button type="submit" disabled={busy}>
            Create queue
          </button>
        </form>
      )}
    </Page>
  );
}

function QueueCard({
  queue: q,
  agents,
  onChange,
}: {
  queue: Queue;
  agents: User[] | null;
  onChange: () => void;
}) {
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [run, problems, busy] = useAction();
  const act = (fn: () => Promise<unknown>) => run(fn).then((ok) => ok && onChange());
  return (
    <section className="card" aria-labelledby={`queue-${q.id}`}>
      <header className="page-head">
        <h2 id={`queue-${q.id}`}>
          {q.name} <small>ext. {q.extension ?? '—'}</small>
        </h2>
        {can('queues:write') && (
          <div className="actions">
            <button className="small secondary" aria-expanded={editing} onClick={() => setEditing(!editing)}>
              Edit {q.name}
            </button>
            <button
              className="small danger"
              disabled={busy}
              onClick={() =>
                window.confirm(`Delete the queue ${q.name}?`) &&
                void act(() => api('DELETE', `/v1/queues/${q.id}`))
              }
            >
              Delete {q.name}
            </button>
          </div>
        )}
      </header>
      {editing ? (
        <QueueSettings
          queue={q}
          onDone={(saved) => {
            setEditing(false);
            if (saved) onChange();
          }}
        />
      ) : (
        <p>
          Routing: {STRATEGIES[q.strategy] ?? q.strategy}; callers wait at most {q.max_wait_seconds}s; wrap-up{' '}
          {q.wrap_up_seconds}s.
        </p>
      )}
      <table className="grid compact">
        <thead>
          <tr>
            <th>Agent</th>
            <th>Extension</th>
            <th>Offered after (s)</th>
            <th>Rings for (s)</th>
            {can('queues:write') && <th />}
          </tr>
        </thead>
        <tbody>
          {q.members.map((m) => (
            <MemberRow key={m.user_id} queue={q} member={m} onChange={onChange} />
          ))}
          {q.members.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                No agents yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {can('queues:write') && agents && (
        <label className="field inline-field">
          <span>Add an agent</span>
          <select
            aria-label={`Add an agent to ${q.name}`}
            value=""
            disabled={busy}
            onChange={(e) => void act(() => api('PUT', `/v1/queues/${q.id}/members/${e.target.value}`, {}))}
          >
            <option value="">choose…</option>
            {agents
              .filter((u) => u.role === 'agent' && !q.members.some((m) => m.user_id === u.id))
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.username}
                </option>
              ))}
          </select>
        </label>
      )}
      <Problems problems={problems} />
    </section>
  );
}

function MemberRow({
  queue,
  member: m,
  onChange,
}: {
  queue: Queue;
  member: Queue['members'][number];
  onChange: () => void;
}) {
  const can = useCan();
  const [delay, setDelay] = useState(m.delay_seconds);
  const [timeout, setTimeoutSeconds] = useState(m.timeout_seconds);
  const [run, problems, busy] = useAction();
  const changed = delay !== m.delay_seconds || timeout !== m.timeout_seconds;
  const who = m.full_name || m.username;
  return (
    <tr>
      <td>
        {who} <small>({m.username})</small>
        <Problems problems={problems} />
      </td>
      <td>{m.extension ?? '—'}</td>
      <td>
        {can('queues:write') ? (
          <input
            type="number"
            min={0}
            max={600}
            aria-label={`${who}: offered after (s)`}
            value={delay}
            onChange={(e) => setDelay(Number(e.target.value))}
          />
        ) : (
          m.delay_seconds
        )}
      </td>
      <td>
        {can('queues:write') ? (
          <input
            type="number"
            min={1}
            max={600}
            aria-label={`${who}: rings for (s)`}
            value={timeout}
            onChange={(e) => setTimeoutSeconds(Number(e.target.value))}
          />
        ) : (
          m.timeout_seconds
        )}
      </td>
      {can('queues:write') && (
        <td className="row-actions">
          <button
            className="small"
            disabled={busy || !changed}
            onClick={() =>
              void run(() =>
                api('PUT', `/v1/queues/${queue.id}/members/${m.user_id}`, {
                  delay_seconds: delay,
                  timeout_seconds: timeout,
                }),
              ).then((ok) => ok && onChange())
            }
          >
            Save
          </button>
          <button
            aria-label={`Remove ${m.username} from ${queue.name}`}
            className="small secondary"
            disabled={busy}
            onClick={() =>
              void run(() => api('DELETE', `/v1/queues/${queue.id}/members/${m.user_id}`)).then(
                (ok) => ok && onChange(),
              )
            }
          >
            Remove
          </button>
        </td>
      )}
    </tr>
  );
}

function QueueSettings({ queue: q, onDone }: { queue: Queue; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState({
    name: q.name,
    extension: q.extension ?? '',
    strategy: q.strategy,
    max_wait_seconds: q.max_wait_seconds,
    wrap_up_seconds: q.wrap_up_seconds,
  });
  const [run, problems, busy] = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { ...form, extension: form.extension || null, version: q.version };
    if (await run(() => api('PATCH', `/v1/queues/${q.id}`, body))) onDone(true);
  };
  return (
    <form className="form-grid nested" onSubmit={submit} aria-label={`Settings of ${q.name}`}>
      <Field label="Name">
        <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
      </Field>
      <Field label="Extension">
        <input
          value={form.extension}
          pattern="[0-9*#+]{1,16}"
          onChange={(e) => setForm({ ...form, extension: e.target.value })}
        />
      </Field>
      <Field label="Strategy">
        <select
          value={form.strategy}
          onChange={(e) => setForm({ ...form, strategy: e.target.value as Queue['strategy'] })}
        >
          {Object.entries(STRATEGIES).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Callers wait at most (s)">
        <input
          type="number"
          min={0}
          max={86400}
          value={form.max_wait_seconds}
          onChange={(e) => setForm({ ...form, max_wait_seconds: Number(e.target.value) })}
        />
      </Field>
      <Field label="Wrap-up (s)">
        <input
          type="number"
          min={0}
          max={3600}
          value={form.wrap_up_seconds}
          onChange={(e) => setForm({ ...form, wrap_up_seconds: Number(e.target.value) })}
        />
      </Field>
      <div className="form-actions">
        <Problems problems={problems} />
        <button type="submit" disabled={busy}>
          Save {q.name}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
