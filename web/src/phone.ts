/**
 * The desk's browser phone: the agent's SIP device, registered over WebSocket at Kamailio with
 * short-lived credentials from `GET /v1/desk/phone`. It answers the one call Outdial places to it at
 * login (the agent's standing line, customers joined into it) and keeps it until the shift ends.
 * Media is WebRTC (ICE, DTLS-SRTP); rtpengine bridges it to the plain RTP of the trunk side.
 */
import { UA, WebSocketInterface } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import { api, type DeskPhone } from './api';

export type PhoneState =
  | 'starting'
  | 'microphone_blocked'
  | 'no_microphone'
  | 'connecting'
  | 'registered'
  | 'connected'
  | 'lost'
  | 'refused';

export interface PhoneSnapshot {
  state: PhoneState;
  muted: boolean;
  /** Microphone level, 0..1 (RMS of the last 100 ms). */
  level: number;
  detail: string | null;
}

type Credentials = NonNullable<DeskPhone['browser']>;

export class BrowserPhone {
  private ua: UA | null = null;
  private session: RTCSession | null = null;
  private microphone: MediaStream | null = null;
  private audioContext: AudioContext | null = null;
  private meterTimer: ReturnType<typeof setInterval> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** The WebSocket dropped and has not yet given a new registration. */
  private lost = false;
  private snapshot: PhoneSnapshot = { state: 'starting', muted: false, level: 0, detail: null };

  constructor(
    private readonly credentials: Credentials,
    /** Where the far end's audio plays (and where a test's analyser can listen). */
    private readonly speaker: HTMLAudioElement,
    private readonly onChange: (snapshot: PhoneSnapshot) => void,
  ) {}

  private set(patch: Partial<PhoneSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.onChange(this.snapshot);
  }

  async start(): Promise<void> {
    try {
      this.microphone = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (error) {
      const name = error instanceof DOMException ? error.name : '';
      this.set(
        name === 'NotAllowedError' || name === 'SecurityError'
          ? { state: 'microphone_blocked', detail: null }
          : { state: 'no_microphone', detail: error instanceof Error ? error.message : String(error) },
      );
      return;
    }
    if (this.stopped) return this.release();
    this.meter(this.microphone);
    const c = this.credentials;
    const ua = new UA({
      sockets: [new WebSocketInterface(c.ws_url)],
      uri: c.sip_uri,
      authorization_user: c.authorization_user,
      password: c.password,
      register: true,
      // Short, so a tab that vanished without unregistering is not reached for long.
      register_expires: 120,
      session_timers: false,
      connection_recovery_min_interval: 1,
      connection_recovery_max_interval: 8,
      user_agent: 'Outdial desk',
    });
    this.ua = ua;
    // Once the connection is lost, JsSIP retries it (every 1-8 s) and registers again when it is
    // back: the phone shows "lost" through all the retries, until that registration succeeds.
    ua.on('connecting', () => {
      if (!this.lost) this.set({ state: this.session ? 'connected' : 'connecting' });
    });
    ua.on('disconnected', () => {
      if (this.stopped) return;
      this.lost = true;
      // The line's dialog was routed through the connection that dropped (Kamailio reaches a browser
      // only on its own WebSocket): it cannot come back. Ended here, so the line Outdial places
      // once the agent resumes is taken; Outdial notices its end by its keepalive.
      if (this.session && !this.session.isEnded()) this.session.terminate();
      this.session = null;
      this.set({ state: 'lost' });
    });
    ua.on('registered', () => {
      this.lost = false;
      this.set({ state: this.session ? 'connected' : 'registered', detail: null });
    });
    ua.on('registrationFailed', (e) =>
      this.set({ state: 'refused', detail: `${e.cause}${e.response ? ` (${e.response.status_code})` : ''}` }),
    );
    ua.on('newRTCSession', ({ session, originator }: RTCSessionEvent) => {
      if (originator !== 'remote') return;
      if (this.session) {
        session.terminate({ status_code: 486 });
        return;
      }
      this.answer(session);
    });
    this.scheduleRefresh(c.expires_at);
    ua.start();
    this.set({ state: 'connecting' });
  }

  /** Outdial's call is the agent's line for the shift: answered at once, no ringing. */
  private answer(session: RTCSession): void {
    this.session = session;
    session.on('peerconnection', ({ peerconnection }) => this.listen(peerconnection));
    session.on('confirmed', () => this.set({ state: 'connected' }));
    const ended = () => {
      this.session = null;
      this.speaker.srcObject = null;
      if (!this.stopped && !this.lost)
        this.set({ state: this.ua?.isRegistered() ? 'registered' : 'connecting', muted: false });
    };
    session.on('ended', ended);
    session.on('failed', ended);
    session.answer({
      mediaStream: this.microphone!,
      mediaConstraints: { audio: true, video: false },
      // rtpengine offers its own candidates: no STUN or TURN server is needed to reach it.
      pcConfig: { iceServers: [] },
    });
    if (session.connection) this.listen(session.connection);
  }

  private listen(connection: RTCPeerConnection): void {
    connection.addEventListener('track', (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.speaker.srcObject = stream;
      void this.speaker.play().catch(() => undefined);
    });
  }

  setMuted(muted: boolean): void {
    if (this.session) {
      if (muted) this.session.mute({ audio: true });
      else this.session.unmute({ audio: true });
    }
    // The meter reads the microphone itself: muted tracks show nothing either.
    for (const track of this.microphone?.getAudioTracks() ?? []) track.enabled = !muted;
    this.set({ muted });
  }

  private meter(stream: MediaStream): void {
    this.audioContext = new AudioContext();
    const analyser = this.audioContext.createAnalyser();
    analyser.fftSize = 1024;
    this.audioContext.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.meterTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const level = Math.min(1, Math.sqrt(sum / samples.length) * 3);
      if (Math.abs(level - this.snapshot.level) > 0.01) this.set({ level });
    }, 100);
  }

  /**
   * New credentials at half their life, registered with at once: the old ones are refused once
   * expired (and a reconnection's REGISTER uses the newest).
   */
  private scheduleRefresh(expiresAt: string): void {
    const wait = Math.max(5_000, (Date.parse(expiresAt) - Date.now()) / 2);
    this.refreshTimer = setTimeout(() => {
      void api<DeskPhone>('GET', '/v1/desk/phone')
        .then((phone) => {
          if (this.stopped || !phone.browser || !this.ua) return;
          this.ua.set('authorization_user', phone.browser.authorization_user);
          this.ua.set('password', phone.browser.password);
          // Registered again at once with them: the registration never depends on credentials
          // about to expire (JsSIP's own refresh comes when it comes).
          if (this.ua.isConnected()) this.ua.register();
          this.scheduleRefresh(phone.browser.expires_at);
        })
        .catch(() => this.scheduleRefresh(new Date(Date.now() + 20_000).toISOString()));
    }, wait);
  }

  /**
   * Hangs up and unregisters. Closing the tab ends here too (pagehide): the BYE tells Outdial the
   * agent's phone is gone, and the engine pauses the agent as for a desk phone hung up.
   */
  stop(): void {
    this.stopped = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.session && !this.session.isEnded()) this.session.terminate();
    this.ua?.stop();
    this.release();
  }

  private release(): void {
    if (this.meterTimer) clearInterval(this.meterTimer);
    void this.audioContext?.close().catch(() => undefined);
    for (const track of this.microphone?.getTracks() ?? []) track.stop();
  }
}
