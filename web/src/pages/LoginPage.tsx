import { useState, type FormEvent } from 'react';
import { login } from '../api';
import { Field, Problems, useAction } from '../ui';

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [center, setCenter] = useState(localStorage.getItem('outdial.center') ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [run, problems, busy] = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    localStorage.setItem('outdial.center', center);
    if (await run(() => login(username, password, center))) onLoggedIn();
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="card">
        <h1>Outdial</h1>
        <Field label="Contact center">
          <input
            name="contact_center"
            value={center}
            onChange={(e) => setCenter(e.target.value)}
            required
            autoFocus
          />
        </Field>
        <Field label="Username">
          <input
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoComplete="username"
          />
        </Field>
        <Field label="Password">
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="current-password"
          />
        </Field>
        <Problems problems={problems} />
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
