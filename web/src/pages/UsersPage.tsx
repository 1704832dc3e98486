import { Fragment, useState, type FormEvent } from 'react';
import { api, type Paged, type User } from '../api';
import { useCan } from '../session';
import { Field, Page, Problems, StatusBadge, useAction, useLoad } from '../ui';

function article(role: string): string {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}

export function UsersPage() {
  const can = useCan();
  const { data, error, reload } = useLoad(() => api<Paged<User>>('GET', '/v1/users?limit=100'), []);
  const [run, problems, busy] = useAction();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Page title="Users and agents">
      <Problems problems={error ? [error] : problems} />
      <table className="grid">
        <thead>
          <tr>
            <th>Username</th>
            <th>Name</th>
            <th>Role</th>
            <th>Extension</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data?.data.map((u) => (
            <Fragment key={u.id}>
              <tr>
                <td>{u.username}</td>
                <td>{u.full_name}</td>
                <td>
                  {can('users:write') ? (
                    <select
                      aria-label={`Role of ${u.username}`}
                      value={u.role}
                      disabled={busy}
                      onChange={(e) => {
                        const role = e.target.value;
                        if (!window.confirm(`Make ${u.username} ${article(role)} ${role}?`)) return;
                        void run(() => api('PATCH', `/v1/users/${u.id}`, { role, version: u.version })).then(
                          reload,
                        );
                      }}
                    >
                      <option value="admin">admin</option>
                      <option value="supervisor">supervisor</option>
                      <option value="agent">agent</option>
                    </select>
                  ) : (
                    u.role
                  )}
                </td>
                <td>{u.extension ?? '—'}</td>
                <td>
                  <StatusBadge status={u.status} />
                </td>
                <td className="row-actions">
                  {can('users:write') && (
                    <button
                      className="small secondary"
                      aria-expanded={editing === u.id}
                      aria-label={`Edit ${u.username}`}
                      onClick={() => setEditing(editing === u.id ? null : u.id)}
                    >
                      Edit
                    </button>
                  )}
                  {can('users:write') && u.status === 'active' && (
                    <button
                      className="small danger"
                      disabled={busy}
                      onClick={() =>
                        window.confirm(`Disable ${u.username}? They can no longer log in.`) &&
                        run(() => api('DELETE', `/v1/users/${u.id}`)).then(reload)
                      }
                    >
                      Disable
                    </button>
                  )}
                  {can('users:write') && u.status === 'disabled' && (
                    <button
                      className="small secondary"
                      disabled={busy}
                      onClick={() =>
                        run(() => api('PATCH', `/v1/users/${u.id}`, { status: 'active' })).then(reload)
                      }
                    >
                      Enable
                    </button>
                  )}
                </td>
              </tr>
              {editing === u.id && (
                <tr className="editing">
                  <td colSpan={6}>
                    <EditUser
                      user={u}
                      onDone={(saved) => {
                        setEditing(null);
                        if (saved) reload();
                      }}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {can('users:write') && <NewUser onCreated={reload} />}
    </Page>
  );
}

function NewUser({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({
    username: '',
    full_name: '',
    password: '',
    role: 'agent',
    extension: '',
  });
  const [run, problems, busy] = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => api('POST', '/v1/users', { ...form, extension: form.extension || null }));
    if (ok) {
      setForm({ username: '', full_name: '', password: '', role: 'agent', extension: '' });
      onCreated();
    }
  };
  const bind = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });
  return (
    <form className="card form-grid" onSubmit={submit}>
      <h2>New user</h2>
      <Field label="Username">
        <input {...bind('username')} required />
      </Field>
      <Field label="Full name">
        <input {...bind('full_name')} />
      </Field>
      <Field label="Password" hint="At least 8 characters">
        <input type="password" {...bind('password')} required minLength={8} autoComplete="new-password" />
      </Field>
      <Field label="Role">
        <select {...bind('role')}>
          <option value="agent">agent</option>
          <option value="supervisor">supervisor</option>
          <option value="admin">admin</option>
        </select>
      </Field>
      <Field label="Extension">
        <input {...bind('extension')} />
      </Field>
      <div className="form-actions">
        <Problems problems={problems} />
        <button type="submit" disabled={busy}>
          Create user
        </button>
      </div>
    </form>
  );
}

function EditUser({ user, onDone }: { user: User; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState({
    full_name: user.full_name,
    email: user.email ?? '',
    extension: user.extension ?? '',
    password: '',
  });
  const [run, problems, busy] = useAction();
  const bind = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      full_name: form.full_name,
      email: form.email || null,
      extension: form.extension || null,
      ...(form.password ? { password: form.password } : {}),
      version: user.version,
    };
    if (await run(() => api('PATCH', `/v1/users/${user.id}`, body))) onDone(true);
  };
  return (
    <form className="form-grid nested" onSubmit={submit} aria-label={`Edit ${user.username}`}>
      <Field label="Full name">
        <input {...bind('full_name')} />
      </Field>
      <Field label="Email">
        <input type="email" {...bind('email')} />
      </Field>
      <Field label="Extension">
        <input {...bind('extension')} pattern="[0-9*#+]{1,16}" />
      </Field>
      <Field label="New password" hint="Empty: unchanged. A new one ends their sessions">
        <input type="password" {...bind('password')} minLength={8} autoComplete="new-password" />
      </Field>
      <div className="form-actions">
        <Problems problems={problems} />
        <button type="submit" disabled={busy}>
          Save {user.username}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
