import { useState, type FormEvent } from 'react';
import { WEBHOOK_EVENT_TYPES } from '../../../src/domain/webhook-events';
import { api, type Paged, type Webhook, type WebhookDelivery } from '../api';
import { formatMoment } from '../format';
import { navigate } from '../router';
import { Field, NewerOlderPager, Page, Problems, StatusBadge, useAction, useLoad } from '../ui';

type EventType = Webhook['event_types'][number];

/** Webhook subscriptions (docs/webhooks.md): create (the secret is shown once), their state, disable. */
export function WebhooksPage() {
  const hooks = useLoad(() => api<Paged<Webhook>>('GET', '/v1/webhooks?limit=100'), []);
  const [run, problems, busy] = useAction();
  const [form, setForm] = useState<WebhookForm>({ url: '', description: '', eventTypes: [] });
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const made = await api<Webhook & { secret: string }>('POST', '/v1/webhooks', {
        url: form.url,
        description: form.description,
        event_types: form.eventTypes,
      });
      setCreated({ url: made.url, secret: made.secret });
      setForm({ url: '', description: '', eventTypes: [] });
    }).then((ok) => ok && hooks.reload());
  };
  return (
    <Page title="Webhooks">
      <Problems problems={problems ?? (hooks.error ? [hooks.error] : null)} />
      <form className="card form-grid" onSubmit={create} aria-label="New webhook">
        <WebhookFields form={form} onChange={setForm} />
        <div className="form-actions span-all">
          <button type="submit" disabled={busy || form.eventTypes.length === 0}>
            Create webhook
          </button>
        </div>
      </form>
      {created && (
        <p className="card notice" role="status" aria-label="New webhook secret">
          The signing secret of {created.url}, shown only now: <code data-secret>{created.secret}</code>
        </p>
      )}
      <table className="grid" aria-label="Webhooks">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Description</th>
            <th scope="col">Events</th>
            <th scope="col">Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {hooks.data?.data.map((h) => (
            <tr key={h.id} data-webhook={h.url}>
              <td>
                <a href={`#/webhooks/${h.id}`}>{h.url}</a>
              </td>
              <td>{h.description}</td>
              <td>{h.event_types.join(', ')}</td>
              <td>
                <StatusBadge status={h.enabled ? 'active' : 'disabled'} />
                {h.disabled_reason && <div className="muted">{h.disabled_reason}</div>}
              </td>
              <td className="row-actions">
                <button
                  className="small secondary"
                  disabled={busy}
                  aria-label={`${h.enabled ? 'Disable' : 'Enable'} ${h.url}`}
                  onClick={() =>
                    void run(() =>
                      api('PATCH', `/v1/webhooks/${h.id}`, { enabled: !h.enabled, version: h.version }),
                    ).then(hooks.reload)
                  }
                >
                  {h.enabled ? 'Disable' : 'Enable'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hooks.data?.data.length === 0 && <p className="empty">No webhooks yet.</p>}
    </Page>
  );
}

interface WebhookForm {
  url: string;
  description: string;
  eventTypes: EventType[];
}

function WebhookFields({ form, onChange }: { form: WebhookForm; onChange: (form: WebhookForm) => void }) {
  return (
    <>
      <Field label="URL" hint="http or https; addresses of the server's own network are refused">
        <input
          type="url"
          value={form.url}
          required
          maxLength={2000}
          onChange={(e) => onChange({ ...form, url: e.target.value })}
        />
      </Field>
      <Field label="Description">
        <input
          value={form.description}
          maxLength={500}
          onChange={(e) => onChange({ ...form, description: e.target.value })}
        />
      </Field>
      <fieldset className="span-all">
        <legend>Events</legend>
        <div className="checks">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={form.eventTypes.includes(type)}
                onChange={(e) =>
                  onChange({
                    ...form,
                    eventTypes: e.target.checked
                      ? WEBHOOK_EVENT_TYPES.filter((t) => t === type || form.eventTypes.includes(t))
                      : form.eventTypes.filter((t) => t !== type),
                  })
                }
              />
              {type}
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}

/** One webhook: edit it, enable or disable it, and its delivery log with redelivery. */
export function WebhookPage({ webhookId, query }: { webhookId: string; query: URLSearchParams }) {
  const hook = useLoad(() => api<Webhook>('GET', `/v1/webhooks/${webhookId}`), [webhookId]);
  const state = query.get('state') === 'pending' ? 'pending' : '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const deliveries = useLoad(
    () =>
      api<Paged<WebhookDelivery>>(
        'GET',
        `/v1/webhooks/${webhookId}/deliveries?limit=20&page=${page}${state ? `&state=${state}` : ''}`,
      ),
    [webhookId, state, page],
  );
  const [run, problems, busy] = useAction();
  const [form, setForm] = useState<WebhookForm | null>(null);
  const go = (next: { state?: string; page?: number }) => {
    const params = new URLSearchParams();
    const s = next.state ?? state;
    if (s) params.set('state', s);
    if ((next.page ?? 1) > 1) params.set('page', String(next.page));
    navigate(`webhooks/${webhookId}${params.size ? `?${params.toString()}` : ''}`);
  };
  const h = hook.data;
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!h || !form) return;
    void run(() =>
      api('PATCH', `/v1/webhooks/${h.id}`, {
        url: form.url,
        description: form.description,
        event_types: form.eventTypes,
        version: h.version,
      }),
    ).then((ok) => ok && (setForm(null), hook.reload()));
  };
  return (
    <Page
      title={h ? `Webhook · ${h.description || h.url}` : 'Webhook'}
      actions={<a href="#/webhooks">All webhooks</a>}
    >
      <Problems
        problems={problems ?? (hook.error ? [hook.error] : deliveries.error ? [deliveries.error] : null)}
      />
      {h && !form && (
        <section className="card" aria-label="Subscription">
          <dl className="facts">
            <dt>URL</dt>
            <dd>{h.url}</dd>
            <dt>Events</dt>
            <dd>{h.event_types.join(', ')}</dd>
            <dt>Status</dt>
            <dd data-webhook-status>
              <StatusBadge status={h.enabled ? 'active' : 'disabled'} />
              {h.disabled_reason && (
                <span>
                  {' '}
                  since {formatMoment(h.disabled_at)}: {h.disabled_reason}
                </span>
              )}
            </dd>
          </dl>
          <div className="form-actions">
            <button
              className="small secondary"
              disabled={busy}
              onClick={() => setForm({ url: h.url, description: h.description, eventTypes: h.event_types })}
            >
              Edit
            </button>
            <button
              className="small secondary"
              disabled={busy}
              onClick={() =>
                void run(() =>
                  api('PATCH', `/v1/webhooks/${h.id}`, { enabled: !h.enabled, version: h.version }),
                ).then(() => (hook.reload(), deliveries.reload()))
              }
            >
              {h.enabled ? 'Disable' : 'Enable and send the backlog'}
            </button>
            <button
              className="small danger"
              disabled={busy}
              onClick={() =>
                window.confirm(`Delete the webhook to ${h.url}, its backlog and its delivery log?`) &&
                void run(() => api('DELETE', `/v1/webhooks/${h.id}`)).then((ok) => ok && navigate('webhooks'))
              }
            >
              Delete
            </button>
          </div>
        </section>
      )}
      {h && form && (
        <form className="card form-grid" onSubmit={save} aria-label="Edit webhook">
          <WebhookFields form={form} onChange={setForm} />
          <div className="form-actions span-all">
            <button type="submit" disabled={busy || form.eventTypes.length === 0}>
              Save
            </button>
            <button type="button" className="secondary" onClick={() => setForm(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <section aria-label="Delivery log">
        <h2>Delivery log</h2>
        <div className="filters">
          <Field label="Show">
            <select value={state} onChange={(e) => go({ state: e.target.value })}>
              <option value="">every delivery</option>
              <option value="pending">the backlog (not yet delivered)</option>
            </select>
          </Field>
        </div>
        <table className="grid" aria-label="Deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Occurred</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deliveries.data?.data.map((d) => (
              <tr key={d.event_id} data-event={d.event_id}>
                <td>
                  {d.event_type}
                  <div>
                    <code className="muted">{d.event_id}</code>
                  </div>
                </td>
                <td>{formatMoment(d.occurred_at)}</td>
                <td>
                  <StatusBadge status={d.state} />
                  {d.state === 'pending' && d.next_attempt_at && (
                    <div className="muted">next {formatMoment(d.next_attempt_at)}</div>
                  )}
                </td>
                <td>
                  <AttemptLog delivery={d} />
                </td>
                <td className="row-actions">
                  <button
                    className="small secondary"
                    disabled={busy}
                    aria-label={`Redeliver ${d.event_id}`}
                    onClick={() =>
                      void run(() =>
                        api('POST', `/v1/webhooks/${webhookId}/deliveries/${d.event_id}/redeliver`),
                      ).then(deliveries.reload)
                    }
                  >
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {deliveries.data?.data.length === 0 && <p className="empty">No deliveries.</p>}
        {deliveries.data && (
          <NewerOlderPager page={page} meta={deliveries.data.meta} onPage={(p) => go({ page: p })} />
        )}
      </section>
    </Page>
  );
}

/** Each attempt of a delivery: when, its outcome and status (or error), latency, the answer's start. */
function AttemptLog({ delivery }: { delivery: WebhookDelivery }) {
  if (delivery.attempt_log.length === 0) return <span className="muted">none yet</span>;
  return (
    <ol className="attempts">
      {delivery.attempt_log.map((a, i) => (
        <li key={i} data-outcome={a.outcome}>
          {formatMoment(a.attempted_at)} · {a.outcome} ·{' '}
          {a.status_code !== null ? `HTTP ${a.status_code}` : (a.error ?? 'no answer')} · {a.latency_ms} ms
          {a.response_excerpt && (
            <>
              {' '}
              · <q>{a.response_excerpt.slice(0, 120)}</q>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}
