/** A thin client of Outdial's native /v1 API, with the session kept in localStorage. */

export interface Session {
  access_token: string;
  refresh_token: string;
  contact_center: string;
}

const KEY = 'outdial.session';

export function loadSession(): Session | null {
  const raw = localStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: string[],
  ) {
    super(message);
  }
}

let refreshing: Promise<boolean> | null = null;

async function refresh(): Promise<boolean> {
  const session = loadSession();
  if (!session) return false;
  const res = await fetch('/v1/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: session.refresh_token }),
  });
  if (!res.ok) {
    saveSession(null);
    return false;
  }
  const tokens = (await res.json()) as { access_token: string; refresh_token: string };
  saveSession({ ...session, ...tokens });
  return true;
}

export async function api<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const session = loadSession();
  const headers: Record<string, string> = {};
  if (session) headers.authorization = `Bearer ${session.access_token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload });
  if (res.status === 401 && session && !retried) {
    refreshing ??= refresh().finally(() => (refreshing = null));
    if (await refreshing) return api<T>(method, path, body, true);
    window.dispatchEvent(new Event('outdial:logged-out'));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const message = data?.message;
    const problems = Array.isArray(message) ? message : [String(message ?? res.statusText)];
    throw new ApiError(res.status, problems.join('; '), problems);
  }
  return data as T;
}

export async function login(username: string, password: string, contactCenter: string): Promise<void> {
  const res = await fetch('/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, contact_center: contactCenter }),
  });
  const data = await res.json();
  if (!res.ok) throw new ApiError(res.status, String(data.message), [String(data.message)]);
  saveSession({
    access_token: data.access_token,
    refresh_token: data.refresh_token,
    contact_center: contactCenter,
  });
}

export async function logout(): Promise<void> {
  const session = loadSession();
  saveSession(null);
  if (session) {
    await fetch('/v1/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: session.refresh_token }),
    }).catch(() => undefined);
  }
}

export interface PageMeta {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}
export interface Paged<T> {
  data: T[];
  meta: PageMeta;
}

export interface Me {
  kind: 'user' | 'api_key';
  contact_center: { id: string; short_name: string; name: string; time_zone: string };
  user: User | null;
}

export interface User {
  id: string;
  username: string;
  full_name: string;
  email: string | null;
  role: 'admin' | 'supervisor' | 'agent';
  extension: string | null;
  status: 'active' | 'disabled';
  version: number;
}

export interface Campaign {
  id: string;
  numeric_id: number;
  process_id: string;
  queue_id: string | null;
  name: string;
  description: string;
  type: string;
  dialing_mode: 'preview' | 'progressive' | 'power' | 'predictive' | 'agentless';
  status: 'draft' | 'active' | 'paused' | 'completed' | 'cancelled';
  from_phone_number: string | null;
  time_zone: string;
  calling_hours: { start: string; end: string };
  abandon_rate_cap: number;
  lines_per_agent: number;
  max_concurrent_calls: number | null;
  wrap_up_seconds: number;
  preview_timeout_seconds: number;
  retry_config: { max_retries: number; retry_interval_minutes: number };
  version: number;
  created_at: string;
}

export interface Queue {
  id: string;
  name: string;
  extension: string | null;
  strategy: string;
  max_wait_seconds: number;
  wrap_up_seconds: number;
  members: { user_id: string; username: string; full_name: string; extension: string | null }[];
  version: number;
}

export interface Process {
  id: string;
  name: string;
  description: string;
  is_default: boolean;
}
