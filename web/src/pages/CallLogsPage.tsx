import { useState, type FormEvent } from 'react';
import {
  api,
  download,
  query,
  type CallLog,
  type Campaign,
  type LeadEvent,
  type Paged,
  type RecordingMetadata,
  type User,
} from '../api';
import { formatInstant, formatMoment } from '../format';
import { EventTimeline } from '../history';
import { formatDuration } from '../live';
import { navigate } from '../router';
import { useCan } from '../session';
import { CALL_STATUS_LABEL, DISPOSITION_LABEL } from '../status';
import { Field, NewerOlderPager, Page, Problems, useAction, useLoad } from '../ui';
import { ApiAudioPlayer } from '../widgets';

const FILTERS = ['campaign_id', 'status', 'agent_id', 'start_date', 'end_date', 'min_duration'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

const PAGE_SIZE = 50;

function filtersOf(q: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? ''])) as Filters;
}

function useNames() {
  const users = useLoad(() => api<Paged<User>>('GET', '/v1/users?limit=100'), []);
  const campaigns = useLoad(() => api<Paged<Campaign>>('GET', '/v1/campaigns?limit=100'), []);
  return {
    users: users.data?.data ?? [],
    campaigns: campaigns.data?.data ?? [],
    agentName: (id: string | null) => {
      const u = users.data?.data.find((x) => x.id === id);
      return id ? u?.full_name || u?.username || id : '—';
    },
    campaignName: (id: string) => campaigns.data?.data.find((c) => c.id === id)?.name ?? id,
  };
}

/** Every call, newest first, with the API's filters (kept in the address) and a CSV export of them. */
export function CallLogsPage({ query: address }: { query: URLSearchParams }) {
  const applied = filtersOf(address);
  const [form, setForm] = useState(applied);
  const [page, setPage] = useState(1);
  const names = useNames();
  const calls = useLoad(
    () => api<Paged<CallLog>>('GET', `/v1/call-logs${query({ ...applied, page, limit: PAGE_SIZE })}`),
    [address.toString(), page],
  );
  const [run, problems, busy] = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    navigate(`calls${query({ ...form })}`);
  };
  const meta = calls.data?.meta;
  return (
    <Page
      title="Call logs"
      actions={
        <button
          className="secondary"
          disabled={busy}
          onClick={() =>
            void run(() => download(`/v1/call-logs/export.csv${query({ ...applied })}`, 'call-logs.csv'))
          }
        >
          Export CSV
        </button>
      }
    >
      <Problems problems={problems ?? (calls.error ? [calls.error] : null)} />
      <form className="card filters" onSubmit={submit} aria-label="Call log filters">
        <Field label="Campaign">
          <select
            value={form.campaign_id}
            onChange={(e) => setForm({ ...form, campaign_id: e.target.value })}
          >
            <option value="">any</option>
            {names.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Result">
          <select value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })}>
            <option value="">any</option>
            {Object.entries(CALL_STATUS_LABEL).map(([word, label]) => (
              <option key={word} value={word}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Agent">
          <select value={form.agent_id} onChange={(e) => setForm({ ...form, agent_id: e.target.value })}>
            <option value="">any</option>
            {names.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.full_name || u.username}
              </option>
            ))}
          </select>
        </Field>
        <Field label="From day" hint="UTC">
          <input
            type="date"
            value={form.start_date}
            onChange={(e) => setForm({ ...form, start_date: e.target.value })}
          />
        </Field>
        <Field label="To day" hint="UTC, included">
          <input
            type="date"
            value={form.end_date}
            onChange={(e) => setForm({ ...form, end_date: e.target.value })}
          />
        </Field>
        <Field label="Talked at least (s)">
          <input
            type="number"
            min={0}
            value={form.min_duration}
            onChange={(e) => setForm({ ...form, min_duration: e.target.value })}
          />
        </Field>
        <div className="form-actions">
          <button type="submit">Search</button>
        </div>
      </form>
      {calls.data && (
        <section className="card" aria-labelledby="calls-title">
          <h2 id="calls-title">
            {meta!.total} {meta!.total === 1 ? 'call' : 'calls'}
          </h2>
          <div className="scroll-x">
            <table className="grid compact" aria-label="Calls">
              <thead>
                <tr>
                  <th scope="col">Dialled</th>
                  <th scope="col">Number</th>
                  <th scope="col">Campaign</th>
                  <th scope="col">Result</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Ring, talk</th>
                  <th scope="col">Disposition</th>
                </tr>
              </thead>
              <tbody>
                {calls.data.data.map((c) => (
                  <tr key={c.id} data-call={c.id}>
                    <td>
                      <a href={`#/calls/${c.id}`}>{formatInstant(c.dialed_at)}</a>
                    </td>
                    <td>{c.phone_number}</td>
                    <td>{names.campaignName(c.campaign_id)}</td>
                    <td>
                      <span className={`badge badge-call-${c.status}`}>
                        {CALL_STATUS_LABEL[c.status] ?? c.status}
                      </span>
                    </td>
                    <td>{names.agentName(c.agent_id)}</td>
                    <td>
                      {c.ring_seconds !== null ? `${Math.round(c.ring_seconds)}s` : '—'}
                      {c.duration !== null && `, ${formatDuration(c.duration)}`}
                    </td>
                    <td>{c.disposition ? (DISPOSITION_LABEL[c.disposition] ?? c.disposition) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <NewerOlderPager page={page} meta={meta!} onPage={setPage} />
        </section>
      )}
    </Page>
  );
}

/** m:ss of a point in a recording, from ms. */
const recordingTime = (ms: number) => formatDuration(ms / 1000);

/**
 * The call's recording, played in the page (each playback is audited), with the stretches the
 * agent paused from the desk: silent in the file, so a reviewer knows the silence was asked for.
 */
function RecordingPlayer({ callId, url }: { callId: string; url: string }) {
  const metadata = useLoad(
    () => api<RecordingMetadata>('GET', `/v1/call-logs/${callId}/recording/metadata`),
    [callId],
  );
  const pauses = metadata.data?.pauses ?? [];
  return (
    <section className="card" aria-labelledby="recording-title">
      <h2 id="recording-title">Recording</h2>
      <p className="muted">
        Customer on the left channel, agent on the right. Listening is recorded in the audit log.
      </p>
      <ApiAudioPlayer url={url} label="Call recording" playText="Play recording" />
      {metadata.data && (
        <p data-recording-pauses={pauses.length}>
          {formatDuration(metadata.data.duration_ms / 1000)} recorded
          {pauses.length === 0
            ? ', never paused.'
            : `; paused by the agent (silent): ${pauses
                .map((p) => `${recordingTime(p.start_ms)}–${recordingTime(p.end_ms)}`)
                .join(', ')}.`}
        </p>
      )}
    </section>
  );
}

/** One call: what it was, and its timeline of events. */
export function CallLogPage({ callId }: { callId: string }) {
  const names = useNames();
  const can = useCan();
  const call = useLoad(() => api<CallLog>('GET', `/v1/call-logs/${callId}`), [callId]);
  const events = useLoad(() => api<{ data: LeadEvent[] }>('GET', `/v1/call-logs/${callId}/events`), [callId]);
  const c = call.data;
  return (
    <Page title={c ? `Call to ${c.phone_number}` : 'Call'}>
      <Problems problems={[call.error, events.error].filter((e): e is string => !!e)} />
      {c && (
        <div className="card">
          <dl className="facts">
            <dt>Campaign</dt>
            <dd>
              <a href={`#/campaigns/${c.campaign_id}`}>{names.campaignName(c.campaign_id)}</a>
            </dd>
            <dt>Contact</dt>
            <dd>
              <a href={`#/contacts/${c.lead_id}`}>{c.phone_number}</a> · attempt {c.attempt}
            </dd>
            <dt>Result</dt>
            <dd>
              {CALL_STATUS_LABEL[c.status] ?? c.status}
              {c.failure_reason && ` (${c.failure_reason.replace(/_/g, ' ')})`}
            </dd>
            <dt>Agent</dt>
            <dd>{names.agentName(c.agent_id)}</dd>
            <dt>Ring, talk</dt>
            <dd>
              {c.ring_seconds !== null ? `${Math.round(c.ring_seconds)}s` : '—'}
              {c.duration !== null && `, ${formatDuration(c.duration)}`}
            </dd>
            <dt>Disposition</dt>
            <dd>
              {c.disposition ? (DISPOSITION_LABEL[c.disposition] ?? c.disposition) : '—'}
              {c.disposition_note && ` “${c.disposition_note}”`}
              {c.callback_at && `, call back ${formatMoment(c.callback_at)}`}
            </dd>
          </dl>
        </div>
      )}
      {c?.recording_url && can('recordings:read') && (
        <RecordingPlayer callId={callId} url={c.recording_url} />
      )}
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {events.data && <EventTimeline events={events.data.data} agentName={(id) => names.agentName(id)} />}
      </section>
    </Page>
  );
}
