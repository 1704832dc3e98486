import { useState, type FormEvent } from 'react';
import {
  api,
  query,
  type CallLog,
  type LeadEvent,
  type User,
  type Campaign,
  type Contact,
  type ContactStatus,
  type Eligibility,
  type LeadList,
  type Paged,
} from '../api';
import { formatInstant, formatMoment, fromLocalInput, toLocalInput } from '../format';
import { EventTimeline } from '../history';
import { formatDuration } from '../live';
import { useCan } from '../session';
import { CALL_STATUS_LABEL, DISPOSITION_LABEL, STATUS_LABEL } from '../status';
import { Field, Page, Problems, StatusBadge, useAction, useLoad } from '../ui';
import { VariablesTable } from '../widgets';

/** The statuses an operator may set by hand; the server checks each move against the lifecycle. */
const MANUAL_STATUSES: ContactStatus[] = ['new', 'retry', 'callback', 'completed', 'failed', 'dnc'];

export function ContactPage({ contactId }: { contactId: string }) {
  const can = useCan();
  const contact = useLoad(() => api<Contact>('GET', `/v1/contacts/${contactId}`), [contactId]);
  const [editing, setEditing] = useState(false);
  const [run, problems, busy] = useAction();
  const c = contact.data;
  const name = c ? [c.first_name, c.last_name].filter(Boolean).join(' ') : '';
  return (
    <Page
      title={c ? `${c.phone_number}${name ? ` · ${name}` : ''}` : 'Contact'}
      actions={
        c &&
        can('contacts:write') &&
        c.status !== 'removed' && (
          <>
            <button className="secondary" aria-expanded={editing} onClick={() => setEditing(!editing)}>
              Edit
            </button>
            <button
              className="danger"
              disabled={busy || c.status === 'in_progress'}
              onClick={() =>
                window.confirm(
                  `Remove ${c.phone_number}? It will never be dialled again; its history is kept.`,
                ) &&
                void run(() => api('DELETE', `/v1/contacts/${contactId}`)).then(
                  (ok) => ok && contact.reload(),
                )
              }
            >
              Remove
            </button>
          </>
        )
      }
    >
      <Problems problems={contact.error ? [contact.error] : problems} />
      {c?.removed_at && (
        <p className="notice" role="status">
          Removed {formatMoment(c.removed_at)}: never dialled again; its calls and history are kept.
        </p>
      )}
      {c && editing && (
        <EditContact
          contact={c}
          onDone={(saved) => {
            setEditing(false);
            if (saved) contact.reload();
          }}
        />
      )}
      {c && (
        <div className="columns">
          <Details contact={c} />
          <EligibilityCard contact={c} />
        </div>
      )}
      {c && <Variables variables={c.variables} />}
      {c && <CallsAndHistory contact={c} />}
    </Page>
  );
}

function Details({ contact: c }: { contact: Contact }) {
  const list = useLoad(() => api<LeadList>('GET', `/v1/lead-lists/${c.list_id}`), [c.list_id]);
  const campaign = useLoad(
    () => (c.campaign_id ? api<Campaign>('GET', `/v1/campaigns/${c.campaign_id}`) : Promise.resolve(null)),
    [c.campaign_id],
  );
  return (
    <div className="card">
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={c.status} />
        </dd>
        <dt>Attempts</dt>
        <dd>
          {c.attempts}
          {c.max_retries !== null && ` (its own limit: ${c.max_retries} retries)`}
        </dd>
        <dt>Next attempt</dt>
        <dd>{formatMoment(c.next_attempt_at, c.time_zone)}</dd>
        {c.callback_at && (
          <>
            <dt>Callback</dt>
            <dd>{formatMoment(c.callback_at, c.time_zone)}</dd>
          </>
        )}
        <dt>Last attempt</dt>
        <dd>
          {formatMoment(c.last_attempt_at)}
          {c.last_outcome && ` · ${c.last_outcome}`}
        </dd>
        <dt>List</dt>
        <dd>
          <a href={`#/contacts?list_id=${c.list_id}`}>{list.data?.name ?? c.list_id}</a>
        </dd>
        <dt>Added for</dt>
        <dd>
          {c.campaign_id ? (
            <a href={`#/campaigns/${c.campaign_id}`}>{campaign.data?.name ?? c.campaign_id}</a>
          ) : (
            'the list only'
          )}
        </dd>
        <dt>Time zone</dt>
        <dd>
          {c.time_zones.join(', ')} <small className="muted">({c.time_zone_source.replace('_', ' ')})</small>
          {c.time_zones.length > 1 && (
            <small className="muted">
              {' '}
              · its number&apos;s prefix spans these zones: called only inside calling hours in every one
            </small>
          )}
          {c.time_zone_source === 'center_default' && (
            <span className="badge badge-paused" title="Nothing placed this contact: give its time zone">
              fallback zone
            </span>
          )}
        </dd>
        <dt>Number as given</dt>
        <dd>
          {c.phone_raw}
          {c.phone_country && ` · ${c.phone_country}`}
        </dd>
        <dt>Priority</dt>
        <dd>{c.priority}</dd>
        {c.cool_off_seconds !== null && (
          <>
            <dt>Cool-off</dt>
            <dd>{c.cool_off_seconds}s between calls</dd>
          </>
        )}
        {c.ticket_id && (
          <>
            <dt>Ticket</dt>
            <dd>{c.ticket_id}</dd>
          </>
        )}
        {c.type && (
          <>
            <dt>Type</dt>
            <dd>{c.type}</dd>
          </>
        )}
        {c.note && (
          <>
            <dt>Note</dt>
            <dd>{c.note}</dd>
          </>
        )}
        <dt>Added, changed</dt>
        <dd>
          {formatMoment(c.created_at)}; {formatMoment(c.updated_at)}
        </dd>
      </dl>
    </div>
  );
}

/** "Can it be dialled now?": every blocking reason and when it next can, for a chosen campaign. */
function EligibilityCard({ contact }: { contact: Contact }) {
  const [campaignId, setCampaignId] = useState('');
  const campaigns = useLoad(() => api<Paged<Campaign>>('GET', '/v1/campaigns?limit=100'), []);
  const answer = useLoad(
    () =>
      api<Eligibility>('GET', `/v1/contacts/${contact.id}/eligibility${query({ campaign_id: campaignId })}`),
    [contact.id, contact.version, campaignId],
  );
  const e = answer.data;
  return (
    <section className="card eligibility" aria-labelledby="eligibility-title" aria-live="polite">
      <h2 id="eligibility-title">Can it be dialled now?</h2>
      <Field label="For campaign">
        <select value={campaignId} onChange={(ev) => setCampaignId(ev.target.value)}>
          <option value="">its own campaign</option>
          {campaigns.data?.data.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Problems problems={answer.error ? [answer.error] : null} />
      {e && (
        <>
          <p className={`verdict ${e.dialable ? 'yes' : 'no'}`}>
            {e.dialable ? 'Yes: it can be dialled now.' : 'No.'}
          </p>
          {e.reasons.length > 0 && (
            <ul className="reasons">
              {e.reasons.map((r) => (
                <li key={r.code}>
                  {r.message} <code>{r.code}</code>
                </li>
              ))}
            </ul>
          )}
          {!e.dialable && (
            <p>
              Next eligible:{' '}
              <strong>
                {e.next_eligible_at
                  ? formatMoment(e.next_eligible_at, contact.time_zone)
                  : 'not by itself (something above must change)'}
              </strong>
            </p>
          )}
          {!e.campaign_id && <p className="muted">Its list is not attached to any campaign.</p>}
        </>
      )}
    </section>
  );
}

/** Every call made to the contact, newest first, and its history (what the engine and agents did), oldest first. */
function CallsAndHistory({ contact }: { contact: Contact }) {
  const can = useCan();
  const calls = useLoad(
    () =>
      can('reports:read')
        ? api<Paged<CallLog>>('GET', `/v1/call-logs${query({ lead_id: contact.id, limit: 100 })}`)
        : Promise.resolve(null),
    [contact.id, contact.version],
  );
  const [events, setEvents] = useState<LeadEvent[]>([]);
  const [after, setAfter] = useState(0);
  const history = useLoad(
    () =>
      api<{ data: LeadEvent[]; next_after: number | null }>(
        'GET',
        `/v1/contacts/${contact.id}/history${query({ limit: 100, after: after || undefined })}`,
      ),
    [contact.id, contact.version, after],
  );
  const page = history.data;
  const shown = after ? [...events, ...(page?.data ?? [])] : (page?.data ?? []);
  const users = useLoad(
    () => (can('users:read') ? api<Paged<User>>('GET', '/v1/users?limit=100') : Promise.resolve(null)),
    [],
  );
  const names = new Map(users.data?.data.map((u) => [u.id, u.full_name || u.username]));
  const agentName = (id: string) => names.get(id);
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">Calls and history</h2>
      <Problems problems={[calls.error, history.error].filter((e): e is string => !!e)} />
      {calls.data && (
        <>
          <h3>Calls · {calls.data.meta.total}</h3>
          {calls.data.data.length === 0 ? (
            <p className="muted">Never called yet.</p>
          ) : (
            <div className="scroll">
              <table className="grid compact calls" aria-label="Calls">
                <thead>
                  <tr>
                    <th>Dialled</th>
                    <th>Attempt</th>
                    <th>Result</th>
                    <th>Agent</th>
                    <th>Ring, talk</th>
                    <th>Disposition</th>
                  </tr>
                </thead>
                <tbody>
                  {calls.data.data.map((call) => (
                    <tr key={call.id} data-call={call.id}>
                      <td>{formatInstant(call.dialed_at)}</td>
                      <td className="number">{call.attempt}</td>
                      <td>
                        <span className={`badge badge-call-${call.status}`}>
                          {CALL_STATUS_LABEL[call.status] ?? call.status}
                        </span>
                        {call.failure_reason && <small> {call.failure_reason.replace(/_/g, ' ')}</small>}
                      </td>
                      <td>{call.agent_id ? (agentName(call.agent_id) ?? call.agent_id) : '—'}</td>
                      <td>
                        {call.ring_seconds !== null ? `${Math.round(call.ring_seconds)}s` : '—'}
                        {call.duration !== null && `, ${formatDuration(call.duration)}`}
                      </td>
                      <td>
                        {call.disposition ? DISPOSITION_LABEL[call.disposition] : '—'}
                        {call.disposition_note && <small> “{call.disposition_note}”</small>}
                        {call.callback_at && <small> call back {formatMoment(call.callback_at)}</small>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <h3>History</h3>
      {page && <EventTimeline events={shown} agentName={agentName} />}
      {page?.next_after != null && (
        <button
          className="small secondary"
          onClick={() => {
            setEvents(shown);
            setAfter(page.next_after!);
          }}
        >
          Load later events
        </button>
      )}
    </section>
  );
}

function Variables({ variables }: { variables: Record<string, string> }) {
  return (
    <section className="card" aria-labelledby="variables-title">
      <h2 id="variables-title">Variables</h2>
      <VariablesTable variables={variables} />
    </section>
  );
}

function EditContact({ contact: c, onDone }: { contact: Contact; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState({
    first_name: c.first_name,
    last_name: c.last_name,
    ticket_id: c.ticket_id ?? '',
    note: c.note ?? '',
    type: c.type ?? '',
    priority: c.priority,
    max_retries: c.max_retries === null ? '' : String(c.max_retries),
    cool_off_seconds: c.cool_off_seconds === null ? '' : String(c.cool_off_seconds),
    time_zone: c.time_zone_source === 'explicit' ? c.time_zone : '',
    status: c.status,
    next_attempt_at: toLocalInput(c.next_attempt_at),
  });
  const [variables, setVariables] = useState(Object.entries(c.variables));
  const [run, problems, busy] = useAction();
  const bind = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const optionalInt = (v: string) => (v.trim() === '' ? null : Number(v));
    const body = {
      first_name: form.first_name,
      last_name: form.last_name,
      ticket_id: form.ticket_id || null,
      note: form.note || null,
      type: form.type || null,
      priority: Number(form.priority),
      max_retries: optionalInt(form.max_retries),
      cool_off_seconds: optionalInt(form.cool_off_seconds),
      time_zone: form.time_zone || null,
      variables: Object.fromEntries(variables.filter(([k]) => k.trim()).map(([k, v]) => [k.trim(), v])),
      ...(form.status !== c.status ? { status: form.status } : {}),
      ...(form.next_attempt_at !== toLocalInput(c.next_attempt_at)
        ? { next_attempt_at: fromLocalInput(form.next_attempt_at) }
        : {}),
      version: c.version,
    };
    if (await run(() => api('PATCH', `/v1/contacts/${c.id}`, body))) onDone(true);
  };
  const statuses = MANUAL_STATUSES.includes(c.status) ? MANUAL_STATUSES : [c.status, ...MANUAL_STATUSES];
  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Edit contact">
      <h2>Edit contact</h2>
      <Field label="First name">
        <input {...bind('first_name')} />
      </Field>
      <Field label="Last name">
        <input {...bind('last_name')} />
      </Field>
      <Field label="Status" hint="Moves are checked against the contact's lifecycle">
        <select {...bind('status')}>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Next attempt" hint="Your local time">
        <input type="datetime-local" {...bind('next_attempt_at')} />
      </Field>
      <Field label="Priority">
        <input type="number" {...bind('priority')} />
      </Field>
      <Field label="Own retry limit" hint="Empty: the list's">
        <input type="number" min={0} max={100} {...bind('max_retries')} />
      </Field>
      <Field label="Cool-off (s)" hint="Empty: the campaign's">
        <input type="number" min={0} {...bind('cool_off_seconds')} />
      </Field>
      <Field label="Time zone" hint="IANA name; empty: from the number or the center">
        <input {...bind('time_zone')} placeholder={c.time_zone} />
      </Field>
      <Field label="Ticket">
        <input {...bind('ticket_id')} />
      </Field>
      <Field label="Type">
        <input {...bind('type')} />
      </Field>
      <Field label="Note">
        <input {...bind('note')} maxLength={1024} />
      </Field>
      <fieldset className="span-all">
        <legend>Variables</legend>
        {variables.map(([k, v], i) => (
          <div className="window-row" key={i}>
            <input
              aria-label={`Variable ${i + 1} name`}
              value={k}
              pattern="[A-Za-z_][A-Za-z0-9_.\-]{0,63}"
              onChange={(e) => setVariables(variables.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))}
            />
            <input
              aria-label={`Variable ${i + 1} value`}
              value={v}
              maxLength={1024}
              onChange={(e) => setVariables(variables.map((x, j) => (j === i ? [x[0], e.target.value] : x)))}
            />
            <button
              type="button"
              className="link"
              aria-label={`Remove variable ${k || i + 1}`}
              onClick={() => setVariables(variables.filter((_, j) => j !== i))}
            >
              remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small secondary"
          onClick={() => setVariables([...variables, ['', '']])}
        >
          Add a variable
        </button>
      </fieldset>
      <div className="form-actions">
        <Problems problems={problems} />
        <button type="submit" disabled={busy}>
          Save contact
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
