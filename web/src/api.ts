/** A thin client of Outdial's native /v1 API, with the session kept in localStorage. */

import type { Answer, Schemas } from '../../src/client/openapi-schemas';

/** The login's token pair, and the center it logged in to (the console's own note, for the login form). */
export type Session = Pick<Schemas['Session'], 'access_token' | 'refresh_token'> & { contact_center: string };

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
  const tokens = (await res.json()) as Schemas['Session'];
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

/**
 * A media resource of the API (a call recording) as a blob URL for an <audio> element, which
 * cannot send the token: fetched once with it (one audited request per playback). The caller
 * revokes the URL when done.
 */
export async function authorizedBlobUrl(path: string): Promise<string> {
  const res = await authorized('GET', path);
  if (!res.ok) throw await failure(res);
  return URL.createObjectURL(await res.blob());
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
  if (!res.ok) {
    const error = (await res.json()) as Schemas['NativeError'];
    const problems = Array.isArray(error.message) ? error.message : [error.message];
    throw new ApiError(res.status, problems.join('; '), problems);
  }
  const data = (await res.json()) as Answer<'/v1/auth/login', 'post'>;
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

/** A page of any list: the shape of every paged answer (`{data, meta}`), with its items' type. */
export type Paged<T> = Omit<Answer<'/v1/users', 'get'>, 'data'> & { data: T[] };

export type Me = Answer<'/v1/me', 'get'>;

export type User = Schemas['User'];

export type Campaign = Schemas['Campaign'];

/** A campaign's audio file described (its recording announcement). */
export type CampaignAudio = Schemas['CampaignMessage'];

export type RetryRule = Schemas['RetryRule'];

export type WeeklyWindow = Schemas['WeeklyWindow'];

export type ContactStatus = Contact['status'];

export type CountsByStatus = Partial<Record<ContactStatus, number>>;

export type CampaignProgress = Schemas['CampaignProgress'];

export type CampaignUser = Schemas['CampaignUser'];

export type LeadList = Schemas['LeadList'];

export type FetchOrder = CampaignLeadList['fetch_order'];

export type CampaignLeadList = Schemas['CampaignLeadList'];

export type Contact = Schemas['Contact'];

export type Eligibility = Answer<'/v1/contacts/{id}/eligibility', 'get'>;

export type DncEntry = Schemas['DncEntry'];

export type DncItemResult = Schemas['DncItemResult'];

export type ImportJob = Schemas['Import'];

export type ImportPreview = Schemas['ImportPreview'];

export type Queue = Schemas['Queue'];

export type Process = Schemas['Process'];

/**
 * A single-use ticket to open one event stream (an EventSource cannot send the token in a header,
 * and a token in the address would end up in logs), or null when the session has ended.
 */
export async function streamTicket(): Promise<string | null> {
  const res = await authorized('POST', '/v1/auth/stream-ticket');
  return res.ok ? ((await res.json()) as Answer<'/v1/auth/stream-ticket', 'post'>).ticket : null;
}

export type CallLog = Schemas['CallLog'];

export type RecordingMetadata = Schemas['RecordingMetadata'];

export type LeadEvent = Schemas['LeadEvent'];

export { DISPOSITIONS, type Disposition } from '../../src/domain/call-outcome';

export type DeskCampaign = Answer<'/v1/desk/campaigns', 'get'>['data'][number];

export type Desk = Schemas['Desk'];
export type DeskPhone = Schemas['DeskPhone'];

export type BoardEntry = Schemas['AgentBoardEntry'];

/** What the agents stream sends: the board and the server's time it was read at. */
export type AgentsBoard = Schemas['AgentsEvent']['data'];

export type LiveStats = Schemas['LiveStats'];

export type CampaignEligibility = Schemas['CampaignEligibility'];

export type CampaignPerformance = Schemas['CampaignPerformance'];

export type CampaignPeriodFigures = Schemas['CampaignPeriodFigures'];

export type AgentPerformance = Schemas['AgentPerformance'];

export type Wallboard = Schemas['Wallboard'];

export type ApiKey = Schemas['ApiKey'];

export type AuditEntry = Schemas['AuditEntry'];

export type Webhook = Schemas['Webhook'];

export type WebhookDelivery = Schemas['WebhookDelivery'];
export type CampaignTraffic = Schemas['CampaignTraffic'];

export type Forecast = Schemas['Forecast'];
