import { useEffect, useRef, useState } from 'react';
import { api, type DeskPhone } from '../api';
import type { BrowserPhone, PhoneSnapshot, PhoneState } from '../phone';
import { Problems, useAction } from '../ui';

const STATE_TEXT: Record<PhoneState, string> = {
  starting: 'Starting…',
  microphone_blocked: 'Microphone blocked',
  no_microphone: 'No microphone',
  connecting: 'Connecting…',
  registered: 'Registered: ready for your line',
  connected: 'Connected: your line is open',
  lost: 'Connection lost: retrying…',
  refused: 'Registration refused',
};

/** Whether the agent's phone can take the line Outdial calls at campaign login. */
export function phoneReady(phone: DeskPhone | undefined, state: PhoneState | null): boolean {
  if (!phone || phone.device === 'external') return true;
  return state === 'registered' || state === 'connected';
}

/**
 * The desk's phone: the choice between the browser phone and an external SIP phone, and the
 * browser phone itself (its state, mute, the microphone's level). It lives as long as the desk page.
 */
export function DeskPhonePanel({
  phone,
  onPhone,
  onState,
}: {
  phone: DeskPhone;
  onPhone: (phone: DeskPhone) => void;
  onState: (state: PhoneState | null) => void;
}) {
  const [run, problems, busy] = useAction();
  const choose = (device: 'browser' | 'external') =>
    run(async () => onPhone(await api<DeskPhone>('PUT', '/v1/desk/phone', { device })));
  return (
    <section className="card desk-phone" aria-labelledby="desk-phone-title">
      <header className="card-head">
        <h2 id="desk-phone-title">Phone</h2>
        {phone.browser_phone_offered && (
          <fieldset className="choices inline" disabled={busy}>
            <legend className="sr-only">Which phone takes your calls</legend>
            <label className="check choice">
              <input
                type="radio"
                name="phone-device"
                checked={phone.device === 'browser'}
                onChange={() => void choose('browser')}
              />
              Browser phone
            </label>
            <label className="check choice">
              <input
                type="radio"
                name="phone-device"
                checked={phone.device === 'external'}
                onChange={() => void choose('external')}
              />
              External SIP phone
            </label>
          </fieldset>
        )}
      </header>
      <Problems problems={problems} />
      {phone.device === 'external' || !phone.browser ? (
        <p className="muted" data-phone-state="external">
          {phone.device === 'browser' && !phone.extension
            ? 'You have no extension yet: an administrator gives you one before your browser can be your phone.'
            : `Your calls ring on your SIP phone registered as extension ${phone.extension ?? '(none yet)'}; set it to answer automatically.`}
        </p>
      ) : (
        <BrowserPhoneView key={phone.browser.sip_uri} phone={phone} onState={onState} />
      )}
    </section>
  );
}

function BrowserPhoneView({
  phone,
  onState,
}: {
  phone: DeskPhone;
  onState: (state: PhoneState | null) => void;
}) {
  const speaker = useRef<HTMLAudioElement>(null);
  const device = useRef<BrowserPhone | null>(null);
  const [snapshot, setSnapshot] = useState<PhoneSnapshot | null>(null);
  const credentials = phone.browser!;
  useEffect(() => {
    let left = false;
    // Closing or leaving the tab hangs the line up (a BYE), so the dialer pauses the agent at once.
    const leave = () => {
      left = true;
      device.current?.stop();
    };
    window.addEventListener('pagehide', leave);
    // The SIP library is loaded with the first browser phone, like the charts with the first chart.
    void import('../phone').then(({ BrowserPhone }) => {
      if (left) return;
      const browserPhone = new BrowserPhone(credentials, speaker.current!, (s) => {
        setSnapshot(s);
        onState(s.state);
      });
      device.current = browserPhone;
      void browserPhone.start();
    });
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
      onState(null);
    };
    // The phone is made once per identity; new credentials reach it through its own refresh.
  }, [credentials.sip_uri]);
  const state = snapshot?.state ?? 'starting';
  const inCall = state === 'connected';
  return (
    <div className="browser-phone">
      <p>
        <span className={`badge phone-${state}`} data-phone-state={state} role="status">
          {STATE_TEXT[state]}
        </span>{' '}
        <span className="muted">extension {phone.extension}</span>
        {snapshot?.detail && <span className="muted"> · {snapshot.detail}</span>}
      </p>
      {state === 'microphone_blocked' && (
        <p className="notice" role="alert">
          Your browser refused the microphone, so you cannot talk to customers. Allow the microphone for this
          site (the icon at the left of the address bar), then reload the page.
        </p>
      )}
      {state === 'no_microphone' && (
        <p className="notice" role="alert">
          No microphone could be opened: plug one in (or free it from another program), then reload the page.
        </p>
      )}
      <div className="inline">
        <label className="phone-level">
          Microphone
          <meter
            min={0}
            max={1}
            value={snapshot?.muted ? 0 : (snapshot?.level ?? 0)}
            aria-label="Microphone level"
          />
        </label>
        <button
          className={snapshot?.muted ? 'danger' : 'secondary'}
          aria-pressed={snapshot?.muted ?? false}
          disabled={!inCall}
          onClick={() => device.current?.setMuted(!snapshot?.muted)}
        >
          {snapshot?.muted ? 'Unmute' : 'Mute'}
        </button>
      </div>
      <audio ref={speaker} autoPlay data-phone-speaker />
    </div>
  );
}
