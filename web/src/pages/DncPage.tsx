import { useState, type FormEvent } from 'react';
import {
  api,
  query as queryString,
  type Campaign,
  type DncEntry,
  type DncItemResult,
  type Paged,
} from '../api';
import { formatMoment } from '../format';
import { navigate } from '../router';
import { useCan } from '../session';
import { Field, Page, Problems, useAction, useLoad } from '../ui';

const PAGE = 50;

/** Do-not-call lists: the center's, and each campaign's. The engine checks both at dial time. */
export function DncPage({ query }: { query: URLSearchParams }) {
  const can = useCan();
  const campaignId = query.get('campaign_id') ?? '';
  const prefix = query.get('phone_prefix') ?? '';
  const page = Number(query.get('page')) || 1;
  const campaigns = useLoad(() => api<Paged<Campaign>>('GET', '/v1/campaigns?limit=100'), []);
  const entries = useLoad(
    () =>
      api<Paged<DncEntry>>(
        'GET',
        `/v1/dnc${queryString({ campaign_id: campaignId, phone_prefix: prefix, page, limit: PAGE })}`,
      ),
    [campaignId, prefix, page],
  );
  const [run, problems, busy] = useAction();
  const go = (change: Record<string, string | number>) =>
    navigate(`dnc${queryString({ campaign_id: campaignId, phone_prefix: prefix, ...change })}`);
  const scopeName = campaignId
    ? (campaigns.data?.data.find((c) => c.id === campaignId)?.name ?? 'campaign')
    : 'the whole center';
  const meta = entries.data?.meta;
  return (
    <Page title="Do not call">
      <div className="card inline">
        <Field label="List">
          <select value={campaignId} onChange={(e) => go({ campaign_id: e.target.value, page: 1 })}>
            <option value="">Center-wide</option>
            {campaigns.data?.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} only
              </option>
            ))}
          </select>
        </Field>
        <form
          className="inline"
          role="search"
          aria-label="Do-not-call numbers"
          onSubmit={(e) => {
            e.preventDefault();
            const value = new FormData(e.currentTarget).get('prefix');
            go({ phone_prefix: String(value ?? '').replace(/[^+0-9]/g, ''), page: 1 });
          }}
        >
          <Field label="Numbers starting with">
            <input name="prefix" defaultValue={prefix} key={prefix} inputMode="tel" placeholder="+91" />
          </Field>
          <button type="submit" className="secondary">
            Filter
          </button>
        </form>
      </div>
      <div className="columns">
        <section className="card" aria-labelledby="dnc-list-title">
          <h2 id="dnc-list-title">
            Numbers blocked for {scopeName}
            {meta && <small className="muted"> · {meta.total}</small>}
          </h2>
          <Problems problems={entries.error ? [entries.error] : problems} />
          <table className="grid compact">
            <thead>
              <tr>
                <th>Number</th>
                <th>Reason</th>
                <th>From</th>
                <th>Added</th>
                {can('dnc:write') && <th />}
              </tr>
            </thead>
            <tbody>
              {entries.data?.data.map((d) => (
                <tr key={d.id}>
                  <td>{d.phone_number}</td>
                  <td>{d.reason || '—'}</td>
                  <td>{d.source}</td>
                  <td>{formatMoment(d.created_at)}</td>
                  {can('dnc:write') && (
                    <td>
                      <button
                        className="small secondary"
                        aria-label={`Remove ${d.phone_number}`}
                        disabled={busy}
                        onClick={() =>
                          window.confirm(`Allow calls to ${d.phone_number} again?`) &&
                          void run(() => api('DELETE', `/v1/dnc/${d.id}`)).then(
                            (ok) => ok && entries.reload(),
                          )
                        }
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
              {meta?.total === 0 && (
                <tr>
                  <td colSpan={5} className="empty">
                    No numbers.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          {meta && meta.totalPages > 1 && (
            <div className="more">
              <button className="secondary small" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>
                Previous
              </button>
              <span>
                Page {page} of {meta.totalPages}
              </span>
              <button
                className="secondary small"
                disabled={page >= meta.totalPages}
                onClick={() => go({ page: page + 1 })}
              >
                Next
              </button>
            </div>
          )}
        </section>
        <div>
          <CheckNumber campaignId={campaignId} />
          {can('dnc:write') && (
            <AddNumbers campaignId={campaignId} scopeName={scopeName} onAdded={entries.reload} />
          )}
        </div>
      </div>
    </Page>
  );
}

function CheckNumber({ campaignId }: { campaignId: string }) {
  const [phone, setPhone] = useState('');
  const [answer, setAnswer] = useState<{
    phone_number: string;
    blocked: boolean;
    entries: DncEntry[];
  } | null>(null);
  const [run, problems, busy] = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAnswer(null);
    await run(async () =>
      setAnswer(await api('GET', `/v1/dnc/check${queryString({ phone, campaign_id: campaignId })}`)),
    );
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="check-title">
      <h2 id="check-title">Check a number</h2>
      <div className="inline">
        <Field label="Number to check">
          <input value={phone} onChange={(e) => setPhone(e.target.value)} required inputMode="tel" />
        </Field>
        <button type="submit" disabled={busy}>
          Check
        </button>
      </div>
      <Problems problems={problems} />
      {answer && (
        <p className={`verdict ${answer.blocked ? 'no' : 'yes'}`} role="status">
          {answer.phone_number}:{' '}
          {answer.blocked
            ? `blocked (${answer.entries
                .map(
                  (e) =>
                    `${e.campaign_numeric_id === null ? 'center-wide' : 'this campaign'}${e.reason ? `: ${e.reason}` : ''}`,
                )
                .join('; ')})`
            : campaignId
              ? 'may be called in this campaign'
              : 'not on the center-wide list'}
        </p>
      )}
    </form>
  );
}

function AddNumbers({
  campaignId,
  scopeName,
  onAdded,
}: {
  campaignId: string;
  scopeName: string;
  onAdded: () => void;
}) {
  const [numbers, setNumbers] = useState('');
  const [reason, setReason] = useState('');
  const [results, setResults] = useState<DncItemResult[] | null>(null);
  const [sent, setSent] = useState<string[]>([]);
  const [run, problems, busy] = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const phones = numbers
      .split(/[\n,;]+/)
      .map((n) => n.trim())
      .filter(Boolean);
    if (phones.length === 0) return;
    setResults(null);
    const ok = await run(async () => {
      const body = {
        phone_numbers: phones,
        reason: reason || undefined,
        campaign_id: campaignId || undefined,
      };
      const answer = await api<{ results: DncItemResult[] }>('POST', '/v1/dnc/bulk', body);
      setSent(phones);
      setResults(answer.results);
    });
    if (ok) {
      setNumbers('');
      onAdded();
    }
  };
  const count = (status: DncItemResult['status']) => results?.filter((r) => r.status === status).length ?? 0;
  return (
    <form className="card" onSubmit={submit} aria-labelledby="add-title">
      <h2 id="add-title">Add numbers for {scopeName}</h2>
      <Field
        label="Numbers"
        hint="One per line (or separated by commas); national numbers take the center's country"
      >
        <textarea value={numbers} onChange={(e) => setNumbers(e.target.value)} rows={5} required />
      </Field>
      <Field label="Reason">
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="customer asked" />
      </Field>
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          Add to the list
        </button>
      </div>
      <Problems problems={problems} />
      {results && (
        <div role="status" className="results">
          <p>
            {count('added')} added, {count('exists')} already there, {count('rejected')} refused.
          </p>
          {count('rejected') > 0 && (
            <ul className="plain">
              {results
                .filter((r) => r.status === 'rejected')
                .map((r) => (
                  <li key={r.index} className="bad">
                    {sent[r.index]}: {r.reason}
                  </li>
                ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
