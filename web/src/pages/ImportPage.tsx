import { useEffect, useState, type FormEvent } from 'react';
import {
  api,
  ApiError,
  authorizedText,
  download,
  query as queryString,
  type Campaign,
  type ImportJob,
  type ImportPreview,
  type LeadList,
  type Paged,
} from '../api';
import { formatCount, formatMoment } from '../format';
import { navigate } from '../router';
import { Field, Page, Problems, StatusBadge, useAction, useLoad } from '../ui';

/** What the preview reads of a CSV file; the server reads no more than this either. */
const SAMPLE_BYTES = 256 * 1024;

const FIELDS: { value: string; label: string }[] = [
  { value: 'phone', label: 'Phone number' },
  { value: 'first_name', label: 'First name' },
  { value: 'last_name', label: 'Last name' },
  { value: 'ticket_id', label: 'Ticket' },
  { value: 'note', label: 'Note' },
  { value: 'type', label: 'Type' },
  { value: 'priority', label: 'Priority' },
  { value: 'max_retries', label: 'Own retry limit' },
  { value: 'cool_off_seconds', label: 'Cool-off (s)' },
  { value: 'time_zone', label: 'Time zone' },
  { value: 'var', label: 'Variable…' },
  { value: 'ignore', label: 'Leave out' },
];

function variableName(column: string): string {
  const slug = column
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/^[^a-z_]+/, '');
  return slug.slice(0, 64) || 'column';
}

/** Every column mapped explicitly by position, so the import does exactly what the preview showed. */
function mappingOf(targets: string[]): Record<string, string> {
  return Object.fromEntries(targets.map((t, i) => [String(i + 1), t]));
}

export function ImportPage({ query }: { query: URLSearchParams }) {
  const options = useLoad(
    () =>
      Promise.all([
        api<Paged<Campaign>>('GET', '/v1/campaigns?limit=100'),
        api<Paged<LeadList>>('GET', '/v1/lead-lists?limit=100'),
      ]),
    [],
  );
  const [campaigns, lists] = options.data ?? [];
  const [campaignId, setCampaignId] = useState(query.get('campaign_id') ?? '');
  const [listId, setListId] = useState(query.get('list_id') ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [targets, setTargets] = useState<string[]>([]);
  const [checked, setChecked] = useState<string>('');
  const [policy, setPolicy] = useState('skip');
  const [scope, setScope] = useState('list');
  const [run, problems, busy] = useAction();

  const askPreview = (chosen: File, mapping?: Record<string, string>) =>
    run(async () => {
      const body = new FormData();
      const sample = chosen.name.toLowerCase().endsWith('.xlsx') ? chosen : chosen.slice(0, SAMPLE_BYTES);
      body.append('file_size', String(chosen.size));
      if (mapping) body.append('column_mapping', JSON.stringify(mapping));
      body.append('file', sample, chosen.name);
      const answer = await api<ImportPreview>('POST', '/v1/imports/preview', body);
      setPreview(answer);
      const next = answer.columns.map((c) => c.target);
      setTargets(next);
      setChecked(JSON.stringify(mapping ?? mappingOf(next)));
    });

  const chooseFile = (chosen: File | null) => {
    setFile(chosen);
    setPreview(null);
    if (chosen) void askPreview(chosen);
  };

  const setTarget = (i: number, value: string) =>
    setTargets((t) =>
      t.map((x, j) => {
        if (j !== i) return x;
        if (value === 'var') return `var:${variableName(preview?.columns[i]?.name ?? `column_${i + 1}`)}`;
        return value;
      }),
    );

  const mapping = mappingOf(targets);
  const current = JSON.stringify(mapping) === checked;
  const phoneColumns = targets.filter((t) => t === 'phone').length;
  const mappingProblem =
    phoneColumns === 0
      ? 'Choose the column that holds the phone number.'
      : phoneColumns > 1
        ? 'Only one column can be the phone number.'
        : null;

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    let job: ImportJob | undefined;
    const ok = await run(async () => {
      const body = new FormData();
      if (campaignId) body.append('campaign_id', campaignId);
      if (listId) body.append('list_id', listId);
      body.append('dedup_policy', policy);
      body.append('dedup_scope', campaignId ? scope : 'list');
      body.append('column_mapping', JSON.stringify(mapping));
      body.append('file', file, file.name);
      job = await api<ImportJob>('POST', '/v1/imports', body);
    });
    if (ok && job)
      navigate(`import/${job.id}${queryString({ estimate: preview?.estimated_rows ?? undefined })}`);
  };

  return (
    <Page title="Import contacts">
      <form className="card form-grid" onSubmit={start} aria-label="Import">
        <h2>1. Where to</h2>
        <Field label="Campaign" hint="Its contacts go to the list below, or to the campaign's default list">
          <select value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
            <option value="">none (a list only)</option>
            {campaigns?.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="List">
          <select value={listId} onChange={(e) => setListId(e.target.value)} required={!campaignId}>
            <option value="">{campaignId ? "the campaign's default list" : 'choose a list…'}</option>
            {lists?.data.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="File" hint="CSV (any delimiter) or XLSX (first sheet)">
          <input
            type="file"
            accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => chooseFile(e.target.files?.[0] ?? null)}
            required
          />
        </Field>

        {preview && (
          <>
            <h2>2. Columns</h2>
            <div className="span-all">
              <p className="muted">
                {preview.header
                  ? 'The first row is a header.'
                  : 'The file has no header: columns are numbered.'}{' '}
                {preview.estimated_rows !== null &&
                  `${preview.exact_row_count ? '' : 'About '}${formatCount(preview.estimated_rows)} rows.`}{' '}
                The first {preview.rows.length} rows, as the import would read them:
              </p>
              <div className="scroll">
                <table className="grid preview">
                  <thead>
                    <tr>
                      <th>Line</th>
                      {preview.columns.map((c, i) => (
                        <th key={c.position}>
                          <div className="column-name">{c.name}</div>
                          <select
                            aria-label={`Column ${c.name}`}
                            value={targets[i]?.startsWith('var:') ? 'var' : targets[i]}
                            onChange={(e) => setTarget(i, e.target.value)}
                          >
                            {FIELDS.map((f) => (
                              <option key={f.value} value={f.value}>
                                {f.label}
                              </option>
                            ))}
                          </select>
                          {targets[i]?.startsWith('var:') && (
                            <input
                              aria-label={`Variable name for ${c.name}`}
                              value={targets[i]!.slice(4)}
                              pattern="[A-Za-z_][A-Za-z0-9_.\-]{0,63}"
                              required
                              onChange={(e) =>
                                setTargets((t) => t.map((x, j) => (j === i ? `var:${e.target.value}` : x)))
                              }
                            />
                          )}
                        </th>
                      ))}
                      <th>Would be</th>
                    </tr>
                  </thead>
                  <tbody className={current ? '' : 'stale'}>
                    {preview.rows.map((r) => (
                      <tr key={r.line}>
                        <td>{r.line}</td>
                        {preview.columns.map((c, i) => (
                          <td key={c.position}>{r.cells[i] ?? ''}</td>
                        ))}
                        <td>
                          {r.result?.status === 'ok' && (
                            <span className="ok">
                              ✓ {r.result.phone_number}{' '}
                              <small className="muted">{r.result.time_zones?.join(', ')}</small>
                            </span>
                          )}
                          {r.result?.time_zone_source === 'center_default' && (
                            <span
                              className="badge badge-paused"
                              title="Nothing in the row or its number placed it: the center's zone is used"
                            >
                              fallback zone
                            </span>
                          )}
                          {r.result?.status === 'rejected' && (
                            <span className="bad">
                              ✗ {r.result.message} <code>{r.result.reason}</code>
                            </span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Problems problems={current ? preview.problems : mappingProblem ? [mappingProblem] : null} />
              {!current && (
                <p className="notice">
                  The mapping changed.{' '}
                  <button
                    type="button"
                    className="small secondary"
                    disabled={busy || !!mappingProblem}
                    onClick={() => file && void askPreview(file, mapping)}
                  >
                    Check the rows again
                  </button>
                </p>
              )}
            </div>

            <h2>3. Numbers already there</h2>
            <fieldset className="span-all">
              <legend>
                When a number is already in the {scope === 'campaign' && campaignId ? 'campaign' : 'list'}
              </legend>
              <label className="check">
                <input
                  type="radio"
                  name="policy"
                  value="skip"
                  checked={policy === 'skip'}
                  onChange={() => setPolicy('skip')}
                />
                Skip the row (keep the stored contact)
              </label>
              <label className="check">
                <input
                  type="radio"
                  name="policy"
                  value="update"
                  checked={policy === 'update'}
                  onChange={() => setPolicy('update')}
                />
                Update the stored contact with the file's values
              </label>
              <label className="check">
                <input
                  type="radio"
                  name="policy"
                  value="allow"
                  checked={policy === 'allow'}
                  onChange={() => setPolicy('allow')}
                />
                Add it again
              </label>
            </fieldset>
            {campaignId && (
              <Field label="Look for the number in">
                <select value={scope} onChange={(e) => setScope(e.target.value)}>
                  <option value="list">the list</option>
                  <option value="campaign">the whole campaign</option>
                </select>
              </Field>
            )}
          </>
        )}
        <div className="form-actions">
          <Problems problems={problems} />
          <button type="submit" disabled={busy || !preview || !!mappingProblem}>
            Start import
          </button>
          <small className="muted">
            Numbers on a do-not-call list are not added; they are listed in the error report.
          </small>
        </div>
      </form>
    </Page>
  );
}

const OUTCOMES: { key: keyof ImportJob['progress']; label: string; color: string }[] = [
  { key: 'accepted', label: 'added', color: '#1a7f37' },
  { key: 'updated', label: 'updated', color: '#1f6feb' },
  { key: 'duplicates', label: 'duplicates skipped', color: '#7d93ab' },
  { key: 'dnc', label: 'on do-not-call', color: '#3d444d' },
  { key: 'rejected', label: 'refused', color: '#d1242f' },
];

/** An import's progress, polled while it runs (a job's status, not the database per browser). */
export function ImportJobPage({ jobId, query }: { jobId: string; query: URLSearchParams }) {
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<string | null>(null);
  const estimate = Number(query.get('estimate')) || null;
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await api<ImportJob>('GET', `/v1/imports/${jobId}`);
        if (!live) return;
        setJob(next);
        setError(null);
        if (next.status === 'queued' || next.status === 'running') timer = setTimeout(tick, 700);
      } catch (e) {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
        if (!(e instanceof ApiError && e.status === 404)) timer = setTimeout(tick, 3000);
      }
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId]);
  const p = job?.progress;
  const finished = job?.status === 'completed' || job?.status === 'failed';
  const refused = p ? p.rejected + p.dnc : 0;
  const max = finished
    ? Math.max(p!.rows_read, 1)
    : estimate
      ? Math.max(estimate, p?.rows_read ?? 0)
      : undefined;
  return (
    <Page title={job ? `Import of ${job.file_name}` : 'Import'}>
      <Problems problems={error ? [error] : null} />
      {job && p && (
        <div className="card">
          <p>
            <StatusBadge status={job.status} /> started {formatMoment(job.created_at)}
            {job.finished_at && `, finished ${formatMoment(job.finished_at)}`}
          </p>
          <label className="field">
            <span>
              {formatCount(p.rows_read)} rows read
              {!finished && estimate ? ` of about ${formatCount(estimate)}` : ''}
            </span>
            <progress
              className="import-progress"
              value={max === undefined ? undefined : p.rows_read}
              max={max}
            />
          </label>
          <div
            className="stacked"
            role="img"
            aria-label={OUTCOMES.map((o) => `${p[o.key]} ${o.label}`).join(', ')}
          >
            {OUTCOMES.filter((o) => p[o.key]).map((o) => (
              <span
                key={o.key}
                style={{ width: `${(p[o.key] / Math.max(p.rows_read, 1)) * 100}%`, background: o.color }}
              />
            ))}
          </div>
          <ul className="legend">
            {OUTCOMES.map((o) => (
              <li key={o.key}>
                <i style={{ background: o.color }} />
                {o.label} <strong data-outcome={o.key}>{formatCount(p[o.key])}</strong>
              </li>
            ))}
          </ul>
          {job.error && (
            <div className="problems" role="alert">
              The import failed: {job.error}
            </div>
          )}
          {finished && (
            <div className="form-actions">
              <a className="button-like" href={`#/contacts?list_id=${job.list_id}`}>
                See the list's contacts
              </a>
              {job.campaign_id && (
                <a className="button-like" href={`#/campaigns/${job.campaign_id}`}>
                  Back to the campaign
                </a>
              )}
            </div>
          )}
        </div>
      )}
      {job && finished && refused > 0 && <ErrorReport job={job} />}
    </Page>
  );
}

/** The refused rows: the first ones shown, all of them downloadable. */
function ErrorReport({ job }: { job: ImportJob }) {
  const [run, problems, busy] = useAction();
  const rows = useLoad(async () => {
    // The CSV parser is loaded only when a report is shown.
    const [text, { parse }] = await Promise.all([
      authorizedText(job.errors_url),
      import('csv-parse/browser/esm/sync'),
    ]);
    return parse(text, { columns: true, to: 50 }) as { line: string; raw_value: string; reason: string }[];
  }, [job.id]);
  const name = `${job.file_name.replace(/\.[^.]+$/, '')}-errors.csv`;
  return (
    <section className="card" aria-labelledby="errors-title">
      <header className="page-head">
        <h2 id="errors-title">Rows not imported</h2>
        <button
          className="secondary"
          disabled={busy}
          onClick={() => void run(() => download(job.errors_url, name))}
        >
          Download the error report
        </button>
      </header>
      <Problems problems={rows.error ? [rows.error] : problems} />
      <table className="grid compact">
        <thead>
          <tr>
            <th>Line</th>
            <th>Value</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.data?.map((r) => (
            <tr key={`${r.line}-${r.reason}`}>
              <td>{r.line}</td>
              <td>
                <code>{r.raw_value}</code>
              </td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.data?.length === 50 && <p className="muted">The first 50; the report has them all.</p>}
    </section>
  );
}
