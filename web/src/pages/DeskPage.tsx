import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  api,
  DISPOSITIONS,
  type CallLog,
  type Contact,
  type Desk,
  type DeskCampaign,
  type Disposition,
  type DeskPhone,
} from '../api';
import { countOf, formatMoment, fromLocalInput, toLocalInput } from '../format';
import { EventTimeline } from '../history';
import { formatDuration, useNow } from '../live';
import { useMe } from '../session';
import { AGENT_STATE_LABEL, DISPOSITION_LABEL } from '../status';
import { Field, Page, Problems, StatusBadge, useAction, useLoad } from '../ui';
import { VariablesTable } from '../widgets';
import type { PhoneState } from '../phone';
import { DeskPhonePanel, phoneReady } from './DeskPhone';

/** How often the desk asks for the agent's own session: the engine changes it between clicks. */
const POLL_MS = 1000;

const PAUSE_REASONS = ['break', 'lunch', 'training', 'meeting', 'coaching', 'technical problem'];

/**
 * The agent's desk, kept in step with the engine: it reads the agent's own session every second
 * (one agent's row, not a campaign's numbers), and every action answers with the new desk at once.
 * A read that started before an action and answers after it is dropped, so the desk never steps back.
 */
function useDesk() {
  const [desk, setDesk] = useState<Desk>();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(0);
  const shown = useRef(0);
  const show = (n: number, view: Desk) => {
    if (n <= shown.current) return;
    shown.current = n;
    setDesk(view);
  };
  const load = useCallback(async () => {
    const n = ++started.current;
    try {
      show(n, await api<Desk>('GET', '/v1/desk'));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => document.hidden || void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  const act = useCallback(async (path: string, body: object = {}) => {
    const n = ++started.current;
    show(n, await api<Desk>('POST', `/v1/desk/${path}`, body));
  }, []);
  return { desk, error, act };
}

export function DeskPage() {
  const me = useMe();
  const { desk, error, act } = useDesk();
  const [run, problems, busy] = useAction();
  const perform = (path: string, body?: object) => run(() => act(path, body));
  const session = desk?.session;
  const [phone, setPhone] = useState<DeskPhone>();
  const [phoneState, setPhoneState] = useState<PhoneState | null>(null);
  const phoneLoad = useLoad(() => api<DeskPhone>('GET', '/v1/desk/phone'), []);
  useEffect(() => {
    if (phoneLoad.data) setPhone(phoneLoad.data);
  }, [phoneLoad.data]);
  return (
    <Page
      title="Desk"
      actions={
        session && (
          <span className={`badge badge-${session.state} big`} data-desk-state={session.state}>
            {AGENT_STATE_LABEL[session.state]}
          </span>
        )
      }
    >
      <Problems problems={problems ?? (error ? [error] : null)} />
      <Problems problems={phoneLoad.error ? [phoneLoad.error] : null} />
      {phone && <DeskPhonePanel phone={phone} onPhone={setPhone} onState={setPhoneState} />}
      {desk && !session && (
        <CampaignLogin
          name={me.user?.full_name || me.user?.username || ''}
          busy={busy}
          phoneReady={phoneReady(phone, phoneState)}
          perform={perform}
        />
      )}
      {desk && session && <Working desk={desk} busy={busy} perform={perform} />}
    </Page>
  );
}

type Perform = (path: string, body?: object) => Promise<boolean>;

function CampaignLogin({
  name,
  busy,
  phoneReady,
  perform,
}: {
  name: string;
  busy: boolean;
  /** The dialer calls the agent's phone at login: with the browser phone, once it is registered. */
  phoneReady: boolean;
  perform: Perform;
}) {
  const campaigns = useLoad(() => api<{ data: DeskCampaign[] }>('GET', '/v1/desk/campaigns'), []);
  const [chosen, setChosen] = useState('');
  const options = campaigns.data?.data ?? [];
  const campaignId = chosen || options[0]?.id || '';
  return (
    <form
      className="card desk-login"
      aria-label="Log in to a campaign"
      onSubmit={(e) => {
        e.preventDefault();
        if (campaignId) void perform('login', { campaign_id: campaignId });
      }}
    >
      <h2>Welcome, {name}</h2>
      <Problems problems={campaigns.error ? [campaigns.error] : null} />
      {!campaigns.data ? (
        <p className="muted">Finding your campaigns…</p>
      ) : options.length === 0 ? (
        <p className="muted">
          You are not assigned to any campaign you could work now. A supervisor assigns you to one.
        </p>
      ) : (
        <div className="inline">
          <Field label="Campaign">
            <select value={campaignId} onChange={(e) => setChosen(e.target.value)}>
              {options.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.dialing_mode}, {c.status})
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" disabled={busy || !campaignId || !phoneReady}>
            Log in to the campaign
          </button>
        </div>
      )}
      {!phoneReady && <p className="muted">You can log in once your browser phone is registered.</p>}
    </form>
  );
}

function Working({ desk, busy, perform }: { desk: Desk; busy: boolean; perform: Perform }) {
  const session = desk.session!;
  const campaign = desk.campaign!;
  const now = useNow();
  const inState = (now - Date.parse(session.state_since)) / 1000;
  const preview = session.state === 'reserved' && !desk.call && desk.contact !== null;
  // The session counts talk time when a call ends: the call at hand adds its own as it goes.
  const talkingSince =
    session.state === 'on_call' && desk.call ? (desk.call.connected_at ?? desk.call.answered_at) : null;
  const talkSeconds =
    session.talk_seconds + (talkingSince ? Math.max(0, (now - Date.parse(talkingSince)) / 1000) : 0);
  return (
    <>
      <section className="card desk-state" data-state={session.state} aria-labelledby="desk-state-title">
        <div className="desk-state-main">
          <h2 id="desk-state-title">
            {preview ? 'Previewing a contact' : STATE_HEADLINE[session.state]}
            {session.state === 'paused' && session.pause_reason && `: ${session.pause_reason}`}
          </h2>
          <p className="muted">
            {campaign.name} · {campaign.dialing_mode} · {formatDuration(inState)} in this state ·{' '}
            {countOf(session.calls_handled, 'call')} handled, {formatDuration(talkSeconds)} talking
          </p>
          {session.pending_pause_reason && (
            <p className="notice" role="status">
              You will pause ({session.pending_pause_reason}) when this call and its wrap-up end.
            </p>
          )}
          {(session.pending_request || !session.engine) && (
            <p className="muted" role="status">
              Waiting for the dialer…
            </p>
          )}
        </div>
        <div className="desk-controls">
          {/* Contacts are handed out by the dialer engine: the button waits until it has taken this session. */}
          {session.state === 'available' && campaign.dialing_mode === 'preview' && session.engine && (
            <button disabled={busy} onClick={() => void perform('preview/next')}>
              Next contact
            </button>
          )}
          {session.state === 'paused' && (
            <button disabled={busy} onClick={() => void perform('resume')}>
              Become available
            </button>
          )}
          {session.pending_pause_reason && (
            <button className="secondary" disabled={busy} onClick={() => void perform('resume')}>
              Stay available after this call
            </button>
          )}
          {!session.pending_pause_reason && session.state !== 'paused' && session.state !== 'reserved' && (
            <PauseForm
              busy={busy}
              label={session.state === 'available' ? 'Pause' : 'Pause after this call'}
              onPause={(reason) => perform('pause', { reason })}
            />
          )}
          {(session.state === 'available' || session.state === 'paused') && (
            <button className="secondary" disabled={busy} onClick={() => void perform('logout')}>
              Log out of the campaign
            </button>
          )}
        </div>
      </section>
      {preview && (
        <PreviewActions
          contact={desk.contact!}
          expiresAt={session.preview_expires_at}
          now={now}
          busy={busy}
          perform={perform}
        />
      )}
      {session.state === 'reserved' && !preview && (
        <p className="card" role="status" data-placing={desk.call ? 'ringing' : 'placing'}>
          {desk.call ? `Calling ${desk.call.phone_number}: ringing…` : 'A call is being placed for you…'}
        </p>
      )}
      {desk.last_call && (session.state === 'available' || session.state === 'paused') && (
        <p className="card notice" role="status" aria-label="Last call">
          Your call to {desk.last_call.phone_number} did not reach you:{' '}
          {UNREACHED[desk.last_call.outcome ?? ''] ?? desk.last_call.outcome ?? 'it ended'}.{' '}
          {campaignRetries(desk.last_call.counts_as_attempt)}
        </p>
      )}
      {desk.call && (session.state === 'on_call' || session.state === 'wrap_up') && (
        <CallPanel
          call={desk.call}
          state={session.state}
          wrapUpDeadline={session.wrap_up_deadline}
          recording={desk.recording}
          now={now}
          busy={busy}
          perform={perform}
        />
      )}
      {desk.contact && <ContactPanel desk={desk} />}
    </>
  );
}

/** Why a call placed for the agent never reached them, as the desk says it. */
const UNREACHED: Record<string, string> = {
  no_answer: 'nobody answered',
  busy: 'the line was busy',
  machine: 'an answering machine answered',
  invalid_number: 'the number does not exist',
  failed: 'the call failed',
  abandoned: 'the callee hung up before you were connected',
  cancelled: 'the call was cancelled',
};

function campaignRetries(countsAsAttempt: boolean | null): string {
  return countsAsAttempt === false
    ? 'It does not count as an attempt; the dialer will try again.'
    : 'The dialer tries again later if the campaign allows more attempts.';
}

const STATE_HEADLINE: Record<string, string> = {
  available: 'Available: waiting for a call',
  reserved: 'Reserved: a call is being placed for you',
  on_call: 'On a call',
  wrap_up: 'Wrap-up',
  paused: 'Paused',
  logged_out: 'Logged out',
};

function PauseForm({
  label,
  busy,
  onPause,
}: {
  label: string;
  busy: boolean;
  onPause: (reason: string) => Promise<boolean>;
}) {
  const [reason, setReason] = useState(PAUSE_REASONS[0]!);
  return (
    <form
      className="inline pause"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void onPause(reason);
      }}
    >
      <Field label="Pause reason">
        <select value={reason} onChange={(e) => setReason(e.target.value)}>
          {PAUSE_REASONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </Field>
      <button type="submit" className="secondary" disabled={busy}>
        {label}
      </button>
    </form>
  );
}

function PreviewActions({
  contact,
  expiresAt,
  now,
  busy,
  perform,
}: {
  contact: Contact;
  expiresAt: string | null;
  now: number;
  busy: boolean;
  perform: Perform;
}) {
  const left = expiresAt ? (Date.parse(expiresAt) - now) / 1000 : null;
  return (
    <section className="card preview-card" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview: {contactName(contact) || contact.phone_number}</h2>
      <p>
        Read the contact below, then call or skip.
        {left !== null && ` It goes back to the list in ${formatDuration(left)}.`}
      </p>
      <div className="actions">
        <button disabled={busy} onClick={() => void perform('preview/accept')}>
          Call {contact.phone_number}
        </button>
        <button className="secondary" disabled={busy} onClick={() => void perform('preview/skip')}>
          Skip
        </button>
      </div>
    </section>
  );
}

function CallPanel({
  call,
  state,
  wrapUpDeadline,
  recording,
  now,
  busy,
  perform,
}: {
  call: CallLog;
  state: 'on_call' | 'wrap_up';
  wrapUpDeadline: string | null;
  recording: Desk['recording'];
  now: number;
  busy: boolean;
  perform: Perform;
}) {
  const talkingSince = call.connected_at ?? call.answered_at;
  const talked = talkingSince
    ? ((call.ended_at ? Date.parse(call.ended_at) : now) - Date.parse(talkingSince)) / 1000
    : 0;
  const wrapUpLeft = wrapUpDeadline ? (Date.parse(wrapUpDeadline) - now) / 1000 : null;
  return (
    <section className="card call-panel" aria-labelledby="call-title">
      <header className="card-head">
        <h2 id="call-title">
          {state === 'on_call' ? 'Talking to' : 'Call ended with'} {call.phone_number}
        </h2>
        <div className="actions">
          {state === 'on_call' && (
            // Enabled only while the call is recorded; a pause leaves silence in the file for sensitive moments.
            <button
              disabled={busy || !recording.active}
              aria-pressed={recording.active && recording.paused}
              data-recording={!recording.active ? 'off' : recording.paused ? 'paused' : 'recording'}
              onClick={() => void perform(recording.paused ? 'recording/resume' : 'recording/pause')}
            >
              {!recording.active ? 'Not recorded' : recording.paused ? 'Resume recording' : 'Pause recording'}
            </button>
          )}
          {state === 'on_call' && (
            <button className="danger" disabled={busy} onClick={() => void perform('hangup')}>
              Hang up
            </button>
          )}
          {state === 'wrap_up' && (
            <button disabled={busy} onClick={() => void perform('wrap-up/end')}>
              End wrap-up
            </button>
          )}
        </div>
      </header>
      <p className="muted">
        {state === 'on_call' ? 'Talking for ' : 'Talked for '}
        {formatDuration(talked)} · attempt {call.attempt}
        {state === 'wrap_up' &&
          wrapUpLeft !== null &&
          ` · wrap-up ends by itself in ${formatDuration(wrapUpLeft)}`}
      </p>
      <DispositionForm key={call.id} call={call} busy={busy} perform={perform} />
    </section>
  );
}

/** An hour from now, on the quarter hour: a sensible first guess for a callback. */
function inAnHour(): string {
  const d = new Date(Date.now() + 60 * 60_000);
  d.setMinutes(Math.ceil(d.getMinutes() / 15) * 15, 0, 0);
  return toLocalInput(d.toISOString());
}

function DispositionForm({ call, busy, perform }: { call: CallLog; busy: boolean; perform: Perform }) {
  // The call log stores the word as recorded; the desk only ever records one of DISPOSITIONS.
  const [code, setCode] = useState<Disposition | ''>((call.disposition as Disposition | null) ?? '');
  const [note, setNote] = useState(call.disposition_note ?? '');
  const [callbackAt, setCallbackAt] = useState(toLocalInput(call.callback_at) || inAnHour());
  const [mine, setMine] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!code) return;
    void perform('disposition', {
      disposition: code,
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(code === 'callback' ? { callback_at: fromLocalInput(callbackAt), callback_mine: mine } : {}),
    });
  };
  return (
    <form className="disposition" aria-label="Disposition" onSubmit={submit}>
      <fieldset>
        <legend>What came of the conversation?</legend>
        <div className="choices">
          {DISPOSITIONS.map((d) => (
            <label key={d} className="check choice">
              <input
                type="radio"
                name="disposition"
                value={d}
                checked={code === d}
                onChange={() => setCode(d)}
              />
              {DISPOSITION_LABEL[d]}
            </label>
          ))}
        </div>
      </fieldset>
      {code === 'callback' && (
        <div className="inline">
          <Field label="Call back at" hint="Your local time">
            <input
              type="datetime-local"
              required
              value={callbackAt}
              onChange={(e) => setCallbackAt(e.target.value)}
            />
          </Field>
          <label className="check">
            <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
            Only me: I take this callback myself
          </label>
        </div>
      )}
      <Field label="Note">
        <textarea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" disabled={busy || !code}>
          {call.disposition ? 'Change disposition' : 'Save disposition'}
        </button>
        {call.disposition && (
          <span role="status" className="ok" data-recorded={call.disposition}>
            Recorded: {DISPOSITION_LABEL[call.disposition]}
            {call.callback_at && `, call back ${formatMoment(call.callback_at)}`}
          </span>
        )}
      </div>
    </form>
  );
}

function contactName(c: Contact): string {
  return [c.first_name, c.last_name].filter(Boolean).join(' ');
}

/** Who the agent is talking to (or previewing): details, variables and what happened before. */
function ContactPanel({ desk }: { desk: Desk }) {
  const c = desk.contact!;
  const localTime = new Date().toLocaleTimeString(undefined, {
    timeZone: c.time_zone,
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <div className="columns">
      <section className="card" aria-labelledby="contact-title">
        <h2 id="contact-title">{contactName(c) || 'Contact'}</h2>
        <dl className="facts">
          <dt>Phone</dt>
          <dd>{c.phone_number}</dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={c.status} />
          </dd>
          <dt>Attempts</dt>
          <dd>{c.attempts}</dd>
          <dt>Their time</dt>
          <dd>
            {localTime} ({c.time_zone})
          </dd>
          {c.ticket_id && (
            <>
              <dt>Ticket</dt>
              <dd>{c.ticket_id}</dd>
            </>
          )}
          {c.note && (
            <>
              <dt>Note</dt>
              <dd>{c.note}</dd>
            </>
          )}
        </dl>
        <h3>Variables</h3>
        <VariablesTable variables={c.variables} />
      </section>
      <section className="card" aria-labelledby="desk-history-title">
        <h2 id="desk-history-title">History</h2>
        <EventTimeline events={desk.history} />
      </section>
    </div>
  );
}
