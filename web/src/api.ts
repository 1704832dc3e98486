/** A thin client of Outdial's native /v1 API, with the session kept in localStorage. */

import type { Disposition } from '../../src/domain/call-outcome';

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

/** A request with the session's token, refreshed once on 401; the raw response. */
async function authorized(method: string, path: string, body?: unknown, retried = false): Promise<Response> {
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
    if (await refreshing) return authorized(method, path, body, true);
    window.dispatchEvent(new Event('outdial:logged-out'));
  }
  return res;
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text();
  let message: unknown;
  try {
    message = text ? (JSON.parse(text) as { message?: unknown }).message : undefined;
  } catch {
    message = text;
  }
  const problems = Array.isArray(message) ? message.map(String) : [String(message ?? res.statusText)];
  return new ApiError(res.status, problems.join('; '), problems);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await authorized(method, path, body);
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads a file the API serves (CSV exports, error reports): the token goes in a header, so no plain link. */
export async function download(path: string, fileName: string): Promise<void> {
  const res = await authorized('GET', path);
  if (!res.ok) throw await failure(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A text resource of the API (a CSV report) read in the page. */
export async function authorizedText(path: string): Promise<string> {
  const res = await authorized('GET', path);
  if (!res.ok) throw await failure(res);
  return res.text();
}

/** A query string from the values that are set (arrays repeat the key). */
export function query(
  params: Record<string, string | number | boolean | string[] | null | undefined>,
): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => out.append(key, v));
    else out.set(key, String(value));
  }
  const text = out.toString();
  return text ? `?${text}` : '';
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
  retry_rules: Record<string, RetryRule>;
  type: 'interaction' | 'notification';
  agent_id: string | null;
  scheduled_at: string | null;
  ends_at: string | null;
  weekly_windows: WeeklyWindow[];
  started_at: string | null;
  version: number;
  created_at: string;
}

export interface RetryRule {
  delay_minutes: number;
  counts_as_attempt: boolean;
}

/** A weekly window: day 0 = Sunday, times HH:MM. */
export interface WeeklyWindow {
  day: number;
  start: string;
  end: string;
}

export type ContactStatus =
  'new' | 'in_progress' | 'retry' | 'callback' | 'completed' | 'failed' | 'dnc' | 'removed';

export type CountsByStatus = Partial<Record<ContactStatus, number>>;

export interface CampaignProgress {
  campaign_id: string;
  total: number;
  contacts_by_status: CountsByStatus;
  lists: { list_id: string; total: number; contacts_by_status: CountsByStatus }[];
}

export interface CampaignUser {
  campaign_user_id: number;
  user_id: string;
  username: string;
  role: string;
  full_name: string;
}

export interface LeadList {
  id: string;
  name: string;
  description: string;
  is_default: boolean;
  contacts_by_status: CountsByStatus;
  version: number;
  created_at: string;
}

export type FetchOrder = 'priority' | 'oldest_first' | 'newest_first' | 'fewest_attempts_first';

export interface CampaignLeadList {
  campaign_lead_id: number;
  campaign_id: string;
  list_id: string;
  list_name: string;
  priority: number;
  weightage: number;
  enabled: boolean;
  max_attempts: number;
  churn_count: number;
  fetch_order: FetchOrder;
  dialing_enabled_at_all_times: boolean;
  dialing_windows: WeeklyWindow[];
  campaign_user_ids: number[];
  version: number;
}

export interface Contact {
  id: string;
  list_id: string;
  campaign_id: string | null;
  phone_number: string;
  phone_raw: string;
  phone_country: string | null;
  first_name: string;
  last_name: string;
  variables: Record<string, string>;
  ticket_id: string | null;
  note: string | null;
  type: string | null;
  priority: number;
  max_retries: number | null;
  cool_off_seconds: number | null;
  time_zone: string;
  time_zone_source: string;
  status: ContactStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_outcome: string | null;
  callback_at: string | null;
  removed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Eligibility {
  contact_id: string;
  campaign_id: string | null;
  dialable: boolean;
  reasons: { code: string; message: string }[];
  next_eligible_at: string | null;
}

export interface DncEntry {
  id: string;
  phone_number: string;
  campaign_numeric_id: number | null;
  reason: string;
  source: string;
  created_at: string;
}

export interface DncItemResult {
  index: number;
  status: 'added' | 'exists' | 'rejected';
  phone_number: string | null;
  reason: string | null;
}

export interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  file_name: string;
  list_id: string;
  campaign_id: string | null;
  dedup_policy: string;
  dedup_scope: string;
  progress: {
    rows_read: number;
    accepted: number;
    updated: number;
    rejected: number;
    duplicates: number;
    dnc: number;
  };
  error: string | null;
  errors_url: string;
  created_at: string;
  finished_at: string | null;
}

export interface ImportPreview {
  file_name: string;
  format: 'csv' | 'xlsx';
  header: string[] | null;
  columns: { position: number; name: string; target: string }[];
  rows: {
    line: number;
    cells: string[];
    result: {
      status: 'ok' | 'rejected';
      phone_number: string | null;
      time_zone: string | null;
      reason: string | null;
      message: string | null;
    } | null;
  }[];
  problems: string[];
  estimated_rows: number | null;
  exact_row_count: boolean;
}

export interface Queue {
  id: string;
  name: string;
  extension: string | null;
  strategy: string;
  max_wait_seconds: number;
  wrap_up_seconds: number;
  members: {
    user_id: string;
    username: string;
    full_name: string;
    extension: string | null;
    delay_seconds: number;
    timeout_seconds: number;
  }[];
  version: number;
}

export interface Process {
  id: string;
  name: string;
  description: string;
  is_default: boolean;
}

/**
 * A single-use ticket to open one event stream (an EventSource cannot send the token in a header,
 * and a token in the address would end up in logs), or null when the session has ended.
 */
export async function streamTicket(): Promise<string | null> {
  const res = await authorized('POST', '/v1/auth/stream-ticket');
  return res.ok ? ((await res.json()) as { ticket: string }).ticket : null;
}

export type AgentState = 'available' | 'reserved' | 'on_call' | 'wrap_up' | 'paused' | 'logged_out';

export interface AgentSession {
  id: string;
  campaign_id: string;
  state: AgentState;
  state_since: string;
  idle_since: string;
  pause_reason: string | null;
  pending_pause_reason: string | null;
  wrap_up_deadline: string | null;
  preview_expires_at: string | null;
  pending_request: string | null;
  engine: string | null;
  logged_in_at: string;
  logged_out_at: string | null;
  calls_handled: number;
  talk_seconds: number;
  wrap_up_seconds: number;
}

export type CallStatus =
  'in_progress' | 'completed' | 'busy' | 'no_answer' | 'voicemail' | 'abandoned' | 'failed' | 'cancelled';

export interface CallLog {
  id: string;
  numeric_id: number;
  campaign_id: string;
  lead_id: string;
  list_id: string;
  phone_number: string;
  caller_id: string | null;
  agent_id: string | null;
  status: CallStatus;
  outcome: string | null;
  failure_reason: string | null;
  attempt: number;
  counts_as_attempt: boolean | null;
  dialing_mode: string;
  disposition: Disposition | null;
  disposition_note: string | null;
  callback_at: string | null;
  dialed_at: string;
  answered_at: string | null;
  connected_at: string | null;
  ended_at: string | null;
  wrap_up_ended_at: string | null;
  ring_seconds: number | null;
  duration: number | null;
  created_at: string;
}

export interface LeadEvent {
  id: number;
  at: string;
  type: string;
  lead_id: string;
  campaign_id: string | null;
  call_log_id: string | null;
  agent_id: string | null;
  from_status: string | null;
  to_status: string | null;
  detail: Record<string, unknown>;
}

export { DISPOSITIONS, type Disposition } from '../../src/domain/call-outcome';

export interface DeskCampaign {
  id: string;
  name: string;
  dialing_mode: Campaign['dialing_mode'];
  status: Campaign['status'];
}

export interface Desk {
  session: AgentSession | null;
  campaign: {
    id: string;
    name: string;
    dialing_mode: Campaign['dialing_mode'];
    wrap_up_seconds: number;
    preview_timeout_seconds: number;
  } | null;
  call: CallLog | null;
  contact: Contact | null;
  history: LeadEvent[];
}

export interface BoardEntry {
  user_id: string;
  username: string;
  full_name: string;
  extension: string | null;
  session: AgentSession;
  call: CallLog | null;
}

/** The agents board as streamed: `at` is the server's clock when it was read. */
export interface AgentsBoard {
  at: string;
  data: BoardEntry[];
}

export interface LiveCounters {
  dials: number;
  person_answers: number;
  machine_answers: number;
  connected: number;
  abandoned: number;
  no_answer: number;
  busy: number;
  invalid_number: number;
  failed: number;
  talk_ms: number;
}

export interface LiveStats {
  campaign_id: string;
  status: string;
  dialing_mode: Campaign['dialing_mode'];
  abandon_rate_cap: number;
  at: string;
  agents: Record<Exclude<AgentState, 'logged_out'>, number>;
  calls: { ringing: number; waiting_for_agent: number; connected: number; in_flight: number };
  dial_level: number;
  today: LiveCounters & { abandon_rate: number; day_start: string };
  rolling_30_days: { person_answers: number; abandoned: number; abandon_rate: number };
  series: { at: string; dials: number; person_answers: number; connected: number; abandoned: number }[];
}

export interface ReasonCount {
  code: string;
  message: string;
  contacts: number;
}

/** GET /v1/campaigns/{id}/eligibility, and the live stream's `eligibility` events. */
export interface CampaignEligibility {
  campaign_id: string;
  at: string;
  contacts: number;
  waiting: number;
  in_progress: number;
  finished: number;
  dialable_now: number;
  reasons: ReasonCount[];
  lists: {
    lead_list_id: string;
    name: string;
    priority: number;
    contacts: number;
    waiting: number;
    in_progress: number;
    dialable_now: number;
    reasons: ReasonCount[];
  }[];
}
