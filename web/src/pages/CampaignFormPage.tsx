import { useEffect, useState, type FormEvent } from 'react';
import {
  api,
  type Campaign,
  type Paged,
  type Process,
  type Queue,
  type RetryRule,
  type WeeklyWindow,
} from '../api';
import { fromLocalInput, toLocalInput } from '../format';
import { navigate } from '../router';
import { Field, Page, Problems, useAction, useLoad } from '../ui';
import { WeeklyWindowsEditor } from '../widgets';
import { RETRYABLE } from '../../../src/domain/call-outcome';

interface Form {
  name: string;
  description: string;
  type: Campaign['type'];
  process_id: string;
  queue_id: string;
  agent_id: string;
  dialing_mode: Campaign['dialing_mode'];
  from_phone_number: string;
  time_zone: string;
  scheduled_at: string;
  ends_at: string;
  weekly_windows: WeeklyWindow[];
  calling_start: string;
  calling_end: string;
  abandon_cap_percent: number;
  lines_per_agent: number;
  max_concurrent_calls: string;
  wrap_up_seconds: number;
  require_disposition: boolean;
  machine_detection: boolean;
  machine_action: 'hang_up' | 'play_message';
  recording_mode: Campaign['recording_mode'];
  preview_timeout_seconds: number;
  max_retries: number;
  retry_interval_minutes: number;
  retry_rules: { outcome: string; delay_minutes: number; counts_as_attempt: boolean }[];
}

const blank: Form = {
  name: '',
  description: '',
  type: 'interaction',
  process_id: '',
  queue_id: '',
  agent_id: '',
  dialing_mode: 'progressive',
  from_phone_number: '',
  time_zone: '',
  scheduled_at: '',
  ends_at: '',
  weekly_windows: [],
  calling_start: '08:00',
  calling_end: '21:00',
  abandon_cap_percent: 3,
  lines_per_agent: 1,
  max_concurrent_calls: '',
  wrap_up_seconds: 30,
  require_disposition: true,
  machine_detection: true,
  machine_action: 'hang_up',
  recording_mode: 'none',
  preview_timeout_seconds: 30,
  max_retries: 2,
  retry_interval_minutes: 60,
  retry_rules: [],
};

/** The results whose retry a rule tunes: the server's own list (an invalid number is never retried). */
const OUTCOMES: readonly string[] = RETRYABLE;

function fromCampaign(c: Campaign): Form {
  return {
    name: c.name,
    description: c.description,
    type: c.type,
    process_id: c.process_id,
    queue_id: c.queue_id ?? '',
    agent_id: c.agent_id ?? '',
    dialing_mode: c.dialing_mode,
    from_phone_number: c.from_phone_number ?? '',
    time_zone: c.time_zone,
    scheduled_at: toLocalInput(c.scheduled_at),
    ends_at: toLocalInput(c.ends_at),
    weekly_windows: c.weekly_windows,
    calling_start: c.calling_hours.start,
    calling_end: c.calling_hours.end,
    abandon_cap_percent: Math.round(c.abandon_rate_cap * 1000) / 10,
    lines_per_agent: c.lines_per_agent,
    max_concurrent_calls: c.max_concurrent_calls === null ? '' : String(c.max_concurrent_calls),
    wrap_up_seconds: c.wrap_up_seconds,
    require_disposition: c.require_disposition,
    machine_detection: c.machine_detection,
    machine_action: c.machine_action,
    recording_mode: c.recording_mode,
    preview_timeout_seconds: c.preview_timeout_seconds,
    max_retries: c.retry_config.max_retries,
    retry_interval_minutes: c.retry_config.retry_interval_minutes,
    retry_rules: Object.entries(c.retry_rules).map(([outcome, r]) => ({ outcome, ...r })),
  };
}

export function CampaignFormPage({ campaignId }: { campaignId?: string }) {
  const [form, setForm] = useState<Form>(blank);
  const [version, setVersion] = useState<number>();
  const [run, problems, busy] = useAction();
  const options = useLoad(
    () =>
      Promise.all([
        api<Paged<Process>>('GET', '/v1/processes?limit=100'),
        api<Paged<Queue>>('GET', '/v1/queues?limit=100'),
      ]),
    [],
  );
  useEffect(() => {
    if (!campaignId) return;
    api<Campaign>('GET', `/v1/campaigns/${campaignId}`).then((c) => {
      setForm(fromCampaign(c));
      setVersion(c.version);
    });
  }, [campaignId]);

  const set =
    <K extends keyof Form>(key: K) =>
    (value: Form[K]) =>
      setForm((f) => ({ ...f, [key]: value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const rules: Record<string, RetryRule> = {};
    for (const r of form.retry_rules) {
      if (r.outcome.trim())
        rules[r.outcome.trim()] = { delay_minutes: r.delay_minutes, counts_as_attempt: r.counts_as_attempt };
    }
    const body = {
      name: form.name,
      description: form.description,
      type: form.type,
      ...(form.process_id ? { process_id: form.process_id } : {}),
      queue_id: form.queue_id || null,
      agent_id: form.agent_id || null,
      dialing_mode: form.dialing_mode,
      from_phone_number: form.from_phone_number || null,
      ...(form.time_zone ? { time_zone: form.time_zone } : {}),
      scheduled_at: fromLocalInput(form.scheduled_at),
      ends_at: fromLocalInput(form.ends_at),
      weekly_windows: form.weekly_windows,
      calling_hours: { start: form.calling_start, end: form.calling_end },
      abandon_rate_cap: form.abandon_cap_percent / 100,
      lines_per_agent: form.lines_per_agent,
      max_concurrent_calls: form.max_concurrent_calls ? Number(form.max_concurrent_calls) : null,
      wrap_up_seconds: form.wrap_up_seconds,
      require_disposition: form.require_disposition,
      machine_detection: form.machine_detection,
      machine_action: form.machine_action,
      recording_mode: form.recording_mode,
      preview_timeout_seconds: form.preview_timeout_seconds,
      retry_config: { max_retries: form.max_retries, retry_interval_minutes: form.retry_interval_minutes },
      retry_rules: rules,
      ...(campaignId ? { version } : {}),
    };
    let saved: Campaign | undefined;
    const ok = await run(async () => {
      saved = campaignId
        ? await api<Campaign>('PATCH', `/v1/campaigns/${campaignId}`, body)
        : await api<Campaign>('POST', '/v1/campaigns', body);
    });
    if (ok && saved) navigate(`campaigns/${saved.id}`);
  };
  const [processes, queues] = options.data ?? [];
  const num = (key: keyof Form) => (e: { target: { value: string } }) =>
    set(key)(Number(e.target.value) as never);
  const setRule = (i: number, patch: Partial<Form['retry_rules'][number]>) =>
    set('retry_rules')(form.retry_rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const mode = form.dialing_mode;
  // Only power and predictive calls can reach a person with no agent free (an abandon).
  const callsCanWait = mode === 'power' || mode === 'predictive';
  return (
    <Page title={campaignId ? `Edit ${form.name}` : 'New campaign'}>
      <form className="card form-grid" onSubmit={submit}>
        <h2>Campaign</h2>
        <Field label="Name">
          <input value={form.name} onChange={(e) => set('name')(e.target.value)} required />
        </Field>
        <Field label="Description">
          <input value={form.description} onChange={(e) => set('description')(e.target.value)} />
        </Field>
        <Field label="Type">
          <select value={form.type} onChange={(e) => set('type')(e.target.value as Form['type'])}>
            <option value="interaction">Interaction (agents talk)</option>
            <option value="notification">Notification (message only)</option>
          </select>
        </Field>
        <Field label="Process">
          <select value={form.process_id} onChange={(e) => set('process_id')(e.target.value)}>
            <option value="">Default process</option>
            {processes?.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Queue (agents)">
          <select value={form.queue_id} onChange={(e) => set('queue_id')(e.target.value)}>
            <option value="">None</option>
            {queues?.data.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Caller id">
          <input
            value={form.from_phone_number}
            onChange={(e) => set('from_phone_number')(e.target.value)}
            placeholder="+91…"
          />
        </Field>
        {mode === 'agentless' && (
          <>
            <Field label="External agent" hint="An AI agent's reference, for agentless campaigns">
              <input value={form.agent_id} onChange={(e) => set('agent_id')(e.target.value)} />
            </Field>
          </>
        )}

        <h2>Pacing</h2>
        <Field label="Pacing mode">
          <select
            value={form.dialing_mode}
            onChange={(e) => set('dialing_mode')(e.target.value as Form['dialing_mode'])}
          >
            <option value="preview">Preview</option>
            <option value="progressive">Progressive</option>
            <option value="power">Power</option>
            <option value="predictive">Predictive</option>
            <option value="agentless">Agentless</option>
          </select>
        </Field>
        {callsCanWait && (
          <>
            <Field label="Abandon cap (%)" hint="Of calls answered by a person, per day and over 30 days">
              <input
                type="number"
                min={0}
                max={50}
                step={0.1}
                value={form.abandon_cap_percent}
                onChange={num('abandon_cap_percent')}
              />
            </Field>
          </>
        )}
        {mode === 'power' && (
          <>
            <Field label="Lines per agent (power)">
              <input
                type="number"
                min={1}
                max={10}
                step={0.1}
                value={form.lines_per_agent}
                onChange={num('lines_per_agent')}
              />
            </Field>
          </>
        )}
        {mode === 'agentless' && (
          <>
            <Field label="Max concurrent calls (agentless)">
              <input
                type="number"
                min={1}
                value={form.max_concurrent_calls}
                onChange={(e) => set('max_concurrent_calls')(e.target.value)}
              />
            </Field>
          </>
        )}
        {mode !== 'agentless' && (
          <>
            <Field label="Wrap-up limit (s)">
              <input type="number" min={0} value={form.wrap_up_seconds} onChange={num('wrap_up_seconds')} />
            </Field>
            <Field label="Disposition required before wrap-up ends">
              <input
                type="checkbox"
                checked={form.require_disposition}
                onChange={(e) => setForm((f) => ({ ...f, require_disposition: e.target.checked }))}
              />
            </Field>
          </>
        )}
        <Field label="Answering-machine detection">
          <input
            type="checkbox"
            checked={form.machine_detection}
            onChange={(e) => setForm((f) => ({ ...f, machine_detection: e.target.checked }))}
          />
        </Field>
        <Field
          label="A machine gets"
          hint="The message is uploaded through the API (PUT /v1/campaigns/{id}/message)"
        >
          <select
            value={form.machine_action}
            onChange={(e) =>
              setForm((f) => ({ ...f, machine_action: e.target.value as Form['machine_action'] }))
            }
          >
            <option value="hang_up">Hung up on</option>
            <option value="play_message">The campaign's message, then hung up</option>
          </select>
        </Field>
        <Field
          label="Call recording"
          hint="Both sides, played from the call's page; kept for the center's retention"
        >
          <select
            value={form.recording_mode}
            onChange={(e) =>
              setForm((f) => ({ ...f, recording_mode: e.target.value as Form['recording_mode'] }))
            }
          >
            <option value="none">None</option>
            <option value="all">Every connected call</option>
            <option value="on_demand">When the agent starts it from the desk</option>
          </select>
        </Field>
        {mode === 'preview' && (
          <>
            <Field label="Preview timeout (s)">
              <input
                type="number"
                min={5}
                value={form.preview_timeout_seconds}
                onChange={num('preview_timeout_seconds')}
              />
            </Field>
          </>
        )}

        <h2>When it calls</h2>
        <Field label="Calling hours from" hint="In each contact's own time zone">
          <input
            type="time"
            value={form.calling_start}
            onChange={(e) => set('calling_start')(e.target.value)}
            required
          />
        </Field>
        <Field label="Calling hours until">
          <input
            type="time"
            value={form.calling_end}
            onChange={(e) => set('calling_end')(e.target.value)}
            required
          />
        </Field>
        <Field label="Schedule time zone" hint="IANA name; empty = the center's">
          <input
            value={form.time_zone}
            onChange={(e) => set('time_zone')(e.target.value)}
            placeholder="Asia/Kolkata"
          />
        </Field>
        <Field label="Starts at" hint="Your local time; empty = when started">
          <input
            type="datetime-local"
            value={form.scheduled_at}
            onChange={(e) => set('scheduled_at')(e.target.value)}
          />
        </Field>
        <Field label="Ends at" hint="Your local time; empty = no end">
          <input
            type="datetime-local"
            value={form.ends_at}
            onChange={(e) => set('ends_at')(e.target.value)}
          />
        </Field>
        <div className="span-all">
          <WeeklyWindowsEditor
            legend="Weekly schedule"
            hint="When the campaign dials, in its schedule time zone. No windows: any day."
            value={form.weekly_windows}
            onChange={set('weekly_windows')}
          />
        </div>

        <h2>Retries</h2>
        <Field label="Retries after the first call">
          <input type="number" min={0} max={100} value={form.max_retries} onChange={num('max_retries')} />
        </Field>
        <Field label="Retry interval (min)">
          <input
            type="number"
            min={0}
            value={form.retry_interval_minutes}
            onChange={num('retry_interval_minutes')}
          />
        </Field>
        <fieldset className="span-all rules">
          <legend>Retry rules by outcome</legend>
          <small className="muted">
            Override the interval for an outcome, and whether that call uses up an attempt.
          </small>
          <datalist id="outcomes">
            {OUTCOMES.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
          {form.retry_rules.length > 0 && (
            <table className="grid compact">
              <thead>
                <tr>
                  <th>Outcome</th>
                  <th>Retry after (min)</th>
                  <th>Counts as an attempt</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {form.retry_rules.map((r, i) => (
                  <tr key={i}>
                    <td>
                      <input
                        aria-label={`Rule ${i + 1} outcome`}
                        list="outcomes"
                        value={r.outcome}
                        required
                        pattern="[A-Za-z0-9_.:-]+"
                        onChange={(e) => setRule(i, { outcome: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Rule ${i + 1} retry after (min)`}
                        type="number"
                        min={0}
                        value={r.delay_minutes}
                        onChange={(e) => setRule(i, { delay_minutes: Number(e.target.value) })}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Rule ${i + 1} counts as an attempt`}
                        type="checkbox"
                        checked={r.counts_as_attempt}
                        onChange={(e) => setRule(i, { counts_as_attempt: e.target.checked })}
                      />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-label={`Remove rule ${i + 1}`}
                        onClick={() => set('retry_rules')(form.retry_rules.filter((_, j) => j !== i))}
                      >
                        remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button
            type="button"
            className="small secondary"
            onClick={() =>
              set('retry_rules')([
                ...form.retry_rules,
                {
                  outcome: OUTCOMES.find((o) => !form.retry_rules.some((r) => r.outcome === o)) ?? '',
                  delay_minutes: 30,
                  counts_as_attempt: true,
                },
              ])
            }
          >
            Add a rule
          </button>
        </fieldset>
        <div className="form-actions">
          <Problems problems={problems} />
          <button type="submit" disabled={busy}>
            {campaignId ? 'Save' : 'Create campaign'}
          </button>
          <button type="button" className="secondary" onClick={() => history.back()}>
            Cancel
          </button>
        </div>
      </form>
    </Page>
  );
}
